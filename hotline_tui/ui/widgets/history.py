"""The caller's history under the phone field: a few lines, each repainted only when it changes
and only as wide as its text (old or new), not the whole block of the form's width.

A ``Static`` repaints every line of its region on ``update`` — four lines of 80 cells, spaces
included, for one new line of text — which over a slow link costs more than the keystroke that
caused it. Text is data: lines are ``Content`` built by :mod:`hotline_tui.ui.text`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

__all__ = ["HistoryLines"]


def _same(a: Content, b: Content) -> bool:
    return a.plain == b.plain and list(a.spans) == list(b.spans)


class HistoryLines(Widget):
    """Lines of text; ``update`` repaints the lines that differ, over their width only."""

    DEFAULT_CSS = """
    HistoryLines { height: 4; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[Content] = []

    @property
    def lines(self) -> list[Content]:
        return list(self._lines)

    def update(self, body: Content | str = "") -> None:
        """Show ``body`` (lines separated by newlines)."""
        text = body if isinstance(body, Content) else Content(body)
        self.show_lines(text.split("\n") if text.plain else [])

    def show_lines(self, lines: Sequence[Content]) -> None:
        old, self._lines = self._lines, list(lines)
        width = self.size.width
        if not self.is_mounted or width == 0:
            self.refresh()
            return
        for y in range(max(len(old), len(self._lines))):
            before = old[y] if y < len(old) else Content("")
            after = self._lines[y] if y < len(self._lines) else Content("")
            if _same(before, after):
                continue
            cells = max(cell_len(before.plain), cell_len(after.plain))
            if cells:
                self.refresh(Region(0, y, min(cells, width), 1))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        if y >= len(self._lines):
            return Strip.blank(width, style)
        segments = self._lines[y].render_segments(self.visual_style)
        return Strip(segments).crop_extend(0, width, style).apply_style(style)
