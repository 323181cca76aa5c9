"""The SQL form of :mod:`hotline_tui.domain.clock`: which rows are near due or overdue.

Every query that counts or lists late work builds its ``WHERE`` from these, and
``tests/services/tickets/test_due_sql.py`` checks on both backends that each selects exactly
the rows the domain's functions call so. The state conditions are the very SQL text of the partial
indexes' own ``WHERE`` clauses (:mod:`db.models.tickets`, generated from the domain's states):
SQLite uses a partial index only when the query's terms imply the index's, which it cannot tell
from a bound parameter (``state IN (?, ?)``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, not_, or_, text
from sqlmodel import col

from db.models import Assignment
from db.models.tickets import CLOCK_RUNNING, IN_REVIEW, TO_DISPATCH, TO_SIGN, TO_VISIT

__all__ = [
    "CLOCK_RUNNING_A",
    "IN_REVIEW_A",
    "TO_DISPATCH_T",
    "TO_SIGN_A",
    "TO_VISIT_T",
    "completion_near",
    "completion_overdue",
    "late",
    "part_near",
    "part_overdue",
    "sign_overdue",
]

# The partial index predicates name the state column unqualified; in a join with the other table
# the query must say which table's state it means (SQLite still sees the same expression).
CLOCK_RUNNING_A = CLOCK_RUNNING.replace("state", "assignment.state", 1)
TO_SIGN_A = TO_SIGN.replace("state", "assignment.state", 1)
TO_VISIT_T = TO_VISIT.replace("state", "ticket.state", 1)
TO_DISPATCH_T = TO_DISPATCH.replace("state", "ticket.state", 1)
IN_REVIEW_A = IN_REVIEW.replace("state", "assignment.state", 1)


def late(due: Any, warn: Any, now: datetime, *, overdue: bool) -> Any:
    """``domain.clock.due_status`` of a due column and its warning column: overdue
    (``due <= now``) or near due (``warn <= now < due``)."""
    if overdue:
        return due <= now
    return and_(due > now, warn <= now)


def completion_overdue(now: datetime) -> Any:
    """The completion clock runs and its due time has passed."""
    return and_(text(CLOCK_RUNNING_A), late(col(Assignment.due_at), None, now, overdue=True))


def completion_near(now: datetime) -> Any:
    """The completion clock runs, its warning time has passed, its due time has not."""
    return and_(
        text(CLOCK_RUNNING_A),
        late(col(Assignment.due_at), col(Assignment.warn_at), now, overdue=False),
    )


def sign_overdue(now: datetime) -> Any:
    """Still waiting to be signed after the sign due."""
    # "is not null" written out: under NOT (``part_near``) an unknown must read as "not late".
    due = col(Assignment.sign_due_at)
    return and_(text(TO_SIGN_A), due.is_not(None), due <= now)


def part_overdue(now: datetime) -> Any:
    """``domain.clock.part_due_status(...) == OVERDUE``."""
    return or_(completion_overdue(now), sign_overdue(now))


def part_near(now: datetime) -> Any:
    """``domain.clock.part_due_status(...) == NEAR`` (a part late for signing is overdue)."""
    return and_(completion_near(now), not_(sign_overdue(now)))
