"""The intake's enterprise caller: looked up by name or credit code as it is typed (after a
short pause, in a worker), the matches listed where the caller history goes, Enter fills in the
first one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.text import content, plain
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.history import HistoryLines

if TYPE_CHECKING:
    from textual.timer import Timer

    from hotline_tui.services.tickets.lookup import EnterpriseView
    from hotline_tui.ui.screens.intake import IntakeScreen

__all__ = ["LOOKUP_DELAY", "IntakeEnterprises"]

LOOKUP_DELAY = 0.3
SHOWN = 3


class IntakeEnterprises:
    """The enterprise part of one intake screen."""

    def __init__(self, screen: IntakeScreen) -> None:
        self.screen = screen
        self.found: list[EnterpriseView] = []
        self._timer: Timer | None = None

    def typed(self, value: str) -> None:
        """The name or the credit code changed: look the enterprise up after a pause."""
        screen = self.screen
        if (
            screen.query_one("#caller_kind", Choice).value != "enterprise"
            or screen.ui.actor is None
        ):
            return
        text = value.strip()
        if len(text) < 2:
            self.found = []
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = screen.set_timer(
            LOOKUP_DELAY,
            lambda: screen.db(
                lambda: screen.backend.enterprises(text), self._show, group="enterprise"
            ),
        )

    def _show(self, found: list[EnterpriseView]) -> None:
        self.found = found
        if not found:
            return
        body = content(tr("intake.enterprise_pick"), "dim")
        for item in found[:SHOWN]:
            line = tr("intake.enterprise_found", name=item.name, code=item.credit_code or "")
            body = body.append(content("\n" + line))
        self.screen.history_replaced()
        self.screen.query_one("#history", HistoryLines).update(body)

    def fill_first(self) -> None:
        """Enter in the name or the credit code: the first match fills both."""
        if not self.found:
            return
        item = self.found[0]
        self.screen.query_one("#name", Input).value = plain(item.name, single_line=True)
        if item.credit_code:
            self.screen.query_one("#credit_code", Input).value = item.credit_code
        self.found = []
