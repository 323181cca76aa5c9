"""The hotline's own steps against their time limits: the hotline is measured too.

Departments are held to their sign and completion limits; the hotline's dispatchers have three
steps of their own that an order can wait on (DESIGN.md §3, §4):

- ``dispatch`` 派单: an order waiting in the dispatch queue, due the rule's ``dispatch`` limit
  after it entered the queue (at registration for a new order; DESIGN.md §4: 1 wd, urgent 2 h,
  critical 1 h);
- ``return_review`` 退单审核: a department's return waiting for the hotline's decision;
- ``extension_decision`` 延期审批: a department's extension request waiting for a decision.

§4 has no published limit for the last two; the settings ``hotline_return_review_limit`` and
``hotline_extension_decision_limit`` hold them (1 working day each by default: a return or a
request decided the next working day keeps the department's clock honest, see the README).

Each step's due time and warning (黄灯) are computed like a department's
(:func:`hotline_tui.domain.limits.warned_due`, the same ``warn_fraction``), and a row is
"near" or "overdue" by the same function as a department's row
(:func:`hotline_tui.domain.clock.due_status`). A step overdue is escalated to the
supervisors once per step and deadline (:data:`LATE_STEPS`, the scheduler's names).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from hotline_tui.domain.limits import Limit, warned_due
from hotline_tui.domain.states import AssignmentState

if TYPE_CHECKING:
    from hotline_tui.domain.workcal import WorkCalendar

__all__ = [
    "HOTLINE",
    "LATE_STEPS",
    "REVIEW_STEP_OF",
    "HotlineStep",
    "StepDue",
    "step_due",
]

HOTLINE = "hotline"
"""The code the hotline's own row carries on the deadline boards, beside the departments'."""


class HotlineStep(StrEnum):
    """A step the hotline itself must take in time."""

    DISPATCH = "dispatch"  # 派单
    RETURN_REVIEW = "return_review"  # 退单审核
    EXTENSION_DECISION = "extension_decision"  # 延期审批


LATE_STEPS = {
    HotlineStep.DISPATCH: "dispatch_late",
    HotlineStep.RETURN_REVIEW: "return_review_late",
    HotlineStep.EXTENSION_DECISION: "extension_late",
}
"""The scheduler's step (``hotline_step_late.step``) when each is overdue."""

REVIEW_STEP_OF = {
    AssignmentState.RETURN_REVIEW.value: HotlineStep.RETURN_REVIEW,
    AssignmentState.EXTENSION_REVIEW.value: HotlineStep.EXTENSION_DECISION,
}
"""A department's part in these states waits for the hotline's decision."""


@dataclass(frozen=True)
class StepDue:
    """When a hotline step is due, when it turns yellow, and whether a year was unknown."""

    due_at: datetime
    warn_at: datetime
    provisional: bool


def step_due(cal: WorkCalendar, start: datetime, limit: Limit, warn_fraction: float) -> StepDue:
    """The due time of a step begun at ``start`` with ``limit``, and its warning time."""
    due, warn = warned_due(cal, start, limit, warn_fraction)
    return StepDue(due.at, warn.at, due.provisional or warn.provisional)
