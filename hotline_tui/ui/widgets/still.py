"""A one-line widget that repaints only when its text changes (never by a clock, never for a
refresh that would write the same characters again): the key line, the intake's suggestions."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget

__all__ = ["StillLine"]


class StillLine(Widget):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content = Content("")

    def set_content(self, content: Content, *, partial: bool = False) -> None:
        """Show ``content``; repaint only if its text differs from what is shown, and with
        ``partial`` only the cells from the first that differs to the end of the longer text
        (low-bandwidth output then sends just those: see :mod:`hotline_tui.ui.lean_output`)."""
        old = self._content
        if content.plain == old.plain:
            return
        self._content = content
        if not partial or "\n" in content.plain or "\n" in old.plain:
            self.refresh()
            return
        same = 0
        for a, b in zip(old.plain, content.plain, strict=False):
            if a != b:
                break
            same += 1
        start = cell_len(content.plain[:same])
        end = max(old.cell_length, content.cell_length)
        self.refresh(Region(start, 0, max(1, end - start), 1))

    def render(self) -> Content:
        return self._content
