"""Work lists for every front end (the console's queues, ``hotline ticket queue``): queue rows
that carry the versions an action must quote and the due time a row is measured by, and the
supervisor's board of near-due and overdue work.

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
- :func:`supervision_board` - near-due and overdue department parts, by department, computed from
  the stored due times (so it is never empty merely because no scheduler runs); the counts are
  :func:`hotline_tui.services.tickets.deadlines.counts`, where the hotline's own late steps are
  one more row (``hotline``), listed in ``Board.hotline_items``.

Which states make up a queue comes from :data:`hotline_tui.services.tickets.queries.QUEUES`;
"near due" and "overdue" are :mod:`hotline_tui.domain.clock`'s, in SQL by
:mod:`hotline_tui.services.tickets.due_sql`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from db.models import Assignment, Department, Supervision, Ticket
from hotline_tui.domain.clock import due_status, part_deadline, part_due_status
from hotline_tui.domain.errors import PermissionDenied, ValidationError
from hotline_tui.domain.hotline_steps import HOTLINE, REVIEW_STEP_OF, HotlineStep
from hotline_tui.domain.states import AssignmentState, Role, SupervisionKind, TicketState
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import deadlines
from hotline_tui.services.tickets.common import permit
from hotline_tui.services.tickets.due_sql import part_near, part_overdue
from hotline_tui.services.tickets.queries import MAX_RESULTS, QUEUES
from hotline_tui.services.tickets.views import ContactView, part_window_fields, present_contact

__all__ = [
    "DEPT_QUEUE_NAMES",
    "HOTLINE_QUEUE_NAMES",
    "QUEUE_NAMES",
    "Board",
    "BoardRow",
    "WorkItem",
    "queue_counts",
    "supervision_board",
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


@dataclass(frozen=True)
class WorkItem:
    """One row of a queue: the order and, for a department's work, that department's part."""

    number: str
    ticket_version: int
    state: str
    request_type: str
    urgency: str
    title: str
    created_at: datetime
    # A department's row: its part has a 督办 still to answer; an order's row: the order has one.
    supervised: bool = False
    dept: str | None = None
    dept_name: str | None = None  # the short name (市监局) where there is one
    role: str | None = None
    assignment_state: str | None = None
    assignment_version: int | None = None
    sign_due_at: datetime | None = None
    due_at: datetime | None = None
    warn_at: datetime | None = None
    provisional: bool = False
    due: str = ""  # "", "near" or "overdue" at the time of reading
    reply_text: str | None = None
    extension_days: int | None = None
    detail: str | None = None  # the return's basis, the extension's reason and days
    # The due time of the step the row waits for, and which step: "sign", "complete" (a
    # department's), "dispatch", "return_review", "extension_decision" (the hotline's), "visit".
    deadline: datetime | None = None
    deadline_kind: str = ""
    # The part's return window and extension room (tickets.views.part_window_fields): what a
    # return review and an extension decision show.
    return_due_at: datetime | None = None
    return_late: bool = False
    extension_granted: int = 0
    extension_cap: int | None = None
    extension_left: int | None = None
    extension_requests: int = 0
    withdraw_requested: bool = False  # an operator asked to withdraw it (撤单申请)
    # The visits queue's rows: whom to call back (masked as the reader may see it), and the
    # calls of this round that did not reach them.
    caller: ContactView | None = None
    visit_attempts: int = 0


def _status(a: Assignment, now: datetime) -> str:
    return part_due_status(a.state, a.due_at, a.warn_at, a.sign_due_at, now).value


def _part_detail(a: Assignment) -> str | None:
    if a.state == AssignmentState.RETURN_REVIEW.value:
        return f"{a.return_reason or ''} {a.return_basis or ''}".strip()
    if a.state == AssignmentState.EXTENSION_REVIEW.value:
        return f"{a.extension_days_requested or 0} {a.extension_reason or ''}".strip()
    return None


def _open_supervision() -> Any:
    """Whether the part (``Assignment``) has a 督办 not yet answered (looked up by the order,
    whose id is indexed; only orders flagged ``supervised`` have one)."""
    return (
        select(Supervision.id)
        .where(
            col(Supervision.ticket_id) == col(Ticket.id),
            col(Supervision.assignment_id) == col(Assignment.id),
            col(Supervision.kind) == SupervisionKind.SUPERVISE.value,
            col(Supervision.answered_at).is_(None),
        )
        .exists()
    )


def _supervised_parts(session: Session, parts: list[Assignment]) -> set[int]:
    """The ids among ``parts`` with a 督办 not yet answered."""
    ids = [a.id for a in parts if a.id is not None]
    if not ids:
        return set()
    found = session.exec(
        select(Supervision.assignment_id).where(
            col(Supervision.assignment_id).in_(ids),
            col(Supervision.kind) == SupervisionKind.SUPERVISE.value,
            col(Supervision.answered_at).is_(None),
        )
    ).all()
    return {i for i in found if i is not None}


def _items(session: Session, rows: Any, now: datetime) -> list[WorkItem]:
    """Rows of (order, part, department) as queue items, each part's open 督办 looked up."""
    rows = list(rows)
    flagged = [a for t, a, _d in rows if t.supervised]
    supervised = _supervised_parts(session, flagged)
    return [_item(t, a, d, now, supervised=(a.id in supervised)) for t, a, d in rows]


def _review_item(t: Ticket, a: Assignment, dept: Department, now: datetime) -> WorkItem:
    """A part under review in the hotline's queue: measured by the hotline's decision due."""
    item = _item(t, a, dept, now)
    step = REVIEW_STEP_OF.get(a.state)
    return replace(
        item,
        deadline=a.review_due_at,
        deadline_kind=step.value if step else "",
        due=due_status(a.review_due_at, a.review_warn_at, now).value,
    )


def _order_item(
    t: Ticket, lead: Assignment | None, dept: Department | None, now: datetime
) -> WorkItem:
    """An order in the hotline's queue: to dispatch by its dispatch due, to call back by its
    visit due; the lead's part for its department, reply and version."""
    item = _item(t, lead, dept, now)
    if t.state == TicketState.PENDING_DISPATCH.value:
        status = due_status(t.dispatch_due_at, t.dispatch_warn_at, now).value
        return replace(
            item, deadline=t.dispatch_due_at, deadline_kind=HotlineStep.DISPATCH.value, due=status
        )
    if t.state == TicketState.PENDING_VISIT.value:
        status = due_status(t.visit_due_at, None, now).value
        return replace(item, deadline=t.visit_due_at, deadline_kind="visit", due=status)
    return replace(item, deadline=None, deadline_kind="", due="")


def _item(
    t: Ticket,
    a: Assignment | None,
    dept: Department | None,
    now: datetime,
    *,
    supervised: bool | None = None,
) -> WorkItem:
    base: dict[str, Any] = {
        "number": t.number,
        "ticket_version": t.version,
        "state": t.state,
        "request_type": t.request_type,
        "urgency": t.urgency,
        "title": t.title or t.description[:60],
        "created_at": t.created_at,
        "supervised": t.supervised if supervised is None else supervised,
        "withdraw_requested": t.withdraw_requested_at is not None,
    }
    if a is None:
        return WorkItem(**base)
    deadline, kind = part_deadline(a.state, a.due_at, a.sign_due_at)
    return WorkItem(
        **base,
        dept=dept.code if dept else None,
        dept_name=(dept.short_name or dept.name) if dept else None,
        role=a.role,
        assignment_state=a.state,
        assignment_version=a.version,
        sign_due_at=a.sign_due_at,
        due_at=a.due_at,
        warn_at=a.warn_at,
        provisional=a.provisional,
        due=_status(a, now),
        reply_text=a.reply_text,
        extension_days=a.extension_days_requested,
        detail=_part_detail(a),
        deadline=deadline,
        deadline_kind=kind.value,
        extension_granted=a.extension_days_granted,
        **part_window_fields(a, t.request_type, t.urgency),
    )


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
            return [_review_item(t, a, d, now) for t, a, d in rows]
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
            item = _order_item(t, lead, lead_dept, now)
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
        item = _item(t, lead, lead_dept, now)
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
        condition = and_(col(Ticket.supervised).is_(True), _open_supervision())
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
    return _items(session, rows, now)


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
    overdue, near = _due_filter("overdue", now), _due_filter("due_soon", now)
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
        items = _items(session, rows, now)
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
    found = [_order_item(t, None, None, now) for t in tickets]
    found += [_review_item(t, a, d, now) for t, a, d in parts]
    found.sort(key=lambda i: (i.deadline is None, i.deadline or now))
    return found[:limit]


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
            return parts.where(col(Ticket.supervised).is_(True), _open_supervision())
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
