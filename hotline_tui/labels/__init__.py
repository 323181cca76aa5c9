"""The product's words for its codes, shared by every front end (console, command line, scheduler).

Pure data and lookups: no Textual, no typer, nothing from a front end.
"""
