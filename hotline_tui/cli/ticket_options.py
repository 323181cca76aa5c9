"""Options shared by the ``hotline ticket`` action commands."""

from __future__ import annotations

import typer

from hotline_tui.cli.inputs import ID_MAX

IF_VERSION = typer.Option(
    None, "--if-version", min=0, max=ID_MAX, help="refuse if the version changed"
)
JSON = typer.Option(False, "--json")
DEPT = typer.Option(None, "--dept", help="department code (default: yours / the only one)")
NOTE = typer.Option("", "--note", "-n")
