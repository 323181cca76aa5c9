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

Handlers see their own department only; the hotline's roles see every department.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, bindparam, func, select, text
from sqlmodel import col

from db.models import Assignment, Department, Ticket
from db.models.tickets import CLOCK_RUNNING, TO_SIGN, TO_VISIT
from db.types import UTCDateTime
from hotline_tui.domain.errors import NotFound, ValidationError
from hotline_tui.domain.states import AssignmentState, Role
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import permit

MAX_ROWS = 500

# The partial index predicates name the state column unqualified; in a join with the other table
# the query must say which table's state it means (SQLite still sees the same expression).
CLOCK_RUNNING_A = CLOCK_RUNNING.replace("state", "assignment.state", 1)
TO_SIGN_A = TO_SIGN.replace("state", "assignment.state", 1)
TO_VISIT_T = TO_VISIT.replace("state", "ticket.state", 1)

# The same states as ``CLOCK_RUNNING`` (the partial indexes on assignment, db.models.tickets).
CLOCK_STATES = (
    AssignmentState.PENDING_SIGN.value,
    AssignmentState.IN_PROGRESS.value,
    AssignmentState.RETURN_REVIEW.value,
    AssignmentState.EXTENSION_REVIEW.value,
)


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


def _condition(board: Board, now: datetime) -> tuple[Any, Any, Any]:
    """(where clause, deadline column, department column) of a board.

    The state conditions are written as the very SQL text of the partial indexes' own WHERE
    clauses: SQLite uses a partial index only when the query's terms imply the index's, which it
    cannot tell from a bound parameter (``state IN (?, ?)``).
    """
    if board is Board.OVERDUE:
        where = and_(text(CLOCK_RUNNING_A), col(Assignment.due_at) <= now)
        return where, col(Assignment.due_at), col(Assignment.dept_id)
    if board is Board.NEAR_DUE:
        where = and_(
            text(CLOCK_RUNNING_A), col(Assignment.due_at) > now, col(Assignment.warn_at) <= now
        )
        return where, col(Assignment.due_at), col(Assignment.dept_id)
    if board is Board.SIGN_OVERDUE:
        where = and_(text(TO_SIGN_A), col(Assignment.sign_due_at) <= now)
        return where, col(Assignment.sign_due_at), col(Assignment.dept_id)
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
    dept_id = _scope(actor, _dept_id(hl, dept))
    result: list[DeptCount] = []
    with hl.reading() as session:
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
    dept_id = _scope(actor, _dept_id(hl, dept))
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
    with hl.reading() as session:
        found = session.execute(query).all()
    visit = board is Board.VISIT_DUE
    return [
        DeadlineRow(
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
            supervised=bool(supervised),
        )
        for (
            number,
            code,
            at,
            provisional,
            t_state,
            a_state,
            role,
            title,
            description,
            urgency,
            supervised,
        ) in found
    ]
