"""Screens whose rows can be acted on: a key per lifecycle action, offered only where the user's
role and the row's state allow it (``check_action`` over :func:`hotline_tui.ui.actions.enabled`),
each confirmed in an :class:`ActionModal`."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding

from hotline_tui.ui.actions import ACTIONS, Target, enabled
from hotline_tui.ui.i18n import action_name, state_name, tr
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.screens.order_tools import modal_for

if TYPE_CHECKING:
    from hotline_tui.services.tickets.intake import Registered

__all__ = ["ACTION_BINDINGS", "ActingScreen"]

ACTION_BINDINGS = [
    Binding(spec.key, f"act('{spec.name}')", action_name(spec.name), id=f"act.{spec.name}")
    for spec in ACTIONS.values()
]


class ActingScreen(ConsoleScreen):
    """A screen with a current :class:`Target` (the row under the cursor)."""

    # Which actions this screen offers (all by default).
    OFFERS: ClassVar[tuple[str, ...]] = tuple(ACTIONS)

    def current_target(self) -> Target | None:
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "act":
            return True
        name = str(parameters[0]) if parameters else ""
        actor = self.ui.actor
        if actor is None or name not in self.OFFERS:
            return False
        return enabled(ACTIONS[name], actor.role, self.current_target())

    def action_act(self, name: str) -> None:
        target = self.current_target()
        actor = self.ui.actor
        if target is None or actor is None or not enabled(ACTIONS[name], actor.role, target):
            return
        modal = modal_for(name, target)
        self.app.push_screen(modal, lambda result: self.acted(name, result))

    def acted(self, name: str, result: Registered | None) -> None:
        if result is None:
            return
        self.notify(
            tr(
                "action.done",
                action=action_name(name),
                number=result.number,
                state=state_name(result.state),
            ),
            markup=False,
        )
        self.reload()

    _offered: frozenset[str] | None = None

    def target_moved(self) -> None:
        """The cursor moved to another row: refresh the footer only if the offered keys changed
        (a footer repaint per row moved would cost more than the row itself on a slow link)."""
        actor = self.ui.actor
        target = self.current_target()
        offered = frozenset(
            name
            for name in self.OFFERS
            if actor is not None and enabled(ACTIONS[name], actor.role, target)
        )
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()
