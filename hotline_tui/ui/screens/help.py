"""F1: every key of the screen underneath and of the whole console, from the bindings themselves
(so a remapped key shows as remapped)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.text import content, fit

__all__ = ["HelpScreen", "help_lines"]


def help_lines(screen: Screen[object]) -> list[tuple[str, str, bool]]:
    """(keys, description, enabled) of every console key reachable on ``screen``.

    Only the console's own bindings (those with an id, so remappable) and quit/palette are
    listed; keys not allowed now (role, state) are listed too, marked disabled.
    """
    app = screen.app
    lines: dict[str, tuple[str, str, bool]] = {}
    # The binding chain is Textual's private API; it is what the footer itself reads.
    for node, bindings in screen._modal_binding_chain:
        for _key, binding in bindings:
            if not binding.description or not (binding.id or binding.action in _ALWAYS):
                continue
            state = app._check_action_state(binding.action, node)
            shown = binding.key_display or app.get_key_display(binding)
            entry = lines.get(binding.description)
            if entry is not None and shown in entry[0].split(", "):
                continue
            keys = shown if entry is None else f"{entry[0]}, {shown}"
            lines[binding.description] = (
                keys,
                binding.description,
                bool(state) or bool(entry and entry[2]),
            )
    return sorted(lines.values(), key=lambda line: (not line[2], len(line[0]) > 3, line[0]))


_ALWAYS = ("quit", "app.quit", "command_palette")


class HelpScreen(ConsoleModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss_help", tr("key.back")),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-box"):
            yield Label(tr("help.title"), classes="dialog-title")
            for keys, description, enabled in help_lines(self.under):
                row = content(f"{fit(keys, 14)} {description}", "" if enabled else "dim")
                yield Static(row, classes="help-row")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
