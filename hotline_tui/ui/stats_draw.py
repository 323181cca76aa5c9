"""Drawing the 统计 mode's tables by hand: cells of a fixed display width, so that every line of
a table has the same width with Chinese labels (a CJK character takes two cells; textual-plotext
and proportional layouts misalign them), sparklines of block characters, and the five heat
levels on the 16-colour palette.

Pure functions over plain data; :mod:`hotline_tui.ui.stats_panes` builds the panes from the
services' reports, :mod:`hotline_tui.ui.widgets.number_table` paints them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from hotline_tui.ui.text import clip

__all__ = [
    "BLOCKS",
    "LEVEL_STYLES",
    "Behind",
    "Cell",
    "Row",
    "Table",
    "level",
    "level_ranges",
    "line_text",
    "line_width",
    "pad",
    "sparkline",
]

BLOCKS = "▁▂▃▄▅▆▇█"
GAP = " "  # a period without a value: a gap in the sparkline
SEPARATOR = " "  # between two cells

# The five heat levels, on the 16 ANSI colours (the low-bandwidth theme's own), light to hot;
# the count is printed in every cell too, so the table reads in monochrome.
# Each colour code is bytes on every repaint of a slow link: no bold or dim besides.
LEVEL_STYLES = (
    "",  # 0: nothing (shown as ·)
    "",  # 1
    "black on cyan",
    "black on yellow",
    "bright_white on magenta",
    "bright_white on red",
)


@dataclass(frozen=True)
class Behind:
    """What Enter on a number lists: the orders behind a measure's numerator or denominator
    (of a department, or of everything the user sees), a heat cell, or an hour cell."""

    kind: str  # "measure", "cell" or "hour"
    label: str  # what the list's title names
    measure: str = ""
    side: str = "numerator"
    dept: str | None = None
    category: str = ""
    area: str = ""
    area_level: str = "district"  # the heat table's columns: districts or streets
    weekday: int = 0
    hour: int = 0


@dataclass(frozen=True)
class Cell:
    text: str
    width: int
    align: str = "<"  # "<", ">" or "^"
    style: str = ""
    behind: Behind | None = None  # a number Enter opens; None: a label
    detail: str = ""  # what the line under the table says when the cursor is on it


Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """A pane: header rows (kept on top), body rows (scrolled, with the cursor), footer rows
    (the legend); every row the same display width."""

    header: tuple[Row, ...]
    body: tuple[Row, ...]
    footer: tuple[Row, ...] = ()

    @property
    def rows(self) -> tuple[Row, ...]:
        return (*self.header, *self.body, *self.footer)


def pad(text: str, width: int, align: str = "<") -> str:
    """``text`` cut (with an ellipsis) or padded with spaces to exactly ``width`` cells."""
    shown = clip(text, width)
    room = width - cell_len(shown)
    if align == ">":
        return " " * room + shown
    if align == "^":
        return " " * (room // 2) + shown + " " * (room - room // 2)
    return shown + " " * room


def line_width(row: Row) -> int:
    return sum(c.width for c in row) + len(SEPARATOR) * max(0, len(row) - 1)


def line_text(row: Row) -> str:
    """The row as plain text (what the terminal shows, without the colours)."""
    return SEPARATOR.join(pad(c.text, c.width, c.align) for c in row)


def sparkline(values: Sequence[float | None]) -> str:
    """One block character per value, scaled between the smallest and largest present value;
    a missing value is a gap. All equal: the middle block."""
    present = [v for v in values if v is not None]
    if not present:
        return GAP * len(values)
    low, high = min(present), max(present)
    out = []
    for v in values:
        if v is None:
            out.append(GAP)
        elif high == low:
            out.append(BLOCKS[3])
        else:
            out.append(BLOCKS[round((v - low) / (high - low) * (len(BLOCKS) - 1))])
    return "".join(out)


def level(count: int, top: int) -> int:
    """The heat level of ``count`` in a table whose largest count is ``top``: 0 for nothing,
    else 1–5 by fifths of ``top``."""
    if count <= 0 or top <= 0:
        return 0
    return min(5, max(1, math.ceil(count * 5 / top)))


def level_ranges(top: int) -> list[tuple[int, int, int]]:
    """(level, lowest, highest count) of each level that some count can reach."""
    out = []
    for k in range(1, 6):
        low, high = (k - 1) * top // 5 + 1, k * top // 5
        if low <= high:
            out.append((k, low, high))
    return out
