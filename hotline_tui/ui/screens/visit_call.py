"""The return-visit call (回访) dialog: everything the operator reads out or dials, the outcome in
a keystroke or two, the visit note, and what was recorded.

The dialog shows whom to call (name and number as the reader may see them: the services mask
them by role and hide a confidential order's caller from a department, see
:func:`hotline_tui.services.tickets.views.present_contact`), the lead department's reply to read
out, and how many calls went unanswered. Digits pick the outcome (1/2/3 resolved?, then 1/2/3
satisfied?; 0 unreachable, 9 declined); the note field then takes the focus, and Ctrl+S (or F10)
records outcome and note in one service call. The dialog then says what was recorded and what
became of the order, and Enter closes it with the service's result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static, TextArea

from hotline_tui.ui.actions import ACTIONS, Target
from hotline_tui.ui.i18n import choice_name, error_text, state_name, tr
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.text import content, plain
from hotline_tui.ui.widgets.bars import MessageLine
from hotline_tui.ui.widgets.lean import LeanTextArea

if TYPE_CHECKING:
    from hotline_tui.services.tickets.intake import Registered
    from hotline_tui.services.tickets.views import ContactView

__all__ = [
    "RESOLUTIONS",
    "SATISFACTIONS",
    "QuickVisit",
    "Recorded",
    "VisitCard",
    "after_text",
    "caller_name",
    "dial_text",
    "outcome_text",
]

RESOLUTIONS = ("resolved", "partly", "unresolved")
SATISFACTIONS = ("satisfied", "basic", "unsatisfied")


@dataclass(frozen=True)
class VisitCard:
    """One order to call back, as a visit list's row shows it."""

    target: Target
    caller: ContactView | None
    dept_name: str
    reply_text: str | None
    attempts: int = 0  # unanswered calls of this round so far


@dataclass(frozen=True)
class Recorded:
    """What a visit recorded: the values sent and the service's result."""

    number: str
    values: dict[str, Any]
    result: Registered
    attempt: int  # this call's number in the round


def caller_name(caller: ContactView | None) -> str:
    """The caller as a list's cell: the name, 匿名, or 保密件 where the reader may not see it;
    a confidential order's caller the reader does see is marked 保密."""
    if caller is None:
        return ""
    if caller.hidden:
        return tr("visit.hidden")
    name = caller.name or (tr("visit.anonymous") if caller.anonymous else "")
    return f"{name} {tr('visit.confidential')}".strip() if caller.confidential else name


def dial_text(caller: ContactView | None) -> str:
    """The number to dial (the call-back number when the caller gave one)."""
    if caller is None or caller.hidden:
        return ""
    return caller.dial or ""


def outcome_text(values: dict[str, Any], attempt: int) -> str:
    """The outcome picked, in words: 已联系 · 已解决 · 满意, 未接通（第 2 次）, 拒绝回访."""
    contact = str(values.get("contact") or "")
    if contact == "unreachable":
        return tr("visit.unreachable_nth", n=attempt)
    if contact == "declined":
        return choice_name("declined")
    parts = [contact, values.get("resolution"), values.get("satisfaction")]
    return " · ".join(choice_name(str(p)) for p in parts if p)


def after_text(state: str) -> str:
    """What became of the order."""
    if state in ("closed", "pending_visit", "unsatisfied"):
        return tr(f"visit.after.{state}")
    return tr("visit.after.other", state=state_name(state))


def _card_lines(card: VisitCard) -> list[str]:
    caller = card.caller
    if caller is None or caller.hidden:
        lines = [tr("visit.hidden_line")] if caller is not None else []
    else:
        lines = [tr("visit.caller", name=caller_name(caller))]
        if caller.callback_phone and caller.phone and caller.callback_phone != caller.phone:
            lines[0] += "　" + tr(
                "visit.dial_callback", phone=caller.callback_phone, contact=caller.phone
            )
        else:
            lines[0] += "　" + tr("visit.dial", phone=caller.dial or tr("visit.no_phone"))
    if card.attempts:
        lines.append(tr("visit.attempts", n=card.attempts))
    return lines


class QuickVisit(ConsoleModal["Recorded | None"]):
    """Whom to call and what to read out; the outcome, the note; then what was recorded."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f10", "record", tr("key.confirm"), id="visit.record", priority=True),
        Binding("escape", "back", tr("key.cancel"), id="visit.cancel"),
    ]

    def __init__(self, card: VisitCard) -> None:
        super().__init__()
        self.card = card
        self.target = card.target
        self.resolution: str | None = None
        self.values: dict[str, Any] | None = None  # the outcome, once picked
        self.recorded: Recorded | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        card = self.card
        with Vertical(classes="dialog", id="visit-box"):
            title = f"{tr('visit')} · {card.target.number}"
            yield Label(
                content(title + (f" · {card.dept_name}" if card.dept_name else "")),
                classes="dialog-title",
            )
            for line in _card_lines(card):
                yield Label(content(line), classes="visit-caller")
            yield Label(content(tr("visit.reply_of", dept=card.dept_name or "")), classes="section")
            with VerticalScroll(id="visit-reply-box"):
                yield Static(
                    content(card.reply_text or tr("visit.no_reply")), id="visit-reply-text"
                )
            yield Label("", id="visit-prompt")
            yield Label(tr("visit.note"), classes="section", id="visit-note-label")
            yield LeanTextArea(id="visit-note", classes="note")
            yield Static("", id="visit-done")
            yield MessageLine(id="visit-message")
            yield Label(tr("visit.hint"), classes="hint", id="visit-hint")

    def on_mount(self) -> None:
        self.query_one("#visit-done").display = False
        self.set_focus(None)  # digits pick the outcome; Tab reaches the note
        self._prompt()

    @property
    def attempt(self) -> int:
        return self.card.attempts + 1

    def _prompt(self) -> None:
        if self.values is not None:
            text = tr("visit.then_note", outcome=outcome_text(self.values, self.attempt))
        elif self.resolution is None:
            options = "  ".join(f"{n} {choice_name(v)}" for n, v in enumerate(RESOLUTIONS, 1))
            other = f"0 {choice_name('unreachable')}   9 {choice_name('declined')}"
            text = f"{tr('resolution')}：{options}   {other}"
        else:
            options = "  ".join(f"{n} {choice_name(v)}" for n, v in enumerate(SATISFACTIONS, 1))
            text = f"{choice_name(self.resolution)} · {tr('satisfaction')}：{options}"
        self.query_one("#visit-prompt", Label).update(content(text))

    def on_key(self, event: events.Key) -> None:
        if self.recorded is not None:
            if event.key == "enter":
                event.stop()
                self.dismiss(self.recorded)
            return
        key = event.character or ""
        if self.busy or self.values is not None or not key.isdigit():
            return
        if isinstance(self.focused, TextArea):
            return  # a digit typed into the note
        event.stop()
        digit = int(key)
        if self.resolution is None:
            if digit == 0:
                self._picked({"contact": "unreachable"})
            elif digit == 9:
                self._picked({"contact": "declined"})
            elif 1 <= digit <= 3:
                self.resolution = RESOLUTIONS[digit - 1]
                self._prompt()
        elif 1 <= digit <= 3:
            self._picked(
                {
                    "contact": "reached",
                    "resolution": self.resolution,
                    "satisfaction": SATISFACTIONS[digit - 1],
                }
            )

    def _picked(self, values: dict[str, Any]) -> None:
        self.values = values
        self.query_one(MessageLine).show("")
        self._prompt()
        self.query_one("#visit-note", TextArea).focus()

    def action_record(self) -> None:
        if self.busy or self.recorded is not None:
            return
        if self.values is None:
            self.query_one(MessageLine).show(tr("visit.choose_first"), "error")
            return
        values = {**self.values, "note": self.query_one("#visit-note", TextArea).text}
        target = self.target
        self.busy = True
        self.query_one(MessageLine).show("…")
        self.db(
            lambda: self._record(target, values),
            lambda result: self._done(values, result),
            group="act",
            exclusive=False,
            failed=self._failed,
        )

    def _record(self, target: Target, values: dict[str, Any]) -> Registered:
        """The visit through the catalogue (in the worker)."""
        from hotline_tui.ui.action_inputs import input_for

        spec = ACTIONS["visit"]
        result: Registered = self.backend.run(spec.action, input_for(spec, target, values))
        return result

    def _done(self, values: dict[str, Any], result: Registered) -> None:
        self.busy = False
        self.recorded = Recorded(result.number, values, result, self.attempt)
        note = plain(values.get("note") or "").strip()
        lines = [
            tr("visit.recorded", number=result.number),
            tr("visit.recorded_outcome", outcome=outcome_text(values, self.attempt)),
            tr("visit.recorded_note", note=note) if note else tr("visit.recorded_no_note"),
            after_text(result.state),
        ]
        for ident in ("#visit-prompt", "#visit-note-label", "#visit-note", "#visit-hint"):
            self.query_one(ident).display = False
        self.query_one(MessageLine).show(tr("visit.close_hint"))
        done = self.query_one("#visit-done", Static)
        done.update(content("\n".join(lines)))
        done.display = True
        self.set_focus(None)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.query_one(MessageLine).show(error_text(error), "error")

    def action_back(self) -> None:
        """Esc: close once recorded; from the note, pick the outcome again (the note stays);
        else cancel."""
        if self.busy:
            return
        if self.recorded is not None:
            self.dismiss(self.recorded)
        elif self.values is None and isinstance(self.focused, TextArea):
            self.set_focus(None)  # back from the note to the digits
            self._prompt()
        elif self.values is not None or self.resolution is not None:
            self.values = None
            self.resolution = None
            self.set_focus(None)
            self._prompt()
        else:
            self.dismiss(None)
