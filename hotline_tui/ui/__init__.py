"""The Textual operator console: the only package that imports Textual.

``entry`` starts it; ``app`` holds the modes and the session; ``screens`` the modes and dialogs;
``widgets`` the pieces; ``backend`` is the door to the services (called from thread workers
only); ``text`` builds every widget's text from stored data, literally.
"""
