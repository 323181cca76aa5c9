"""Finding the steps due: one indexed statement per step (the rules are
:mod:`hotline_tui.domain.escalation`), read without locks; taking them is
:mod:`hotline_tui.services.escalation`, which checks each again under lock.

A candidate is an assignment on which a step is due at ``now`` and not yet taken for its
current deadline: the statement anti-joins the step's unique key (assignment, step, deadline),
so once caught up a scan finds nothing — missed minutes need no replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, select, text
from sqlmodel import Session, col

from db.models import Assignment, EscalationStep, Supervision, Ticket
from hotline_tui.domain.escalation import (
    LADDER_STEPS,
    NOTICE_PREFILTER,
    Step,
    day_start,
    notice_due,
)
from hotline_tui.domain.states import AssignmentState, SupervisionKind
from hotline_tui.domain.workcal import WorkCalendar
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets.deadlines import CLOCK_RUNNING_A, TO_SIGN_A, TO_VISIT_T
from hotline_tui.services.timelimits import calendar_for

__all__ = ["LADDER_STATES", "Candidate", "find"]

# The ladder acts on departments at work: not on a return under review (the department says
# the order is not theirs; the hotline decides) nor on a clock that stands still.
LADDER_STATES = frozenset(
    {
        AssignmentState.PENDING_SIGN.value,
        AssignmentState.IN_PROGRESS.value,
        AssignmentState.EXTENSION_REVIEW.value,
    }
)
NOT_IN_REVIEW = text("assignment.state != 'return_review'")


@dataclass(frozen=True)
class Candidate:
    """An assignment on which ``step`` looks due, and the deadline it is due for."""

    assignment_id: int
    ticket_id: int
    dept_id: int
    deadline: datetime
    supervision_id: int | None = None


def _not_taken(step: Step, deadline: Any) -> Any:
    return ~exists().where(
        col(EscalationStep.assignment_id) == col(Assignment.id),
        col(EscalationStep.step) == step.value,
        col(EscalationStep.deadline) == deadline,
    )


def _assignment_query(step: Step, now: datetime, cal: WorkCalendar) -> Any:
    """The one statement that finds ``step``'s candidates.

    The state conditions are the partial indexes' own text (so SQLite reads those indexes, see
    tickets.deadlines), and every condition is on a column of the index: the query reads the
    index alone and probes the step's unique key, touching a table row only for a candidate
    it returns (``paused_at`` is returned and checked then, not filtered here: a filter on it
    would read the row of every late order, every minute).
    """
    a = Assignment
    due, warn = col(a.due_at), col(a.warn_at)
    if step is Step.VISIT_DUE:
        visit_due = col(Ticket.visit_due_at)
        return (
            select(col(a.id), col(Ticket.id), col(a.dept_id), visit_due, col(a.paused_at))
            .select_from(Ticket)
            .join(a, col(a.id) == col(Ticket.lead_assignment_id))
            .where(text(TO_VISIT_T), visit_due <= now, _not_taken(step, visit_due))
        )
    if step is Step.SIGN_OVERDUE:
        sign_due = col(a.sign_due_at)
        where: Any = and_(text(TO_SIGN_A), sign_due <= now, _not_taken(step, sign_due))
        return select(
            col(a.id), col(a.ticket_id), col(a.dept_id), sign_due, col(a.paused_at)
        ).where(where)
    if step is Step.NEAR_DUE:
        where = and_(text(CLOCK_RUNNING_A), due > now, warn <= now, _not_taken(step, due))
    elif step is Step.OVERDUE:
        where = and_(text(CLOCK_RUNNING_A), due <= now, _not_taken(step, due))
    elif step is Step.URGE:
        where = and_(text(CLOCK_RUNNING_A), NOT_IN_REVIEW, warn <= now, _not_taken(step, due))
    else:  # Step.SUPERVISE: the deadline's date is before today's (a working day)
        where = and_(
            text(CLOCK_RUNNING_A), NOT_IN_REVIEW, due < day_start(cal, now), _not_taken(step, due)
        )
    return select(col(a.id), col(a.ticket_id), col(a.dept_id), due, col(a.paused_at)).where(where)


def _notice_candidates(session: Session, cal: WorkCalendar, now: datetime) -> list[Candidate]:
    """Unanswered 督办 (anyone's) five working days old, on assignments still at work."""
    s, a = Supervision, Assignment
    taken = ~exists().where(
        col(EscalationStep.assignment_id) == col(s.assignment_id),
        col(EscalationStep.step) == Step.NOTICE.value,
        col(EscalationStep.deadline) == col(s.created_at),
    )
    rows = session.execute(
        select(col(s.id), col(s.assignment_id), col(s.ticket_id), col(a.dept_id), col(s.created_at))
        .join(a, col(a.id) == col(s.assignment_id))
        .where(
            col(s.kind) == SupervisionKind.SUPERVISE.value,
            col(s.answered_at).is_(None),
            col(s.created_at) <= now - NOTICE_PREFILTER,
            col(a.state).in_(sorted(LADDER_STATES)),
            taken,
        )
    ).all()
    return [
        Candidate(int(aid), int(tid), int(dept), at, supervision_id=int(sid))
        for sid, aid, tid, dept, at in rows
        if notice_due(cal, at) <= now
    ]


def find(hl: Hotline, step: Step, now: datetime) -> list[Candidate]:
    """The candidates of one step at ``now`` (read only; taking re-checks each under lock)."""
    cal = calendar_for(hl)
    with hl.reading() as session:
        if step is Step.NOTICE:
            found = _notice_candidates(session, cal, now)
        else:
            rows = session.execute(_assignment_query(step, now, cal)).all()
            # The ladder waits while the clock stands still (a pending extension may pause it).
            moving = step not in LADDER_STEPS
            found = [
                Candidate(int(a), int(t), int(d), at)
                for a, t, d, at, paused in rows
                if moving or paused is None
            ]
    found.sort(key=lambda c: (c.ticket_id, c.assignment_id))
    return found
