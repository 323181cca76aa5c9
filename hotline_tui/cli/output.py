"""Printing results: JSON for scripts, rich tables for people. User text is never markup."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from hotline_tui.services.tickets.views import to_jsonable

console = Console(markup=False, highlight=False, emoji=False)
err_console = Console(stderr=True, markup=False, highlight=False, emoji=False)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def cell(value: Any) -> Text:
    """A table cell as plain Text: stored text such as ``[b]`` is shown, never interpreted."""
    if value is None:
        return Text("")
    if hasattr(value, "isoformat"):
        return Text(value.isoformat(timespec="minutes"))
    return Text(str(value))


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> None:
    grid = Table(*columns, title=title, show_lines=False)
    for row in rows:
        grid.add_row(*(cell(value) for value in row))
    console.print(grid)


def line(*parts: Any) -> None:
    console.print(Text(" ".join(str(p) for p in parts)))


def error(message: str) -> None:
    err_console.print(Text(message, style="red"))
