"""The Textual console (modes, screens, widgets, .tcss). The only package that imports Textual."""
