"""A type-to-find picker: an input whose matches drop down below it.

The screen gives it a search function (over the pinyin pick lists, in memory); the picker shows
the matches, ↑/↓ move, Enter picks, Esc closes the list. One value (category, area, lead
department) or several (co-handlers: each Enter adds one, Backspace on an empty input removes
the last). Labels are data, shown literally.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from hotline_tui.ui.text import clip, content, plain
from hotline_tui.ui.widgets.selection import SelectList

if TYPE_CHECKING:
    from hotline_tui.services.reference.pickers import PickItem

__all__ = ["Picker", "pick_line"]

Search = Callable[[str], "Sequence[PickItem]"]
LIST_WIDTH = 48


def pick_line(item: PickItem, width: int = LIST_WIDTH - 2) -> str:
    """A match as the list shows it in ``width`` cells: the full name (and short name) and the
    detail where they fit; else the short name first, whole, then the detail and the full name
    cut at the end (cut full names look alike: 青川市市场监督管理局东湖分局 / …西山分局)."""
    line = f"{item.label}  {item.detail}"
    if cell_len(line) <= width or not item.short_name or item.short_name == item.name:
        return clip(line, width)
    return clip(f"{item.short_name}  {item.detail}  {item.name}", width)


class PickerInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("escape", "close", show=False),
    ]

    @property
    def picker(self) -> Picker | None:
        for node in self.ancestors:
            if isinstance(node, Picker):
                return node
        return None

    def action_move(self, delta: int) -> None:
        picker = self.picker
        if picker is not None:
            picker.move(delta)

    def action_close(self) -> None:
        picker = self.picker
        if picker is not None and picker.list_open:
            picker.close_list()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc closes an open list, and only then: with the list closed the key goes on to the
        dialog or screen around the picker (取消 in an action's dialog)."""
        if action == "close":
            picker = self.picker
            return picker is not None and picker.list_open
        return True

    def on_key(self, event: events.Key) -> None:
        picker = self.picker
        if (
            event.key == "backspace"
            and not self.value
            and isinstance(picker, Picker)
            and picker.multiple
            and picker.values
        ):
            picker.remove_last()
            event.stop()
            event.prevent_default()
        # Otherwise Input's own key handling runs next (Textual calls each class's handler).


class Picker(Vertical):
    """Pick one code (``value``) or several (``values``) by typing."""

    DEFAULT_CSS = """
    Picker { height: 1; width: 1fr; }
    Picker > .picker--row { height: 1; width: 1fr; }
    Picker PickerInput { width: 1fr; }
    Picker .picker--chosen { width: auto; max-width: 40; padding: 0 1 0 0; }
    Picker > OptionList {
        display: none; overlay: screen; constrain: none inside;
        height: auto; max-height: 8; width: 48; border: none; padding: 0;
    }
    Picker.-open > OptionList { display: block; }
    """

    class Picked(Message):
        """A value was picked (or, for ``multiple``, the set of values changed)."""

        def __init__(self, picker: Picker, code: str | None) -> None:
            super().__init__()
            self.picker = picker
            self.code = code

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(
        self,
        *,
        placeholder: str = "",
        multiple: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.placeholder = placeholder
        self.multiple = multiple
        self.search: Search | None = None
        self.value: str | None = None
        self.values: list[str] = []
        self._labels: dict[str, str] = {}
        self._matches: list[PickItem] = []
        self._quiet = False

    def compose(self) -> ComposeResult:
        # The input on one row; the matches drop down below it, over whatever is there.
        with Horizontal(classes="picker--row"):
            if self.multiple:
                yield Label("", classes="picker--chosen")
            yield PickerInput(placeholder=self.placeholder, compact=True)
        yield SelectList(compact=True)

    @property
    def input(self) -> PickerInput:
        return self.query_one(PickerInput)

    @property
    def list_open(self) -> bool:
        return self.has_class("-open")

    @property
    def text(self) -> str:
        return self.input.value

    def focus(self, scroll_visible: bool = True) -> Picker:
        self.input.focus(scroll_visible)
        return self

    # ------------------------------------------------------------------ setting values

    def set_value(self, code: str | None, label: str = "") -> None:
        """Show ``label`` for ``code`` (e.g. the catalogue's suggestion) without searching."""
        if self.multiple:
            if code and code not in self.values:
                self.values.append(code)
                self._labels[code] = label or code
            self._show_chosen()
            return
        self.value = code
        self._set_text(plain(label or code or "", single_line=True))

    def set_values(self, items: Sequence[tuple[str, str]]) -> None:
        self.values = [code for code, _ in items]
        self._labels = dict(items)
        self._show_chosen()

    def clear(self) -> None:
        self.value = None
        self.values = []
        self._labels = {}
        self._set_text("")
        if self.multiple:
            self._show_chosen()
        self.close_list()

    def _set_text(self, text: str) -> None:
        """Change the input's text without searching for it."""
        if self.input.value != text:
            self._quiet = True
            self.input.value = text
        self.input.cursor_position = len(text)

    def remove_last(self) -> None:
        if self.values:
            self.values.pop()
            self._show_chosen()
            self.post_message(self.Picked(self, None))

    def _show_chosen(self) -> None:
        if self.multiple:
            chosen = "、".join(self._labels.get(code, code) for code in self.values)
            self.query_one(".picker--chosen", Label).update(content(chosen, single_line=True))

    # ------------------------------------------------------------------ searching

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._quiet:
            self._quiet = False
            return
        if not self.multiple and self.value is not None:
            self.value = None  # edited after picking: not that value any more
            self.post_message(self.Picked(self, None))
        self.refresh_matches()

    def refresh_matches(self) -> None:
        text = self.input.value.strip()
        # An empty text is searched too: a search may offer something first (the intake's
        # suggestions); the pick lists' own searches find nothing for it.
        matches = list(self.search(text)) if self.search else []
        self._matches = matches
        options = self.query_one(OptionList)
        options.clear_options()
        if not matches:
            self.close_list()
            return
        options.add_options(Option(content(pick_line(item))) for item in matches)
        options.highlighted = 0
        self.add_class("-open")

    def close_list(self) -> None:
        self.remove_class("-open")

    def move(self, delta: int) -> None:
        if not self.list_open:
            self.refresh_matches()
            return
        options = self.query_one(OptionList)
        count = options.option_count
        if count:
            current = options.highlighted or 0
            options.highlighted = (current + delta) % count

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if not self.list_open:
            return  # let the screen move on to the next field
        event.stop()
        index = self.query_one(OptionList).highlighted
        if index is not None and 0 <= index < len(self._matches):
            self.pick(self._matches[index])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._matches):
            self.pick(self._matches[event.option_index])

    def pick(self, item: PickItem) -> None:
        self.close_list()
        if self.multiple:
            self._set_text("")
            self.set_value(item.code, item.short_name or item.name)
            self.post_message(self.Picked(self, item.code))
            return
        self.set_value(item.code, item.label)
        self.post_message(self.Picked(self, item.code))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Reached empty: open on what the search offers for nothing typed (if anything)."""
        if not self.multiple and self.value is None and not self.input.value.strip():
            self.refresh_matches()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.close_list()
