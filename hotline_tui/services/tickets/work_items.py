"""A queue's row (:class:`WorkItem`) made from an order, its part and the part's department.

Each row carries the versions an action must quote, the due time it is measured by
(``deadline``, :func:`hotline_tui.domain.clock.part_deadline` for a part; the hotline's step
due for an order or a part under review) and whether it is near due or overdue by
:mod:`hotline_tui.domain.clock`. The queues (:mod:`hotline_tui.services.tickets.worklists`)
and the supervision board (:mod:`hotline_tui.services.tickets.board`) build their rows here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from db.models import Assignment, Department, Supervision, Ticket
from hotline_tui.domain.clock import due_status, part_deadline, part_due_status
from hotline_tui.domain.hotline_steps import REVIEW_STEP_OF, HotlineStep
from hotline_tui.domain.states import AssignmentState, SupervisionKind, TicketState
from hotline_tui.services.tickets.views import ContactView, part_window_fields

__all__ = ["WorkItem", "item_of", "open_supervision", "order_item", "queue_items", "review_item"]


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
    # 可能重复 (services.dedup), filled in by the console after the rows are shown: the order
    # this one may repeat (a 并单's lead) and how similar; other callers' related orders.
    duplicate_of: str | None = None
    duplicate_similarity: float = 0.0
    related: tuple[str, ...] = ()


def _status(a: Assignment, now: datetime) -> str:
    return part_due_status(a.state, a.due_at, a.warn_at, a.sign_due_at, now).value


def _part_detail(a: Assignment) -> str | None:
    if a.state == AssignmentState.RETURN_REVIEW.value:
        return f"{a.return_reason or ''} {a.return_basis or ''}".strip()
    if a.state == AssignmentState.EXTENSION_REVIEW.value:
        return f"{a.extension_days_requested or 0} {a.extension_reason or ''}".strip()
    return None


def open_supervision() -> Any:
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


def queue_items(session: Session, rows: Any, now: datetime) -> list[WorkItem]:
    """Rows of (order, part, department) as queue items, each part's open 督办 looked up."""
    rows = list(rows)
    flagged = [a for t, a, _d in rows if t.supervised]
    supervised = _supervised_parts(session, flagged)
    return [item_of(t, a, d, now, supervised=(a.id in supervised)) for t, a, d in rows]


def review_item(t: Ticket, a: Assignment, dept: Department, now: datetime) -> WorkItem:
    """A part under review in the hotline's queue: measured by the hotline's decision due."""
    item = item_of(t, a, dept, now)
    step = REVIEW_STEP_OF.get(a.state)
    return replace(
        item,
        deadline=a.review_due_at,
        deadline_kind=step.value if step else "",
        due=due_status(a.review_due_at, a.review_warn_at, now).value,
    )


def order_item(
    t: Ticket, lead: Assignment | None, dept: Department | None, now: datetime
) -> WorkItem:
    """An order in the hotline's queue: to dispatch by its dispatch due, to call back by its
    visit due; the lead's part for its department, reply and version."""
    item = item_of(t, lead, dept, now)
    if t.state == TicketState.PENDING_DISPATCH.value:
        status = due_status(t.dispatch_due_at, t.dispatch_warn_at, now).value
        return replace(
            item, deadline=t.dispatch_due_at, deadline_kind=HotlineStep.DISPATCH.value, due=status
        )
    if t.state == TicketState.PENDING_VISIT.value:
        status = due_status(t.visit_due_at, None, now).value
        return replace(item, deadline=t.visit_due_at, deadline_kind="visit", due=status)
    return replace(item, deadline=None, deadline_kind="", due="")


def item_of(
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
