"""督办看板: near-due and overdue department parts, by department, and the hotline's own
late steps.

Computed from the stored due times (so it is never empty merely because no scheduler runs);
the counts are :func:`hotline_tui.services.tickets.deadlines.counts`, where the hotline's own
late steps are one more row (``hotline``), listed in ``Board.hotline_items``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from db.models import Assignment, Department, Ticket
from hotline_tui.domain.errors import PermissionDenied
from hotline_tui.domain.hotline_steps import HOTLINE, REVIEW_STEP_OF
from hotline_tui.domain.states import Role, TicketState
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import deadlines
from hotline_tui.services.tickets.common import permit
from hotline_tui.services.tickets.due_sql import part_near, part_overdue
from hotline_tui.services.tickets.queries import MAX_RESULTS
from hotline_tui.services.tickets.work_items import WorkItem, order_item, queue_items, review_item

__all__ = ["Board", "BoardRow", "supervision_board"]


@dataclass(frozen=True)
class BoardRow:
    dept: str
    dept_name: str
    near: int
    overdue: int
    sign_overdue: int = 0


@dataclass(frozen=True)
class Board:
    """Near-due and overdue parts: counts per department, and the parts themselves."""

    rows: list[BoardRow] = field(default_factory=list)
    items: list[WorkItem] = field(default_factory=list)
    at: datetime | None = None
    # The hotline's own steps near due or overdue (its row is ``deadlines.HOTLINE``).
    hotline_items: list[WorkItem] = field(default_factory=list)


def supervision_board(
    hl: Hotline, actor: Actor, *, dept: str | None = None, limit: int = MAX_RESULTS
) -> Board:
    """督办看板: the deadline boards' counts per department (``tickets.deadlines``, read from
    the partial indexes), and the late and near-due parts with the versions an urge quotes."""
    permit(actor, "ticket.read")
    if actor.role is Role.HANDLER:
        raise PermissionDenied("permission.queue", user=actor.username, queue="board")
    now = hl.now()
    wanted = (deadlines.Board.OVERDUE, deadlines.Board.NEAR_DUE, deadlines.Board.SIGN_OVERDUE)
    per_dept: dict[tuple[str, str], dict[str, int]] = {}
    for count in deadlines.counts(hl, actor, now=now, boards=wanted):
        per_dept.setdefault((count.dept, count.dept_name), {})[count.board.value] = count.count
    board_rows = [
        BoardRow(
            code,
            name,
            near=found.get("near_due", 0),
            overdue=found.get("overdue", 0),
            sign_overdue=found.get("sign_overdue", 0),
        )
        for (code, name), found in per_dept.items()
    ]
    board_rows.sort(key=lambda r: (-r.overdue, -r.sign_overdue, -r.near, r.dept))
    overdue, near = part_overdue(now), part_near(now)
    with hl.reading() as session:
        query = (
            select(Ticket, Assignment, Department)
            .join(Assignment, col(Assignment.ticket_id) == col(Ticket.id))
            .join(Department, col(Department.id) == col(Assignment.dept_id))
            .where(or_(overdue, near))
        )
        if dept is not None:
            query = query.where(Department.code == dept)
        rows = session.exec(
            query.order_by(col(Assignment.due_at), col(Assignment.id)).limit(max(1, limit))
        ).all()
        items = queue_items(session, rows, now)
        hotline = _hotline_items(session, now, max(1, limit)) if dept in (None, HOTLINE) else []
    return Board(rows=board_rows, items=items, at=now, hotline_items=hotline)


def _hotline_items(session: Session, now: datetime, limit: int) -> list[WorkItem]:
    """The hotline's steps whose warning or due time has passed, earliest due first: orders
    waiting for dispatch, parts waiting for its decision (the rows of its own queues)."""
    tickets = session.exec(
        select(Ticket)
        .where(
            col(Ticket.state) == TicketState.PENDING_DISPATCH.value,
            or_(col(Ticket.dispatch_warn_at) <= now, col(Ticket.dispatch_due_at) <= now),
        )
        .order_by(col(Ticket.dispatch_due_at), col(Ticket.id))
        .limit(limit)
    ).all()
    parts = session.exec(
        select(Ticket, Assignment, Department)
        .join(Assignment, col(Assignment.ticket_id) == col(Ticket.id))
        .join(Department, col(Department.id) == col(Assignment.dept_id))
        .where(
            col(Assignment.state).in_(list(REVIEW_STEP_OF)),
            or_(col(Assignment.review_warn_at) <= now, col(Assignment.review_due_at) <= now),
        )
        .order_by(col(Assignment.review_due_at), col(Assignment.id))
        .limit(limit)
    ).all()
    found = [order_item(t, None, None, now) for t in tickets]
    found += [review_item(t, a, d, now) for t, a, d in parts]
    found.sort(key=lambda i: (i.deadline is None, i.deadline or now))
    return found[:limit]
