"""Due times of the hotline's own steps, set as the order moves (the rules are
:mod:`hotline_tui.domain.hotline_steps`).

- :func:`dispatch_times` - an order entering the dispatch queue: due after the rule's
  ``dispatch`` limit, yellow when ``warn_fraction`` of it is left (``due_times.on_order_state``);
- :func:`on_part_state` - a department's part entering 退单审核中 or 延期审批中: the hotline's
  decision is due after ``hotline_return_review_limit`` / ``hotline_extension_decision_limit``;
  any other state clears it (``common.move_assignment`` calls it on every change of state, so
  no decision can leave a stale due time behind).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from hotline_tui.domain.errors import ConfigError, ValidationError
from hotline_tui.domain.hotline_steps import REVIEW_STEP_OF, HotlineStep, StepDue, step_due
from hotline_tui.domain.limits import Limit, TimeLimits
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets.timelimits import calendar_for

__all__ = ["SETTING_OF", "dispatch_times", "on_part_state", "step_limit"]

SETTING_OF = {
    HotlineStep.RETURN_REVIEW: "hotline_return_review_limit",
    HotlineStep.EXTENSION_DECISION: "hotline_extension_decision_limit",
}
"""The setting that holds each decision's limit (dispatch has the rule's own)."""


class PartLike(Protocol):
    state: str
    review_due_at: datetime | None
    review_warn_at: datetime | None


def step_limit(hl: Hotline, step: HotlineStep, limits: TimeLimits) -> Limit:
    """The limit of a hotline step for an order with ``limits``."""
    if step is HotlineStep.DISPATCH:
        return limits.dispatch
    setting = SETTING_OF[step]
    value = str(getattr(hl.settings, setting))
    try:
        return Limit.parse(value, field=setting)
    except ValidationError as exc:
        raise ConfigError("config.hotline_limit", setting=setting, value=value) from exc


def dispatch_times(hl: Hotline, start: datetime, limits: TimeLimits) -> StepDue:
    """When an order queued for dispatch at ``start`` must be dispatched, and turns yellow."""
    limit = step_limit(hl, HotlineStep.DISPATCH, limits)
    return step_due(calendar_for(hl), start, limit, limits.warn_fraction)


def on_part_state(
    hl: Hotline, part: PartLike, limits: Callable[[], TimeLimits], now: datetime
) -> None:
    """After a part's state changed: the hotline's decision due on it, or none (``limits``:
    the order's, looked up only when a decision is due)."""
    step = REVIEW_STEP_OF.get(part.state)
    if step is None:
        part.review_due_at = None
        part.review_warn_at = None
        return
    rules = limits()
    due = step_due(calendar_for(hl), now, step_limit(hl, step, rules), rules.warn_fraction)
    part.review_due_at = due.due_at
    part.review_warn_at = due.warn_at
