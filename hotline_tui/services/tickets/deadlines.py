"""Orders against their time limits: near due (黄灯), overdue (红灯), sign overdue, visit due.

Each board is one indexed SQL statement — counts grouped by department, or the rows themselves,
earliest deadline first — never a loop over orders in Python. The console's queues and
supervision board and the scheduler's scans read these, so a board is never empty just because
no scheduler has run: lateness is computed from the stored due times at the moment asked.

Which assignments count:
- *overdue*: the completion clock runs (``CLOCK_RUNNING`` states) and ``due_at`` has passed;
- *near due*: the clock runs, the warning time has passed but ``due_at`` has not;
- *sign overdue*: still waiting to be signed after ``sign_due_at``;
- *visit due*: the order waits for its return visit after ``visit_due_at`` (counted under the
  lead department, which the visit is about).

The hotline is measured too: on the overdue and near-due boards its own steps
(:mod:`hotline_tui.domain.hotline_steps`: orders waiting for dispatch, returns and extension
requests waiting for its decision) count as one more row, department code :data:`HOTLINE`,
by the same comparisons of the stored due and warning times.

Handlers see their own department only; the hotline's roles see every department and the
hotline (``dept="hotline"``: the hotline alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, bindparam, func, null, select, text
from sqlmodel import col

from db.models import Assignment, Department, Ticket
from db.models.tickets import CLOCK_RUNNING, IN_REVIEW, TO_DISPATCH
from db.types import UTCDateTime
from hotline_tui.domain.errors import NotFound, ValidationError
from hotline_tui.domain.hotline_steps import HOTLINE, REVIEW_STEP_OF, HotlineStep
from hotline_tui.domain.states import Role
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import permit
from hotline_tui.services.tickets.due_sql import (
    IN_REVIEW_A,
    TO_DISPATCH_T,
    TO_VISIT_T,
    completion_near,
    completion_overdue,
    late,
    sign_overdue,
)

MAX_ROWS = 500

# On a large database SQLite's planner prefers the (dept, state, due) index for this count and
# then reads every open row for its warning time (150 ms at a million orders); the partial index
# answers it alone. SQLAlchemy renders no index hints for SQLite, hence the statement's text.
_NEAR_DUE_SQLITE = text(
    "SELECT dept_id, count(*) FROM assignment INDEXED BY ix_assignment_open_due"
    f" WHERE {CLOCK_RUNNING} AND due_at > :now AND warn_at <= :now GROUP BY dept_id"
).bindparams(bindparam("now", type_=UTCDateTime()))


class Board(StrEnum):
    """The deadline boards, in the order a supervisor reads them."""

    OVERDUE = "overdue"
    NEAR_DUE = "near_due"
    SIGN_OVERDUE = "sign_overdue"
    VISIT_DUE = "visit_due"


@dataclass(frozen=True)
class DeptCount:
    """How many of a department's orders are on one board."""

    dept: str
    dept_name: str
    board: Board
    count: int


@dataclass(frozen=True)
class DeadlineRow:
    """One order on a board, with the deadline that put it there."""

    number: str
    dept: str
    board: Board
    deadline: datetime
    provisional: bool
    ticket_state: str
    assignment_state: str | None
    role: str | None
    title: str
    urgency: str
    supervised: bool
    # The hotline's own rows (dept "hotline"): which step is late, and whose part it decides.
    hotline_step: str | None = None
    part_dept: str | None = None


HOTLINE_BOARDS = (Board.OVERDUE, Board.NEAR_DUE)
"""The boards the hotline's own steps are counted on."""


def _late(due: Any, warn: Any, board: Board, now: datetime) -> Any:
    """The same comparisons as the departments' boards, on a hotline step's due times."""
    return late(due, warn, now, overdue=board is Board.OVERDUE)


def _hotline_queries(board: Board, now: datetime) -> tuple[Any, Any]:
    """(orders late for dispatch, parts late for the hotline's decision) on ``board``: each
    statement selects (number, deadline, ticket state, part state, role, title, description,
    urgency, supervised, department code)."""
    t, a = Ticket, Assignment
    shown = (col(t.title), col(t.description), col(t.urgency), col(t.supervised))
    dispatch = (
        select(
            col(t.number),
            col(t.dispatch_due_at),
            col(t.state),
            null(),
            null(),
            *shown,
            null(),
        )
        .where(
            text(TO_DISPATCH_T), _late(col(t.dispatch_due_at), col(t.dispatch_warn_at), board, now)
        )
        .order_by(col(t.dispatch_due_at), col(t.id))
    )
    review = (
        select(
            col(t.number),
            col(a.review_due_at),
            col(t.state),
            col(a.state),
            col(a.role),
            *shown,
            col(Department.code),
        )
        .select_from(a)
        .join(t, col(t.id) == col(a.ticket_id))
        .join(Department, col(Department.id) == col(a.dept_id))
        .where(text(IN_REVIEW_A), _late(col(a.review_due_at), col(a.review_warn_at), board, now))
        .order_by(col(a.review_due_at), col(a.id))
    )
    return dispatch, review


def _hotline_count(session: Any, board: Board, now: datetime) -> int:
    t, a = Ticket, Assignment
    waiting = session.execute(
        select(func.count())
        .select_from(t)
        .where(
            text(TO_DISPATCH), _late(col(t.dispatch_due_at), col(t.dispatch_warn_at), board, now)
        )
    ).scalar_one()
    deciding = session.execute(
        select(func.count())
        .select_from(a)
        .where(text(IN_REVIEW), _late(col(a.review_due_at), col(a.review_warn_at), board, now))
    ).scalar_one()
    return int(waiting) + int(deciding)


def _hotline_rows(session: Any, board: Board, now: datetime, limit: int) -> list[DeadlineRow]:
    found: list[DeadlineRow] = []
    for query in _hotline_queries(board, now):
        for (
            number,
            at,
            t_state,
            a_state,
            role,
            title,
            description,
            urgency,
            sup,
            code,
        ) in session.execute(query.limit(limit)):
            step = REVIEW_STEP_OF.get(str(a_state)) if a_state else HotlineStep.DISPATCH
            found.append(
                DeadlineRow(
                    number=str(number),
                    dept=HOTLINE,
                    board=board,
                    deadline=at,
                    provisional=False,
                    ticket_state=str(t_state),
                    assignment_state=str(a_state) if a_state else None,
                    role=str(role) if role else None,
                    title=str(title or description[:40]),
                    urgency=str(urgency),
                    supervised=bool(sup),
                    hotline_step=step.value if step else None,
                    part_dept=str(code) if code else None,
                )
            )
    return found


def _with_hotline(actor: Actor, dept: str | None, board: Board) -> bool:
    """Whether the hotline's own row belongs on this board for this reader."""
    return actor.role is not Role.HANDLER and dept in (None, HOTLINE) and board in HOTLINE_BOARDS


def _condition(board: Board, now: datetime) -> tuple[Any, Any, Any]:
    """(where clause, deadline column, department column) of a board.

    The state conditions are written as the very SQL text of the partial indexes' own WHERE
    clauses: SQLite uses a partial index only when the query's terms imply the index's, which it
    cannot tell from a bound parameter (``state IN (?, ?)``).
    """
    if board is Board.OVERDUE:
        return completion_overdue(now), col(Assignment.due_at), col(Assignment.dept_id)
    if board is Board.NEAR_DUE:
        return completion_near(now), col(Assignment.due_at), col(Assignment.dept_id)
    if board is Board.SIGN_OVERDUE:
        return sign_overdue(now), col(Assignment.sign_due_at), col(Assignment.dept_id)
    where = and_(text(TO_VISIT_T), col(Ticket.visit_due_at) <= now)
    return where, col(Ticket.visit_due_at), col(Assignment.dept_id)


def _scope(actor: Actor, dept_id: int | None) -> int | None:
    """Handlers are held to their own department whatever they ask for."""
    return actor.dept_id if actor.role is Role.HANDLER else dept_id


def _dept_id(hl: Hotline, code: str | None) -> int | None:
    if code is None:
        return None
    with hl.reading() as session:
        found = session.execute(
            select(col(Department.id)).where(col(Department.code) == code)
        ).scalar()
    if found is None:
        raise NotFound("not_found.dept", dept=code)
    return int(found)


def counts(
    hl: Hotline,
    actor: Actor,
    *,
    now: datetime | None = None,
    dept: str | None = None,
    boards: tuple[Board, ...] = tuple(Board),
) -> list[DeptCount]:
    """Per department and board, how many orders are on it (departments with none omitted)."""
    permit(actor, "ticket.read")
    now = now or hl.now()
    hotline_only = dept == HOTLINE and actor.role is not Role.HANDLER
    dept_id = _scope(actor, None if hotline_only else _dept_id(hl, dept))
    result: list[DeptCount] = []
    with hl.reading() as session:
        for board in boards:
            if _with_hotline(actor, dept, board):
                late = _hotline_count(session, board, now)
                if late:
                    result.append(DeptCount(HOTLINE, "", board, late))
        if hotline_only:
            boards = ()
        names = {
            int(i or 0): (str(c), str(s or n))
            for i, c, s, n in session.execute(
                select(
                    col(Department.id),
                    col(Department.code),
                    col(Department.short_name),
                    col(Department.name),
                )
            )
        }
        for board in boards:
            where, _deadline, dept_col = _condition(board, now)
            query = select(dept_col, func.count()).select_from(Assignment)
            if board is Board.VISIT_DUE:
                query = select(dept_col, func.count()).select_from(Ticket)
                query = query.join(Assignment, col(Assignment.id) == col(Ticket.lead_assignment_id))
            query = query.where(where)
            if dept_id is not None:
                query = query.where(dept_col == dept_id)
            if board is Board.NEAR_DUE and dept_id is None and hl.dialect == "sqlite":
                found: Any = session.execute(_NEAR_DUE_SQLITE, {"now": now})
            else:
                found = session.execute(query.group_by(dept_col))
            for row_dept, count in found:
                code, name = names.get(int(row_dept), (str(row_dept), ""))
                result.append(DeptCount(code, name, board, int(count)))
    result.sort(key=lambda c: (list(Board).index(c.board), -c.count, c.dept))
    return result


def rows(
    hl: Hotline,
    actor: Actor,
    board: Board | str,
    *,
    now: datetime | None = None,
    dept: str | None = None,
    limit: int = 100,
) -> list[DeadlineRow]:
    """The orders on one board, earliest deadline first."""
    permit(actor, "ticket.read")
    try:
        board = Board(board)
    except ValueError:
        raise ValidationError(
            "validation.choice", field="board", value=str(board), allowed=[b.value for b in Board]
        ) from None
    now = now or hl.now()
    limit = max(1, min(limit, MAX_ROWS))
    hotline: list[DeadlineRow] = []
    if _with_hotline(actor, dept, board):
        with hl.reading() as session:
            hotline = _hotline_rows(session, board, now, limit)
        if dept == HOTLINE:
            return sorted(hotline, key=lambda r: r.deadline)[:limit]
    dept_id = _scope(actor, _dept_id(hl, dept))
    with hl.reading() as session:
        found = session.execute(_department_query(board, now, dept_id, limit)).all()
    departments = [_row(board, values) for values in found]
    if not hotline:
        return departments
    return sorted(departments + hotline, key=lambda r: r.deadline)[:limit]


def _department_query(board: Board, now: datetime, dept_id: int | None, limit: int) -> Any:
    """The departments' rows of ``board``, in the partial index's own order."""
    where, deadline, dept_col = _condition(board, now)
    join_on = (
        col(Assignment.id) == col(Ticket.lead_assignment_id)
        if board is Board.VISIT_DUE
        else col(Ticket.id) == col(Assignment.ticket_id)
    )
    query = (
        select(
            col(Ticket.number),
            col(Department.code),
            deadline,
            col(Assignment.provisional),
            col(Ticket.state),
            col(Assignment.state),
            col(Assignment.role),
            col(Ticket.title),
            col(Ticket.description),
            col(Ticket.urgency),
            col(Ticket.supervised),
        )
        .select_from(Assignment)
        .join(Ticket, join_on)
        .join(Department, col(Department.id) == dept_col)
        .where(where)
        # The index's own order (deadline, department, row id): no sort of every late order.
        .order_by(deadline, dept_col, col(Assignment.id))
        .limit(limit)
    )
    if dept_id is not None:
        query = query.where(dept_col == dept_id)
    return query


def _row(board: Board, values: Any) -> DeadlineRow:
    """One department row of ``board`` from :func:`_department_query`'s columns."""
    (number, code, at, provisional, t_state, a_state, role, title, description, urgency, sup) = (
        values
    )
    visit = board is Board.VISIT_DUE
    return DeadlineRow(
        number=str(number),
        dept=str(code),
        board=board,
        deadline=at,
        provisional=bool(provisional),
        ticket_state=str(t_state),
        assignment_state=None if visit else str(a_state),
        role=None if visit else str(role),
        title=str(title or description[:40]),
        urgency=str(urgency),
        supervised=bool(sup),
    )
