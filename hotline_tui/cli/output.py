"""Printing results: JSON for scripts, rich tables for people. User text is never markup."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from hotline_tui.domain import display_time
from hotline_tui.services.tickets.views import to_jsonable

SHORT_COLUMN_MAX = 24
console = Console(markup=False, highlight=False, emoji=False)
err_console = Console(stderr=True, markup=False, highlight=False, emoji=False)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def to_json_text(value: Any) -> str:
    """One value as compact JSON on one line (a row of a streamed list)."""
    return json.dumps(to_jsonable(value), ensure_ascii=False)


def local_time(value: datetime, tz: str | None = None) -> str:
    """A stored (UTC) instant in the display zone (``Settings.timezone``), or in ``tz``, to the
    minute."""
    return display_time.local_time(value, ZoneInfo(tz) if tz else None)


def cell(value: Any) -> Text:
    """A table cell as plain Text: stored text such as ``[b]`` is shown, never interpreted."""
    if value is None:
        return Text("")
    if isinstance(value, datetime):
        # Stored in UTC; people read the hotline's own time zone (DESIGN.md §4).
        return Text(local_time(value))
    return Text(str(value))


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> None:
    """A table whose short columns (numbers, states, codes, times) are never cut; the last
    column (usually free text) takes what is left and ends with an ellipsis."""
    cells = [[cell(value) for value in row] for row in rows]
    grid = Table(title=title, show_lines=False)
    last = len(columns) - 1
    widths = [
        min(max([cell_len(name), *(cell_len(r[index].plain) for r in cells)]), SHORT_COLUMN_MAX)
        for index, name in enumerate(columns)
    ]
    # Borders and padding take three cells per column and one more; the free-text column gets
    # what is left of the terminal, so the short columns never have to give way.
    room = console.width - sum(widths[:last]) - 3 * len(columns) - 1
    for index, name in enumerate(columns):
        if index == last:
            grid.add_column(name, overflow="ellipsis", no_wrap=True, max_width=max(8, room))
        else:
            grid.add_column(name, no_wrap=True, min_width=widths[index])
    for row in cells:
        grid.add_row(*row)
    console.print(grid)


def line(*parts: Any) -> None:
    # soft_wrap: the terminal wraps a long line; rich would break it with newlines, cutting a
    # path or an order number that someone then copies.
    console.print(Text(" ".join(str(p) for p in parts)), soft_wrap=True)


def error(message: str) -> None:
    err_console.print(Text(message, style="red"), soft_wrap=True)
