"""A department part against its time limits: whether its clock runs, which due time it is
measured by, and whether it is near due or overdue — the one definition.

Every count of "on time", "near due" and "overdue" (the queues, the order view, the supervision
board, the scheduler's ladder, the measures to come) reads these rules; the SQL forms are built
from the same states (:data:`CLOCK_RUNNING_STATES` names the partial index's ``WHERE`` in
:mod:`db.models.tickets`; :mod:`hotline_tui.services.tickets.due_sql` writes the predicates).

- the clock runs while a part waits to be signed, is being handled, or has a return or an
  extension request under review (the pause settings move its due time; the state keeps it
  counted);
- a part is measured by its sign due until it is signed, then by its completion due;
- *overdue*: the due time has passed (``due <= now``); *near due*: the warning time has passed
  but not the due time. A part still unsigned after its sign due is overdue too.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from hotline_tui.domain.states import AssignmentState

__all__ = [
    "CLOCK_RUNNING_STATES",
    "DeadlineKind",
    "DueStatus",
    "clock_runs",
    "due_status",
    "part_deadline",
    "part_due_status",
    "shown_due",
]

CLOCK_RUNNING_STATES: tuple[str, ...] = (
    AssignmentState.PENDING_SIGN.value,
    AssignmentState.IN_PROGRESS.value,
    AssignmentState.RETURN_REVIEW.value,
    AssignmentState.EXTENSION_REVIEW.value,
)


class DueStatus(StrEnum):
    NONE = ""
    NEAR = "near"  # 临期 (黄灯)
    OVERDUE = "overdue"  # 超期 (红灯)


class DeadlineKind(StrEnum):
    NONE = ""
    SIGN = "sign"  # 签收期限
    COMPLETE = "complete"  # 办结期限


def clock_runs(state: str | None) -> bool:
    return state in CLOCK_RUNNING_STATES


def due_status(due: datetime | None, warn: datetime | None, now: datetime) -> DueStatus:
    """Overdue, near due or neither, for a due time and its warning time."""
    if due is None:
        return DueStatus.NONE
    if due <= now:
        return DueStatus.OVERDUE
    if warn is not None and warn <= now:
        return DueStatus.NEAR
    return DueStatus.NONE


def shown_due(
    state: str | None, due_at: datetime | None, sign_due_at: datetime | None
) -> tuple[datetime | None, DeadlineKind]:
    """The due time to show beside a part: its sign due until signed, then its completion due
    (kept on view after the clock stopped, as a record of when it was due)."""
    if state == AssignmentState.PENDING_SIGN.value and sign_due_at is not None:
        return sign_due_at, DeadlineKind.SIGN
    return due_at, DeadlineKind.COMPLETE


def part_deadline(
    state: str | None, due_at: datetime | None, sign_due_at: datetime | None
) -> tuple[datetime | None, DeadlineKind]:
    """The due time a part is measured by now, and which one it is (none once its clock
    stopped)."""
    if not clock_runs(state):
        return None, DeadlineKind.NONE
    return shown_due(state, due_at, sign_due_at)


def part_due_status(
    state: str | None,
    due_at: datetime | None,
    warn_at: datetime | None,
    sign_due_at: datetime | None,
    now: datetime,
) -> DueStatus:
    """A part's status against its completion due, or its sign due while unsigned."""
    if not clock_runs(state):
        return DueStatus.NONE
    status = due_status(due_at, warn_at, now)
    unsigned = state == AssignmentState.PENDING_SIGN.value
    signed_late = unsigned and sign_due_at is not None and sign_due_at <= now
    return DueStatus.OVERDUE if signed_late else status
