"""Hotline Console: the operator console, `hotline` command and scheduler for a 12345 hotline."""

__version__ = "0.1.0"
