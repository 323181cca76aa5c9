"""F1: the keys of the screen underneath and of the whole console that the user's role may use,
from the bindings themselves (so a remapped key shows as remapped), all in Chinese.

A key whose action the role never has (the role table, :mod:`hotline_tui.domain.permissions`,
through the same checks that hide it from the key line) is not listed; a key the role has but
that does nothing on the current row is listed dimmed.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Label, Static

from hotline_tui.ui.i18n import key_name, tr
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.text import content, fit
from hotline_tui.ui.textual_compat import action_state, binding_chain

__all__ = ["HelpScreen", "help_lines"]


def _role_allows(node: DOMNode, action: str) -> bool:
    """The node's role check for the binding's action (True where the node has none)."""
    _target, name, parameters = parse(action)
    check = getattr(node, "role_allows", None)
    return True if check is None else bool(check(name, parameters))


def help_lines(screen: Screen[object]) -> list[tuple[str, str, bool]]:
    """(keys, description, enabled now) of every console key the user may use on ``screen``.

    Only the console's own bindings (those with an id, so remappable, Chinese descriptions) are
    listed, and of those only the keys the user's role may use.
    """
    app = screen.app
    lines: dict[str, tuple[str, str, bool]] = {}
    # The binding chain is what the footer itself reads.
    for node, bindings in binding_chain(screen):
        for _key, binding in bindings:
            if not binding.description or not binding.id:
                continue
            if not _role_allows(node, binding.action):
                continue
            state = action_state(app, binding.action, node)
            shown = key_name(binding.key_display or app.get_key_display(binding))
            entry = lines.get(binding.description)
            if entry is not None and shown in entry[0].split(", "):
                continue
            keys = shown if entry is None else f"{entry[0]}, {shown}"
            lines[binding.description] = (
                keys,
                binding.description,
                bool(state) or bool(entry and entry[2]),
            )
    return sorted(lines.values(), key=_order)


def _order(line: tuple[str, str, bool]) -> tuple[bool, bool, list[str | int]]:
    """Keys that work now first; function keys, then the others; F2 before F11."""
    keys, _description, enabled = line
    natural = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", keys)]
    return (not enabled, not (keys[:1] == "F" and keys[1:2].isdigit()), natural)


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
