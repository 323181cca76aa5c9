"""Finding the steps due: one indexed statement per step (the rules are
:mod:`hotline_tui.domain.escalation`), read without locks; taking them is
:mod:`hotline_tui.services.scheduling.escalation`, which checks each again under lock.

A candidate is an assignment on which a step is due at ``now`` and not yet taken for its
current deadline: the statement anti-joins the step's unique key (assignment, step, deadline),
so once caught up a scan finds nothing — missed minutes need no replay.

A *full* search looks at every open assignment (at a million orders, about a second on SQLite:
every late order's steps are probed again). A search *since* a :class:`Window` — the last
complete scan — looks only where something can have changed: the deadlines that passed since
(the same indexed ranges, bounded below), and the assignments the change feed says were
touched since (a return rejected, an extension decided, a redo…). Between them they cover
everything a full search would find: a step falls due either because time passed its trigger
or because a change moved the assignment or its deadline, and every change is an audit event.
The scheduler still searches in full now and then (:data:`FULL_EVERY`) and after changes that
recompute deadlines without touching assignments one by one (a calendar import).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, select, text
from sqlmodel import Session, col

from db.models import Assignment, AuditEvent, AuditHead, EscalationStep, Supervision, Ticket
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
from hotline_tui.services.tickets.due_sql import CLOCK_RUNNING_A, TO_SIGN_A, TO_VISIT_T
from hotline_tui.services.tickets.timelimits import calendar_for

__all__ = [
    "FULL_EVERY",
    "LADDER_STATES",
    "Candidate",
    "ScanMark",
    "Window",
    "feed_head",
    "find",
    "window_since",
]

FULL_EVERY = timedelta(hours=1)
SQLITE_CACHE_KIB = 32 * 1024
"""The page cache of a connection a scan reads with, on SQLite (the default is 2 MiB): a full
search probes the step index once per late assignment and step, and with the indexes it walks
(some 15 MiB at a million orders) in the connection's own cache rather than re-read from the
operating system's, it takes about half the time. SQLite fills it only as pages are read."""
MAX_TOUCHED = 20_000
"""More touched assignments than this since the last scan (a bulk import): search in full."""
_CHUNK = 500

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


@dataclass(frozen=True)
class Window:
    """What changed since the last complete scan: its ``now`` (the flags), the ``now`` of the
    last one that ran the ladder (None: search the ladder in full), and the assignments and
    orders touched by audit events since."""

    after: datetime
    ladder_after: datetime | None
    assignments: frozenset[int] = field(default_factory=frozenset)
    tickets: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ScanMark:
    """Where a complete scan left off, stored with its run for the next one: its ``now``, the
    ``now`` of the last scan that ran the ladder, the change feed's head when it began, and
    when the last full search was."""

    now: datetime
    ladder: datetime | None
    seq: int
    full: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "ladder": self.ladder.isoformat() if self.ladder else None,
            "seq": self.seq,
            "full": self.full.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Any) -> ScanMark | None:
        """The stored mark, or None when there is none (or it cannot be read: search in full)."""
        try:
            ladder = data.get("ladder")
            return cls(
                now=datetime.fromisoformat(data["now"]),
                ladder=datetime.fromisoformat(ladder) if ladder else None,
                seq=int(data["seq"]),
                full=datetime.fromisoformat(data["full"]),
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            return None


def feed_head(session: Session) -> int:
    return int(
        session.execute(select(col(AuditHead.seq)).where(col(AuditHead.id) == 1)).scalar_one()
    )


def window_since(
    session: Session,
    mark: ScanMark | None,
    now: datetime,
    head: int,
    full_every: timedelta = FULL_EVERY,
) -> Window | None:
    """The window since ``mark``, or None when the scan must search in full: no mark, the last
    full search is ``full_every`` old, the clock went back, too much changed, or a calendar was
    imported (it recomputes deadlines without an event per assignment)."""
    if mark is None or now - mark.full >= full_every or now < mark.now:
        return None
    e = AuditEvent
    rows = session.execute(
        select(col(e.assignment_id), col(e.ticket_id), col(e.entity))
        .where(col(e.seq) > mark.seq, col(e.seq) <= head)
        .distinct()
        .limit(MAX_TOUCHED + 1)
    ).all()
    if len(rows) > MAX_TOUCHED or any(entity == "calendar" for _a, _t, entity in rows):
        return None
    return Window(
        after=mark.now,
        ladder_after=mark.ladder,
        assignments=frozenset(int(a) for a, _t, _e in rows if a is not None),
        tickets=frozenset(int(t) for _a, t, _e in rows if t is not None),
    )


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


def _since(step: Step, window: Window, cal: WorkCalendar) -> Any | None:
    """The deadlines that passed since the window opened, as bounds on the same indexes
    (None: this step is searched in full)."""
    a = Assignment
    if step is Step.VISIT_DUE:
        return col(Ticket.visit_due_at) > window.after
    if step is Step.SIGN_OVERDUE:
        return col(a.sign_due_at) > window.after
    if step is Step.NEAR_DUE:
        return col(a.warn_at) > window.after
    if step is Step.OVERDUE:
        return col(a.due_at) > window.after
    last = window.ladder_after
    if last is None:
        return None
    if step is Step.URGE:  # the warning comes before the deadline: bound the index's range too
        return and_(col(a.warn_at) > last, col(a.due_at) > last)
    return col(a.due_at) >= day_start(cal, last)  # 督办: deadlines of days since the last one


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _rows(
    session: Session, step: Step, now: datetime, cal: WorkCalendar, window: Window | None
) -> list[Any]:
    query = _assignment_query(step, now, cal)
    bound = None if window is None else _since(step, window, cal)
    if window is None or bound is None:
        return list(session.execute(query).all())
    rows = list(session.execute(query.where(bound)).all())
    visit = step is Step.VISIT_DUE
    touched, column = (
        (window.tickets, col(Ticket.id)) if visit else (window.assignments, col(Assignment.id))
    )
    for chunk in _chunks(touched):
        rows += session.execute(query.where(column.in_(chunk))).all()
    return rows


def find(hl: Hotline, step: Step, now: datetime, window: Window | None = None) -> list[Candidate]:
    """The candidates of one step at ``now``: all of them, or those since ``window`` (read
    only; taking re-checks each under lock)."""
    cal = calendar_for(hl)
    with hl.reading() as session:
        if hl.dialect == "sqlite":
            session.execute(text(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}"))
        if step is Step.NOTICE:
            found = _notice_candidates(session, cal, now)
        else:
            # The ladder waits while the clock stands still (a pending extension may pause it).
            moving = step not in LADDER_STEPS
            unique = {
                (int(a), at): Candidate(int(a), int(t), int(d), at)
                for a, t, d, at, paused in _rows(session, step, now, cal, window)
                if moving or paused is None
            }
            found = list(unique.values())
    found.sort(key=lambda c: (c.ticket_id, c.assignment_id))
    return found
