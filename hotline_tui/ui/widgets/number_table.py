"""A table drawn by hand, cell by cell, with a cursor on its numbers (the 统计 mode's panes).

Rows are :class:`~hotline_tui.ui.stats_draw.Cell` tuples of fixed display widths, so every
line has the same width whatever Chinese labels it holds. The header rows stay on top, the body
scrolls under them, the footer (a legend) follows the body. The cursor moves over the cells that
carry orders (the numbers): arrows, Home/End, Page Up/Down; the cell under it is in reverse
video, as the console's lists are; Enter posts :class:`NumberTable.Chosen`. Moving the cursor
repaints the two cells involved only (a slow link pays for two cells, not the table); at the
row's end the cursor posts :class:`NumberTable.Edge` (the league's measures slide sideways).
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.css.scalar import Scalar, Unit
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from hotline_tui.ui.stats_draw import (
    SEPARATOR,
    Behind,
    Cell,
    Row,
    Table,
    line_text,
    line_width,
    pad,
)

__all__ = ["NumberTable", "row_strip"]

SELECTED = Style(reverse=True, bold=True)


@lru_cache(maxsize=64)
def _style(text: str) -> Style:
    return Style.parse(text) if text else Style()


def row_strip(row: Row, selected: int | None = None) -> Strip:
    """A row's line: each cell padded to its width in its style, cell ``selected`` reversed."""
    segments: list[Segment] = []
    before: Style | None = None
    for i, cell in enumerate(row):
        style = _style(cell.style)
        if i == selected:
            style = style + SELECTED
        if i:
            # Between two cells of one colour the gap takes it too: one run of colour, with
            # one colour code and one reset on the wire instead of two each.
            segments.append(Segment(SEPARATOR, style if style == before else None))
        segments.append(Segment(pad(cell.text, cell.width, cell.align), style))
        before = style
    return Strip(segments).simplify()


class NumberTable(Widget, can_focus=True):
    DEFAULT_CSS = """
    NumberTable { height: 1fr; width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "end(-1)", show=False),
        Binding("end", "end(1)", show=False),
        Binding("enter", "choose", show=False),
    ]

    class Chosen(Message):
        def __init__(self, behind: Behind) -> None:
            super().__init__()
            self.behind = behind

    class Moved(Message):
        def __init__(self, cell: Cell | None) -> None:
            super().__init__()
            self.cell = cell

    class Edge(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.table = Table((), ())
        self.row = 0  # the cursor: a body row, and a cell of it
        self.col = 0
        self.top = 0  # the first body row shown

    # ------------------------------------------------------------------ data

    def show(self, table: Table, *, keep: bool = True) -> None:
        """Show ``table``; the cursor stays where it was (``keep``) or goes to the first
        number."""
        drawn = len(self.table.rows)
        self.table = table
        # As wide as the table: the rest of the line is the screen's, never written again
        # with the table (seven spaces a line of the heat table, on every refresh).
        width = max((line_width(row) for row in table.rows[:1]), default=0)
        if width and self.styles.width != Scalar(width, Unit.CELLS, Unit.WIDTH):
            self.styles.width = width
        if not keep:
            self.row, self.col, self.top = 0, 0, 0
        self.row = min(self.row, max(0, len(table.body) - 1))
        if self.current is None:
            self._to_number(self.row, self.col)
        self._scroll_to_cursor()
        # The table's lines only (those it had and has): the empty lines below it stay as they
        # are, not written again on a slow link at every refresh.
        self.refresh(Region(0, 0, self.size.width, max(drawn, len(table.rows))))
        self.post_message(self.Moved(self.current))

    @property
    def current(self) -> Cell | None:
        body = self.table.body
        if 0 <= self.row < len(body) and 0 <= self.col < len(body[self.row]):
            cell = body[self.row][self.col]
            return cell if cell.behind is not None else None
        return None

    def lines(self) -> list[str]:
        """Every row of the table as plain text (what the terminal shows, uncoloured)."""
        return [line_text(row) for row in self.table.rows]

    # ------------------------------------------------------------------ cursor

    def _numbers(self, row: int) -> list[int]:
        if not 0 <= row < len(self.table.body):
            return []
        return [i for i, c in enumerate(self.table.body[row]) if c.behind is not None]

    def _to_number(self, row: int, col: int) -> bool:
        """Put the cursor on the number of ``row`` nearest to ``col`` (False: it has none)."""
        numbers = self._numbers(row)
        if not numbers:
            return False
        self.row, self.col = row, min(numbers, key=lambda i: (abs(i - col), i))
        return True

    def _body_room(self) -> int:
        return max(1, self.size.height - len(self.table.header) - len(self.table.footer))

    def _scroll_to_cursor(self) -> None:
        room = self._body_room()
        if self.row < self.top:
            self.top = self.row
        elif self.row >= self.top + room:
            self.top = self.row - room + 1
        self.top = max(0, min(self.top, max(0, len(self.table.body) - room)))

    def _moved(self, before: tuple[int, int, int]) -> None:
        self._scroll_to_cursor()
        if (self.row, self.col, self.top) == before:
            return
        if self.top != before[2]:
            self.refresh()
        else:  # the two cells only: a few dozen bytes on a slow link, not two lines
            for row, col in ((before[0], before[1]), (self.row, self.col)):
                self.refresh(self._cell_region(row, col))
        self.post_message(self.Moved(self.current))

    def _cell_region(self, row: int, col: int) -> Region:
        cells = self.table.body[row] if 0 <= row < len(self.table.body) else ()
        x = sum(c.width + len(SEPARATOR) for c in cells[:col])
        width = cells[col].width if col < len(cells) else self.size.width
        return Region(x, len(self.table.header) + row - self.top, width, 1)

    def action_move(self, rows: int, cols: int) -> None:
        before = (self.row, self.col, self.top)
        if cols:
            numbers = self._numbers(self.row)
            ahead = [i for i in numbers if (i - self.col) * cols > 0]
            if not ahead:
                self.post_message(self.Edge(cols))
                return
            self.col = min(ahead, key=lambda i: abs(i - self.col))
        else:
            row = self.row + rows
            while 0 <= row < len(self.table.body) and not self._to_number(row, self.col):
                row += rows
        self._moved(before)

    def action_page(self, step: int) -> None:
        before = (self.row, self.col, self.top)
        row = max(0, min(len(self.table.body) - 1, self.row + step * self._body_room()))
        self._to_number(row, self.col)
        self._moved(before)

    def action_end(self, step: int) -> None:
        before = (self.row, self.col, self.top)
        rows = range(len(self.table.body))
        for row in reversed(rows) if step > 0 else rows:
            if self._to_number(row, self.col):
                break
        self._moved(before)

    def action_choose(self) -> None:
        cell = self.current
        if cell is not None and cell.behind is not None:
            self.post_message(self.Chosen(cell.behind))

    # ------------------------------------------------------------------ painting

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        header, body, footer = self.table.header, self.table.body, self.table.footer
        shown = body[self.top : self.top + self._body_room()]
        if y < len(header):
            strip = row_strip(header[y], None)
        elif y < len(header) + len(shown):
            index = y - len(header)
            on_cursor = self.top + index == self.row and self.current is not None
            selected = self.col if on_cursor else None
            strip = row_strip(shown[index], selected)
        elif y < len(header) + len(shown) + len(footer):
            strip = row_strip(footer[y - len(header) - len(shown)], None)
        else:
            return Strip.blank(width, self.rich_style)
        # Padded without a style: the padding then costs no colour codes of its own.
        return strip.adjust_cell_length(width).simplify()
