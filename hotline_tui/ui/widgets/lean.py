"""Widgets that repaint less than Textual's defaults (for slow links).

:class:`LeanInput` is a one-line input whose edits repaint from the first changed cell to the
end of the text (and the cursor after it), not the whole field; anything that scrolls the field
falls back to a full repaint.

:class:`LeanTextArea` is a plain-text area (no syntax highlighting, no cursor-line highlight)
whose edits repaint only what they touch. Textual's ``TextArea`` repaints every line of the
widget per keystroke (the selection watcher refreshes the whole widget); here an edit on one row
repaints that row from the cursor to the end of its text, an edit that keeps the number of
wrapped lines and the scroll position repaints the rows between the cursor's old and new row,
and anything else (a new line that moves the rest, a scroll) falls back to a full repaint.
"""

from __future__ import annotations

from typing import Self

from rich.cells import cell_len
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from hotline_tui.ui.textual_compat import CursorVisibilityHook, input_cells, text_area_cursor

__all__ = ["LeanInput", "LeanTextArea"]


class LeanInput(Input):
    """An input that repaints only the cells an edit changed."""

    _editing = False
    _skipped = False
    _relayout = False
    _cut: int | None = None  # the cell where the last edit began (a segment boundary)

    def replace(self, text: str, start: int, end: int) -> None:
        if not self.is_mounted or self.password or self.suggester is not None:
            super().replace(text, start, end)
            return
        scroll = self.scroll_offset
        before = input_cells(self, len(self.value))
        first = input_cells(self, min(start, end))
        self._editing, self._skipped, self._relayout = True, False, False
        try:
            super().replace(text, start, end)
        finally:
            self._editing = False
        if not self._skipped:
            return
        if self._relayout:
            super().refresh(layout=True, repaint=False)
        if scroll != self.scroll_offset or "\t" in self.value:
            super().refresh()
            return
        after = input_cells(self, len(self.value))
        left = first - scroll.x
        right = max(before, after) + 1 - scroll.x  # the cursor's cell after the text
        self._cut = left
        super().refresh(Region(self.styles.gutter.left + left, 0, right - left, 1))

    def render_line(self, y: int) -> Strip:
        """The line split where the last edit began, so a partial update starts there."""
        strip = super().render_line(y)
        if y == 0 and self._cut is not None and 0 < self._cut < strip.cell_length:
            strip = Strip.join(strip.divide([self._cut, strip.cell_length]))
        return strip

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._editing and not regions and not recompose:
            # Decided after the edit, from what it changed. The value's new virtual size asks
            # for a layout too: the field's own size does not change, so no repaint with it.
            self._skipped = True
            self._relayout = self._relayout or layout
            return self
        if not self._editing:
            self._cut = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


class LeanTextArea(CursorVisibilityHook, TextArea):
    """A plain-text area for descriptions, replies and notes."""

    _editing = False
    _skipped = False
    _cut: tuple[int, int] | None = None  # (row, cell): where the last one-row edit began

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, compact: bool = True
    ) -> None:
        super().__init__(
            id=id,
            classes=classes,
            compact=compact,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
        )

    def edit(self, edit: Edit) -> EditResult:
        if not self.is_mounted:
            return super().edit(edit)
        height = self.wrapped_document.height
        scroll = self.scroll_offset
        old_x, old_y = text_area_cursor(self)
        old_end = self._row_end()
        self._editing, self._skipped = True, False
        try:
            result = super().edit(edit)
        finally:
            self._editing = False
        new_x, new_y = text_area_cursor(self)
        same_shape = height == self.wrapped_document.height and scroll == self.scroll_offset
        if not self._skipped:
            return result
        if not same_shape:
            super().refresh()
        elif old_y == new_y and old_end is not None and (new_end := self._row_end()) is not None:
            # One row changed, from the cursor to the end of its text: repaint just that span.
            left = min(old_x, new_x)
            right = max(old_x, new_x, old_end, new_end) + 1
            self._cut = (new_y - scroll.y, left)
            super().refresh(Region(left, new_y - scroll.y, right - left, 1))
        else:
            self.refresh_lines(min(old_y, new_y), abs(new_y - old_y) + 1)
        return result

    def cursor_visibility_changed(self) -> None:
        """The cursor shown or hidden: repaint its cell, not its whole row."""
        x, y = text_area_cursor(self)
        self.refresh(Region(x, y - self.scroll_offset.y, 2, 1))

    def render_line(self, y: int) -> Strip:
        """The row, split into segments where the last edit began: the terminal update of a
        partial repaint starts at a segment boundary, so the text before the edit is not sent
        again."""
        strip = super().render_line(y)
        if self._cut is not None and self._cut[0] == y and 0 < self._cut[1] < strip.cell_length:
            strip = Strip.join(strip.divide([self._cut[1], strip.cell_length]))
        return strip

    def _row_end(self) -> int | None:
        """Cells used by the text on the cursor's (wrapped) row, or None if unsure (tabs)."""
        row, _column = self.cursor_location
        sections = self.wrapped_document.get_sections(row)
        _x, first = self.wrapped_document.location_to_offset((row, 0))
        _x, y = text_area_cursor(self)
        index = y - first
        if not 0 <= index < len(sections) or "\t" in sections[index]:
            return None
        return cell_len(sections[index])

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._editing and not regions and repaint and not layout and not recompose:
            self._skipped = True  # decided after the edit, from what it changed
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
