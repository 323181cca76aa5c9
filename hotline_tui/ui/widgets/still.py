"""A one-line widget that repaints only when its text changes (never by a clock, never for a
refresh that would write the same characters again): the key line, the intake's suggestions."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

__all__ = ["StillLine"]


class StillLine(Widget):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content = Content("")

    def set_content(self, content: Content) -> None:
        """Show ``content``; repaint only if its text differs from what is shown."""
        if content.plain != self._content.plain:
            self._content = content
            self.refresh()

    def render(self) -> Content:
        return self._content
