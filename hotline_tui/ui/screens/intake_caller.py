"""受理's caller lookup: the phone number checked as it is typed, the caller's history read for a
valid one (in a worker, read again when another console registers from it), its summary at once
and its order lines once the operator pauses; F7 shows the caller's orders.

:class:`CallerLookup` is the intake screen's base (:class:`~hotline_tui.ui.screens.intake.
IntakeScreen`, which hands it the phone field's changes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from hotline_tui.ui.i18n import error_text, state_name, tr
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.text import clip, content, short_time
from hotline_tui.ui.widgets.bars import MessageLine
from hotline_tui.ui.widgets.history import HistoryLines

if TYPE_CHECKING:
    from textual.content import Content

    from hotline_tui.services.tickets.lookup import CallerHistory

__all__ = ["HISTORY_LINES", "HISTORY_PAUSE", "CallerLookup"]

HISTORY_LINES = 3
HISTORY_PAUSE = 0.4  # seconds without a key before the history's order lines are painted


class CallerLookup(ConsoleScreen):
    """The phone field and the caller's history of the intake form."""

    history: CallerHistory | None
    _looked_up: str

    def reload(self) -> None:
        """Another console registered from this number: read the history again."""
        phone = self._looked_up
        if phone:
            self._looked_up = ""
            self._lookup(phone)

    def wants(self, changes: Any) -> bool:
        return bool(self._looked_up) and any(c.action == "register" for c in changes)

    def _phone_typed(self, value: str) -> None:
        from hotline_tui.domain.errors import ValidationError
        from hotline_tui.domain.validation import validate_phone

        text = value.strip()
        problem = ""
        phone = None
        if text:
            try:
                phone = validate_phone(text)
            except ValidationError as exc:
                digits = sum(ch.isdigit() for ch in text)
                if digits >= 11 or exc.params.get("reason") in ("format", "prefix"):
                    problem = error_text(exc)
        self._show_phone_problem(problem)
        if phone is not None:
            self._lookup(phone)

    def _show_phone_problem(self, problem: str) -> None:
        """Say what is wrong with the number as it is typed; clear only our own message."""
        message = self.query_one(MessageLine)
        if problem:
            message.show(problem, "error")
            self._phone_problem = True
        elif getattr(self, "_phone_problem", False):
            message.show("")
            self._phone_problem = False

    def _lookup(self, phone: str) -> None:
        if phone == self._looked_up or self.ui.actor is None:
            return
        self._looked_up = phone
        self.db(
            lambda: self.backend.history(phone),
            lambda history: self._show_history(history, phone),
            group="history",
        )

    def _show_history(self, history: CallerHistory, phone: str) -> None:
        if phone != self._looked_up:
            # The call it was read for is over (saved, or F8): a reload started by this
            # console's own save must not paint the history, nor fill in the name, of the next.
            return
        self.history = history
        lines: list[tuple[str, str]] = []
        if not history.orders:
            lines.append((tr("intake.history_none"), "dim"))
        else:
            head = tr(
                "intake.history",
                n=max(history.total, len(history.orders)),
                open=len(history.open_numbers),
            )
            # Compact: this line is written in answer to the number's last digit.
            if history.repeat:
                head += " ⚠" + tr("intake.repeat")
            if history.abusive:
                head += " ⚠" + tr("history.abusive")
            lines.append((head, "bold" if history.repeat else ""))
            for order in history.orders[:HISTORY_LINES]:
                mark = "●" if order.number in history.open_numbers else " "
                lines.append(
                    (
                        f"{mark} {order.number} {short_time(order.created_at)} "
                        f"{state_name(order.state)} {clip(order.title or order.description, 36)}",
                        "" if mark == "●" else "dim",
                    )
                )
        shown = [content(text, style, single_line=True) for text, style in lines]
        # The summary (how many, open, ⚠ repeat/abusive) at once; the order lines once the
        # operator pauses, so the keystroke that completed the number stays cheap on the wire.
        self.query_one("#history", HistoryLines).show_lines(shown[:1])
        self._history_rest = shown
        self._rest_when_paused()

    _history_rest: list[Content] | None = None

    @property
    def history_pending(self) -> bool:
        """The history's order lines wait for the operator to pause."""
        return self._history_rest is not None

    def _rest_when_paused(self) -> None:
        """The history's order lines and the caller's name, once no key came for a moment."""
        if self._history_rest is None:
            return
        idle = self.ui.idle_seconds()
        if idle < HISTORY_PAUSE:
            self.set_timer(HISTORY_PAUSE - idle, self._rest_when_paused)
            return
        self.query_one("#history", HistoryLines).show_lines(self._history_rest)
        self._history_rest = None
        name = self.query_one("#name", Input)
        if self.history is not None and self.history.name and not name.value and not name.disabled:
            name.value = self.history.name

    def action_caller_orders(self) -> None:
        if self._looked_up:
            self.ui.find_phone(self._looked_up)
