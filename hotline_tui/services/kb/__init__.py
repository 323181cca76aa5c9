"""The knowledge base: writing, importing, searching and using articles, and what it lacks."""
