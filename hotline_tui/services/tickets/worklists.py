"""Work lists for every front end (the console's queues, ``hotline ticket queue``): queue rows
that carry the versions an action must quote and the due time a row is measured by, and the
counts of every queue.

- :func:`work_queue` - a named queue (:data:`QUEUE_NAMES`): the department's to sign, in
  progress, due soon, overdue, returned and 督办 (its parts with a 督办 still to answer); the
  hotline's to dispatch, returns and extensions to decide (one row per department part under
  review, a co-handler's as well as the lead's), replies to review, visits, unsatisfied.
  Each row's ``deadline`` is the step it waits for: a part to sign its sign due, a part at work
  its completion due, an order to dispatch its dispatch due, a part under review the hotline's
  decision due (:mod:`hotline_tui.domain.hotline_steps`), an order to call back its visit due;
  ``due`` says near or overdue by :mod:`hotline_tui.domain.clock`, for departments and hotline
  alike.
- the hotline's ``withdrawals``: dispatched orders an operator asked to withdraw (撤单申请),
  waiting for a dispatcher to confirm or reject (:mod:`hotline_tui.services.tickets.withdrawal`).
- :func:`queue_counts` - how many rows each queue has, for the console's tabs.

The rows themselves are :mod:`hotline_tui.services.tickets.work_items`; the supervisor's board
of near-due and overdue work is :mod:`hotline_tui.services.tickets.board`.

Which states make up a queue comes from :data:`hotline_tui.services.tickets.queries.QUEUES`;
"near due" and "overdue" are :mod:`hotline_tui.domain.clock`'s, in SQL by
:mod:`hotline_tui.services.tickets.due_sql`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from db.models import Assignment, Department, Ticket
from hotline_tui.domain.errors import PermissionDenied, ValidationError
from hotline_tui.domain.states import Role, TicketState
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import permit
from hotline_tui.services.tickets.due_sql import part_near, part_overdue
from hotline_tui.services.tickets.queries import MAX_RESULTS, QUEUES
from hotline_tui.services.tickets.views import present_contact
from hotline_tui.services.tickets.work_items import (
    WorkItem,
    item_of,
    open_supervision,
    order_item,
    queue_items,
    review_item,
)

__all__ = [
    "DEPT_QUEUE_NAMES",
    "HOTLINE_QUEUE_NAMES",
    "QUEUE_NAMES",
    "queue_counts",
    "work_queue",
]

DEPT_QUEUE_NAMES = ("to_sign", "in_progress", "due_soon", "overdue", "returned", "supervised")
HOTLINE_QUEUE_NAMES = (
    "to_dispatch",
    "returns",
    "extensions",
    "replies",
    "visits",
    "unsatisfied",
    "withdrawals",
)
QUEUE_NAMES = DEPT_QUEUE_NAMES + HOTLINE_QUEUE_NAMES
# Queues of one department part under review (any department), not of orders.
_PART_QUEUES = ("returns", "extensions")


def _dept_id(session: Session, actor: Actor, dept: str | None) -> int:
    dept_id = actor.dept_id
    if dept is not None and actor.role is not Role.HANDLER:
        dept_id = session.exec(select(Department.id).where(Department.code == dept)).first()
    if dept_id is None:
        raise ValidationError("validation.required", field="dept")
    return dept_id


def _due_filter(name: str, now: datetime) -> Any:
    return part_overdue(now) if name == "overdue" else part_near(now)


def work_queue(
    hl: Hotline, actor: Actor, name: str, *, dept: str | None = None, limit: int = 100
) -> list[WorkItem]:
    """A queue's rows, earliest due first (orders without a due time, oldest first, after)."""
    permit(actor, "ticket.read")
    if name not in QUEUE_NAMES:
        raise ValidationError(
            "validation.choice", field="queue", value=name, allowed=list(QUEUE_NAMES)
        )
    limit = max(1, min(limit, MAX_RESULTS))
    now = hl.now()
    with hl.reading() as session:
        if name in DEPT_QUEUE_NAMES:
            return _dept_queue(session, actor, name, dept, limit, now)
        if actor.role is Role.HANDLER:
            raise PermissionDenied("permission.queue", user=actor.username, queue=name)
        if name in _PART_QUEUES:
            # Every department's part under review, the co-handlers' as well as the leads':
            # a co-handler's return holds up the lead's reply until the hotline decides it.
            rows = session.exec(
                select(Ticket, Assignment, Department)
                .join(Assignment, col(Assignment.ticket_id) == col(Ticket.id))
                .join(Department, col(Department.id) == col(Assignment.dept_id))
                .where(col(Assignment.state).in_(QUEUES[name]))
                .order_by(
                    col(Assignment.review_due_at).is_(None),
                    col(Assignment.review_due_at),
                    col(Assignment.id),
                )
                .limit(limit)
            ).all()
            return [review_item(t, a, d, now) for t, a, d in rows]
        if name == "withdrawals":
            return _withdrawals(session, limit, now)
        states = list(QUEUES[name])
        if name == "to_dispatch":
            states.append(TicketState.REGISTERED.value)  # saved at intake, not yet queued
        due = {
            "to_dispatch": col(Ticket.dispatch_due_at),
            "visits": col(Ticket.visit_due_at),
        }.get(name)
        order: list[Any] = [due.is_(None), due] if due is not None else []
        tickets = session.exec(
            select(Ticket)
            .where(col(Ticket.state).in_(states))
            .order_by(*order, col(Ticket.created_at), col(Ticket.id))
            .limit(limit)
        ).all()
        leads = _leads(session, [t for t in tickets if t.lead_assignment_id])
        items = []
        for t in tickets:
            lead, lead_dept = leads.get(t.lead_assignment_id or 0, (None, None))
            item = order_item(t, lead, lead_dept, now)
            if name == "visits":
                item = replace(
                    item, caller=present_contact(actor, t), visit_attempts=t.visit_attempts
                )
            items.append(item)
        return items


def _withdrawal_pending() -> tuple[Any, ...]:
    """The orders whose 撤单申请 waits for a dispatcher (the list and its count)."""
    return (
        col(Ticket.withdraw_requested_at).is_not(None),
        # An order that ended otherwise meanwhile (a visit closed it) has nothing to decide.
        col(Ticket.state).notin_([TicketState.CLOSED.value, TicketState.ARCHIVED.value]),
    )


def _withdrawals(session: Session, limit: int, now: datetime) -> list[WorkItem]:
    """撤单申请 waiting for a dispatcher, oldest request first (read through the partial index
    of requests), each with its reason and the lead part's department and due time."""
    tickets = session.exec(
        select(Ticket)
        .where(*_withdrawal_pending())
        .order_by(col(Ticket.withdraw_requested_at), col(Ticket.id))
        .limit(limit)
    ).all()
    leads = _leads(session, [t for t in tickets if t.lead_assignment_id])
    items = []
    for t in tickets:
        lead, lead_dept = leads.get(t.lead_assignment_id or 0, (None, None))
        # Measured by the lead part's own deadline (sign or completion): the order is still
        # being worked on while the request waits.
        item = item_of(t, lead, lead_dept, now)
        items.append(replace(item, detail=t.withdraw_note or None))
    return items


def _dept_queue(
    session: Session, actor: Actor, name: str, dept: str | None, limit: int, now: datetime
) -> list[WorkItem]:
    """A department's queue, earliest (completion) due first."""
    dept_id = _dept_id(session, actor, dept)
    condition: Any
    if name in ("due_soon", "overdue"):
        condition = _due_filter(name, now)
    elif name == "supervised":
        condition = and_(col(Ticket.supervised).is_(True), open_supervision())
    else:
        # The page's part ids first, from the (dept, state, due) index alone, then their
        # orders: joining first would read every matching order's whole row (its text
        # included) before sorting, which grows with the queue, not with the page.
        page = (
            select(col(Assignment.id))
            .where(Assignment.dept_id == dept_id, col(Assignment.state).in_(QUEUES[name]))
            .order_by(col(Assignment.due_at), col(Assignment.id))
            .limit(limit)
        )
        condition = col(Assignment.id).in_(page)
    rows = session.exec(
        select(Ticket, Assignment, Department)
        .join(Assignment, col(Assignment.ticket_id) == col(Ticket.id))
        .join(Department, col(Department.id) == col(Assignment.dept_id))
        .where(Assignment.dept_id == dept_id, condition)
        .order_by(col(Assignment.due_at), col(Assignment.id))
        .limit(limit)
    ).all()
    return queue_items(session, rows, now)


def _leads(
    session: Session, tickets: list[Ticket]
) -> dict[int, tuple[Assignment | None, Department | None]]:
    """The lead part of each order (for its department, reply text and version)."""
    ids = [t.lead_assignment_id for t in tickets if t.lead_assignment_id]
    if not ids:
        return {}
    rows = session.exec(
        select(Assignment, Department)
        .join(Department, col(Department.id) == col(Assignment.dept_id))
        .where(col(Assignment.id).in_(ids))
    ).all()
    return {a.id or 0: (a, d) for a, d in rows}


def queue_counts(
    hl: Hotline, actor: Actor, names: tuple[str, ...], *, dept: str | None = None
) -> dict[str, int]:
    """How many rows each of ``names`` has (whole queues, not a page), in one query: the
    console's queue tabs show them before a queue is visited."""
    permit(actor, "ticket.read")
    unknown = [name for name in names if name not in QUEUE_NAMES]
    if unknown:
        raise ValidationError(
            "validation.choice", field="queue", value=unknown[0], allowed=list(QUEUE_NAMES)
        )
    if actor.role is Role.HANDLER and any(name not in DEPT_QUEUE_NAMES for name in names):
        raise PermissionDenied("permission.queue", user=actor.username, queue=",".join(names))
    now = hl.now()
    with hl.reading() as session:
        dept_id = (
            _dept_id(session, actor, dept) if any(n in DEPT_QUEUE_NAMES for n in names) else None
        )
        if not names:
            return {}
        counts = [_count_of(name, dept_id, now).scalar_subquery() for name in names]
        row = session.execute(select(*counts)).one()
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}


def _count_of(name: str, dept_id: int | None, now: datetime) -> Any:
    """A count of queue ``name``'s rows, with the conditions :func:`work_queue` uses."""
    if name in DEPT_QUEUE_NAMES:
        parts = (
            select(func.count())
            .select_from(Assignment)
            .join(Ticket, col(Ticket.id) == col(Assignment.ticket_id))
            .where(Assignment.dept_id == dept_id)
        )
        if name in ("due_soon", "overdue"):
            return parts.where(_due_filter(name, now))
        if name == "supervised":
            return parts.where(col(Ticket.supervised).is_(True), open_supervision())
        return parts.where(col(Assignment.state).in_(QUEUES[name]))
    if name in _PART_QUEUES:
        return (
            select(func.count())
            .select_from(Assignment)
            .where(col(Assignment.state).in_(QUEUES[name]))
        )
    if name == "withdrawals":
        return select(func.count()).select_from(Ticket).where(*_withdrawal_pending())
    states = list(QUEUES[name])
    if name == "to_dispatch":
        states.append(TicketState.REGISTERED.value)
    return select(func.count()).select_from(Ticket).where(col(Ticket.state).in_(states))
