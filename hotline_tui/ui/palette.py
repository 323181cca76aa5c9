"""The command palette (Ctrl+P), in Chinese and the console's own only.

- :class:`JumpProvider` - type an order number to open it, or a phone number to see the caller's
  orders (the phone first: an 11-digit mobile number is never an order number). Only the typed
  text is used (no database call while typing).
- :class:`CommandsProvider` - the console's commands the user's role may use (the modes, help,
  lock, notices, quit), with their keys.
- :class:`ConsolePalette` - Textual's palette with a Chinese prompt and "no match" line.

Textual's own commands (theme, screenshot, maximize, quit in English) are not offered: the app's
``COMMANDS`` names these providers only and ``get_system_commands`` yields nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Final, cast

from rich.align import Align
from rich.text import Text
from textual.app import ComposeResult
from textual.command import (
    CommandInput,
    CommandList,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
    SearchIcon,
)
from textual.containers import Horizontal, Vertical
from textual.strip import Strip
from textual.widgets import Button, LoadingIndicator

from hotline_tui.ui.i18n import key_name, tr
from hotline_tui.ui.text import content, plain
from hotline_tui.ui.textual_compat import NoMatchesLine
from hotline_tui.ui.widgets.selection import mark_selected

if TYPE_CHECKING:
    from hotline_tui.ui.app import HotlineApp

__all__ = ["CommandsProvider", "ConsolePalette", "JumpProvider", "jump_targets"]

ORDER_DIGITS: Final = 14  # YYYYMMDD and a six-digit (or longer) sequence


def jump_targets(query: str) -> list[tuple[str, str]]:
    """("phone", number) and/or ("order", number) for what was typed, the phone first."""
    text = "".join(ch for ch in plain(query, single_line=True) if not ch.isspace())
    digits = text.translate(str.maketrans("０１２３４５６７８９－", "0123456789-")).replace("-", "")
    if not digits.isdigit():
        return []
    targets: list[tuple[str, str]] = []
    if (len(digits) == 11 and digits.startswith("1")) or (
        7 <= len(digits) <= 12 and digits.startswith("0")
    ):
        targets.append(("phone", digits))
    if len(digits) >= ORDER_DIGITS:
        targets.append(("order", digits))
    return targets


class JumpProvider(Provider):
    """Jump to an order by number, or to the orders of a phone number."""

    @property
    def ui(self) -> HotlineApp:
        return cast("HotlineApp", self.app)

    async def discover(self) -> Hits:
        yield DiscoveryHit(content(tr("palette.hint")), lambda: None)

    async def search(self, query: str) -> Hits:
        for kind, value in jump_targets(query):
            if kind == "order":
                label = tr("palette.jump", number=value)
                yield Hit(0.9, content(label), partial(self.ui.open_order, value), text=label)
            else:
                label = tr("palette.phone", phone=value)
                yield Hit(1.0, content(label), partial(self.ui.find_phone, value), text=label)


class CommandsProvider(Provider):
    """The console's commands the user may use now, by their Chinese names."""

    @property
    def ui(self) -> HotlineApp:
        return cast("HotlineApp", self.app)

    def commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """(name, key, what it does) of each command the user's role may use."""
        yield from self.ui.palette_commands()

    async def discover(self) -> Hits:
        for name, key, run in self.commands():
            yield DiscoveryHit(content(name), run, help=tr("palette.command", keys=key_name(key)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(plain(query, single_line=True))
        for name, key, run in self.commands():
            score = matcher.match(name)
            if score > 0:
                # Below a jump: a number typed is an order or a phone, not a command.
                yield Hit(
                    score * 0.8, content(name), run, help=tr("palette.command", keys=key_name(key))
                )


class ChosenCommandList(CommandList):
    """The palette's list, the highlighted command in reverse video (as every list here)."""

    def render_line(self, y: int) -> Strip:
        return mark_selected(self, y, super().render_line(y))


class ConsolePalette(NoMatchesLine):
    """Textual's palette, its prompt and its "no match" line in Chinese, its selected line
    reversed."""

    def __init__(self) -> None:
        super().__init__(id="--command-palette", placeholder=tr("palette.placeholder"))

    def compose(self) -> ComposeResult:
        """Textual's own layout (pinned at 8.2.8) with :class:`ChosenCommandList`."""
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield CommandInput(placeholder=self.placeholder_text, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield ChosenCommandList()
                yield LoadingIndicator()

    def no_matches(self) -> Align:
        return Align.center(Text(tr("palette.none"), style="not bold"))
