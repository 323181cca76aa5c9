"""A one-line choice for the keyboard: ← → (or space) cycle, a digit picks, Enter moves on.

Smaller and cheaper to repaint than a drop-down: one line, redrawn only when the value changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from hotline_tui.ui.text import plain

__all__ = ["Choice"]


class Choice(Widget, can_focus=True):
    """Pick one of ``options`` (value, label); the label is data, shown literally."""

    DEFAULT_CSS = """
    Choice { height: 1; width: auto; min-width: 8; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", show=False),
        Binding("right,space", "step(1)", show=False),
        Binding("enter", "app.focus_next", show=False),
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, choice: Choice, value: str) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        *,
        value: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = list(options)
        if value is not None:
            self.set_reactive(Choice.index, self._position(value))

    def _position(self, value: str) -> int:
        for position, (option, _label) in enumerate(self.options):
            if option == value:
                return position
        return 0

    @property
    def value(self) -> str:
        return self.options[self.index][0] if self.options else ""

    @value.setter
    def value(self, value: str) -> None:
        self.index = self._position(value)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the longest label: a value changed later is never cut, and changing it
        never moves the widgets beside it (nothing but this line is repainted)."""
        labels = [plain(label, single_line=True) for _value, label in self.options] or [""]
        return max(cell_len(label) for label in labels) + 4  # "‹ " and " ›"

    def render(self) -> Content:
        label = plain(self.options[self.index][1], single_line=True) if self.options else ""
        return Content.assemble(("‹ ", "dim"), label, (" ›", "dim"))

    def action_step(self, delta: int) -> None:
        if self.options:
            self.index = (self.index + delta) % len(self.options)

    def watch_index(self, old: int, new: int) -> None:
        if old != new:
            self.post_message(self.Changed(self, self.value))

    def on_key(self, event: events.Key) -> None:
        key = event.character or ""
        if key.isdigit() and 1 <= int(key) <= len(self.options):
            self.index = int(key) - 1
            event.stop()
