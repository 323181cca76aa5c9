"""Options shared by the ``hotline ticket`` action commands."""

from __future__ import annotations

import typer

from hotline_tui.cli.inputs import ID_MAX

IF_VERSION = typer.Option(
    None, "--if-version", min=0, max=ID_MAX, help="版本已变（他人改过）则拒绝执行"
)
JSON = typer.Option(False, "--json")
DEPT = typer.Option(None, "--dept", help="单位代码（默认：本单位 / 唯一承办单位）")
NOTE = typer.Option("", "--note", "-n")
