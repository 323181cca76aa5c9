"""Screens whose rows can be acted on: a key per lifecycle action, offered only where the user's
role and the row's state allow it (``check_action`` over :func:`hotline_tui.ui.actions.enabled`),
each confirmed in an :class:`ActionModal`."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from hotline_tui.domain.lifecycle import ASSIGNMENT_TRANSITIONS, AssignmentAction
from hotline_tui.ui.actions import ACTIONS, Target, enabled, role_may
from hotline_tui.ui.i18n import action_name, state_name, tr
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.screens.order_tools import modal_for

__all__ = ["ACTION_BINDINGS", "ActingScreen", "done_text"]

ACTION_BINDINGS = [
    Binding(spec.key, f"act('{spec.name}')", action_name(spec.name), id=f"act.{spec.name}")
    for spec in ACTIONS.values()
]


def done_text(name: str, result: object, target: Target | None) -> str:
    """What an accepted action did. A department's action says what became of its part and
    whether the order moved (a co-handler's 签收 leaves the order 待签收 until the lead signs:
    the order's state alone read as if nothing had happened). An action that does not move the
    order (添加材料: its result is the material) names the order as it was."""
    spec = ACTIONS[name]
    number, state_code = _order_after(result, target)
    state = state_name(state_code)
    if spec.part_action is None or target is None or not target.dept or not target.part_state:
        return tr("action.done", action=action_name(name), number=number, state=state)
    step = ASSIGNMENT_TRANSITIONS[spec.part_action].get(target.part_state)
    if step is None or spec.part_action is AssignmentAction.RETURN_REJECT:  # depends on signing
        return tr("action.done", action=action_name(name), number=number, state=state)
    same = state_code == target.ticket_state
    return tr(
        "action.part_done",
        action=action_name(name),
        number=number,
        dept=target.dept,
        role=tr(f"role.{target.part_role or 'lead'}"),
        part=state_name(step.target),
        ticket=tr("action.ticket_same" if same else "action.ticket_moved", state=state),
    )


def _order_after(result: object, target: Target | None) -> tuple[str, str]:
    """The order's number and state after an action: the result's (an order's outcome), else
    the row's."""
    number, state = getattr(result, "number", None), getattr(result, "state", None)
    if isinstance(number, str) and isinstance(state, str):
        return number, state
    assert target is not None
    return target.number, target.ticket_state


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
        return enabled(ACTIONS[name], actor, self.current_target())

    def role_allows(self, action: str, parameters: tuple[object, ...]) -> bool:
        """Whether the user's role may ever use this key here (the help lists only those; the
        footer shows only the ones that work on the current row)."""
        if action != "act":
            return True
        name = str(parameters[0]) if parameters else ""
        actor = self.ui.actor
        return actor is not None and name in self.OFFERS and role_may(ACTIONS[name], actor.role)

    def action_act(self, name: str) -> None:
        target = self.current_target()
        actor = self.ui.actor
        if target is None or actor is None or not enabled(ACTIONS[name], actor, target):
            return
        modal = modal_for(name, target)
        self._acting = target
        self.app.push_screen(modal, lambda result: self.acted(name, result))

    _acting: Target | None = None  # the row acted on, for the message after

    def acted(self, name: str, result: object | None) -> None:
        if result is None:
            return
        self.notify(done_text(name, result, self._acting), markup=False)
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
            if actor is not None and enabled(ACTIONS[name], actor, target)
        )
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()
