"""The two questions about a typed call that is not saved yet, each showing the call whole
(number, caller, the start of the description), wrapped to the dialog's width:

- :class:`DraftOffer` - a draft from an earlier session: restore it (Enter) or discard it (Esc);
- :class:`NewCallConfirm` - F8 on a typed call: keep working (Enter, Esc) or clear it (F8 again).

Only keys that are never typed into a field answer them (no letters): a dialog that appears while
the operator is typing must not take the next letter as its answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.text import content, local_time, plain

if TYPE_CHECKING:
    from hotline_tui.services.tickets.drafts import Draft

__all__ = ["DraftOffer", "NewCallConfirm", "call_lines"]

DESCRIPTION_CHARS = 160  # the start of the description: about three lines of the dialog


def call_lines(fields: Mapping[str, str]) -> ComposeResult:
    """The call's number and caller on one line, the start of its description below (wrapped)."""
    name = fields.get("name", "")
    if fields.get("caller_kind") == "anonymous":
        name = tr("kind.anonymous")
    who = [
        f"{tr(label)}：{plain(value, single_line=True).strip()}"
        for label, value in (("intake.phone", fields.get("phone", "")), ("intake.name", name))
        if value.strip()
    ]
    if who:
        yield Label(content("   ".join(who)), classes="call-who")
    said = " ".join(plain(fields.get("description", "")).split())
    if said:
        if len(said) > DESCRIPTION_CHARS:
            said = said[:DESCRIPTION_CHARS] + "…"
        yield Label(content(f"{tr('intake.description')}：{said}"), classes="call-said")


class DraftOffer(ConsoleModal[bool]):
    """An unsaved intake draft from an earlier session: restore it (Enter) or discard it (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "answer(True)", tr("draft.restore")),
        Binding("escape", "answer(False)", tr("draft.discard")),
    ]

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog call-dialog", id="draft-offer"):
            at = local_time(self.draft.saved_at)
            yield Label(content(tr("draft.offer", at=at)), classes="dialog-title")
            yield from call_lines(self.draft.fields)
            yield Label(tr("draft.question"))
            with Horizontal(classes="buttons"):
                yield Button(tr("draft.restore") + " (Enter)", id="restore", compact=True)
                yield Button(tr("draft.discard") + " (Esc)", id="discard", compact=True)

    def action_answer(self, restore: bool) -> None:
        self.dismiss(restore)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "restore")


class NewCallConfirm(ConsoleModal[bool]):
    """F8 on a typed call: True clears it (F8 again), False keeps working (Enter, Esc).

    Why not "save as draft": there is one draft per operator, the next call's typing would
    overwrite it at once; a call to keep is saved as an order (待派单 keeps it in the queue).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "answer(False)", tr("newcall.keep")),
        Binding("f8", "answer(True)", tr("newcall.clear"), priority=True),
    ]

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__()
        self.fields = dict(fields)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog call-dialog", id="new-call-confirm"):
            yield Label(tr("newcall.title"), classes="dialog-title")
            yield from call_lines(self.fields)
            yield Label(tr("newcall.warning"))
            with Horizontal(classes="buttons"):
                yield Button(tr("newcall.keep") + " (Enter)", id="keep", compact=True)
                yield Button(tr("newcall.clear") + " (F8)", id="clear", compact=True)

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_answer(self, clear: bool) -> None:
        self.dismiss(clear)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "clear")
