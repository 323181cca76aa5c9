"""PLACEHOLDER (being written by another engineer): ``hotline demo``."""

from __future__ import annotations

import typer


def demo(ctx: typer.Context) -> None:
    """Seed the demo database."""
