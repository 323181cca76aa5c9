"""Reading orders: one order in full (made by :mod:`hotline_tui.services.tickets.detail`),
finding orders, and the states of the work queues."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import load_only
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from db import search_index
from db.models import (
    Assignment,
    Category,
    Department,
    Ticket,
)
from hotline_tui.domain.clock import CLOCK_RUNNING_STATES
from hotline_tui.domain.errors import PermissionDenied, ValidationError
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.permissions import may_see_caller
from hotline_tui.domain.states import AssignmentState, Role, TicketState
from hotline_tui.domain.text import fragment_phrases, normalise_identifier
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import get_ticket, permit
from hotline_tui.services.tickets.detail import order_detail
from hotline_tui.services.tickets.views import (
    TicketDetail,
    TicketSummary,
    present_phone,
)
from hotline_tui.services.uow import UnitOfWork

MAX_RESULTS = 200


def show(hl: Hotline, actor: Actor, number: str) -> TicketDetail:
    """One order in full, with its timeline; handlers see masked numbers."""
    permit(actor, "ticket.read")
    with hl.reading() as session:
        ticket = get_ticket(session, actor, number)
        return order_detail(session, actor, ticket, False, hl.settings.intake_channels)


def reveal(hl: Hotline, actor: Actor, number: str, reason: str) -> TicketDetail:
    """Show the caller's full numbers to a handler: an audited action, refused if confidential."""
    permit(actor, "caller.reveal")
    why = clean_note(reason, field_name="reason", required=True)

    def work(uow: UnitOfWork) -> TicketDetail:
        ticket = get_ticket(uow.session, actor, number)
        if not may_see_caller(actor.role, confidential=ticket.confidential):
            raise PermissionDenied("permission.confidential", user=actor.username, ticket=number)
        uow.record(
            "caller.reveal",
            entity="ticket",
            entity_id=ticket.id,
            ticket_id=ticket.id,
            note=why,
            dept_id=actor.dept_id,
        )
        return order_detail(uow.session, actor, ticket, True, hl.settings.intake_channels)

    return uow_module.write(hl, actor, work)


@dataclass(frozen=True)
class FindQuery:
    number: str | None = None
    phone: str | None = None
    words: str | None = None
    state: str | None = None
    dept: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    page: int = 1  # 1-based, ``limit`` orders a page


@dataclass(frozen=True)
class FindPage:
    """One page of a search: its orders, how many match in all, and whether more follow."""

    results: list[TicketSummary]
    total: int
    page: int
    limit: int
    more: bool


# Only what a result row shows: the order's whole text (and its segmented copy for the index)
# made loading fifty orders cost more than finding them.
_SUMMARY_COLUMNS = tuple(
    getattr(Ticket, name)
    for name in (
        "id",
        "number",
        "state",
        "ending",
        "request_type",
        "urgency",
        "channel",
        "category_id",
        "created_at",
        "confidential",
        "contact_phone",
        "title",
        "description",
        "lead_assignment_id",
    )
)


def _summaries(
    session: Session, actor: Actor, query: SelectOfScalar[Ticket]
) -> list[TicketSummary]:
    return _summaries_of(session, actor, list(session.exec(query).all()))


def _summaries_of(session: Session, actor: Actor, rows: list[Ticket]) -> list[TicketSummary]:
    codes = (
        dict(
            session.exec(
                select(col(Category.id), col(Category.code)).where(
                    col(Category.id).in_({t.category_id for t in rows})
                )
            ).all()
        )
        if rows
        else {}
    )
    lead_ids = {t.lead_assignment_id for t in rows if t.lead_assignment_id is not None}
    leads = (
        {
            a_id: (due, provisional)
            for a_id, due, provisional in session.execute(
                select(col(Assignment.id), col(Assignment.due_at), col(Assignment.provisional))
                .where(col(Assignment.id).in_(lead_ids))
                .where(col(Assignment.state).in_(CLOCK_RUNNING_STATES))
            )
        }
        if lead_ids
        else {}
    )
    return [
        TicketSummary(
            number=t.number,
            state=t.state,
            ending=t.ending,
            request_type=t.request_type,
            urgency=t.urgency,
            category=codes.get(t.category_id) if t.category_id else None,
            created_at=t.created_at,
            contact_phone=present_phone(actor, t.contact_phone)
            if may_see_caller(actor.role, confidential=t.confidential)
            else None,
            title=t.title,
            description=t.description[:120],
            due_at=leads.get(t.lead_assignment_id or 0, (None, False))[0],
            provisional=leads.get(t.lead_assignment_id or 0, (None, False))[1],
            channel=t.channel,
        )
        for t in rows
    ]


@dataclass(frozen=True)
class _Search:
    """A search made ready: the query narrowed by every criterion, unordered and unlimited
    (None: nothing can match), and the phrases of its words."""

    query: SelectOfScalar[Ticket] | None
    terms: list[str]


def _search(session: Session, actor: Actor, q: FindQuery) -> _Search:
    if q.state is not None and q.state not in [s.value for s in TicketState]:
        raise ValidationError(
            "validation.choice",
            field="state",
            value=q.state,
            allowed=[s.value for s in TicketState],
        )
    query = select(Ticket).options(load_only(*_SUMMARY_COLUMNS, raiseload=True))
    terms: list[str] = []
    if q.number:
        query = query.where(Ticket.number == q.number.strip())
    if q.phone:
        query = query.where(Ticket.contact_phone == normalise_identifier(q.phone))
        if not may_see_caller(actor.role, confidential=True):
            # Matching a confidential order by its caller's number would tell the department
            # who reported it, even with the number hidden in the result.
            query = query.where(col(Ticket.confidential).is_(False))
    if q.words:
        terms = fragment_phrases(q.words)
        if not terms:
            return _Search(None, terms)
    if q.state:
        query = query.where(Ticket.state == q.state)
    if q.since:
        query = query.where(Ticket.created_at >= q.since)
    if q.until:
        query = query.where(Ticket.created_at < q.until)
    scope_dept: int | None = actor.dept_id if actor.role is Role.HANDLER else None
    if q.dept:
        dept = session.exec(select(Department.id).where(Department.code == q.dept)).first()
        if dept is None or (scope_dept is not None and dept != scope_dept):
            return _Search(None, terms)
        scope_dept = dept
    if scope_dept is not None:
        # Probed per candidate order (newest first) through the assignment's ticket index;
        # an IN (…) list would first collect every order the department ever had.
        query = query.where(
            select(Assignment.id)
            .where(
                col(Assignment.ticket_id) == col(Ticket.id),
                Assignment.dept_id == scope_dept,
            )
            .exists()
        )
    return _Search(query, terms)


def _newest_first(
    hl: Hotline, search: _Search, query: SelectOfScalar[Ticket], below: int | None = None
) -> SelectOfScalar[Ticket]:
    if search.terms:
        return search_index.newest_matching(query, hl.dialect, search.terms, below=below)
    if below is not None:
        query = query.where(col(Ticket.id) < below)
    return query.order_by(col(Ticket.id).desc())


def _check_page(q: FindQuery) -> None:
    if q.limit > MAX_RESULTS or q.limit < 1:
        raise ValidationError("validation.find_limit", value=q.limit, max=MAX_RESULTS)
    if q.page < 1:
        raise ValidationError("validation.find_page", value=q.page)


def find(hl: Hotline, actor: Actor, q: FindQuery) -> list[TicketSummary]:
    """Orders matching every given criterion, newest first (handlers: their department's);
    at most :data:`MAX_RESULTS` (a page of :func:`find_page` with its total says so)."""
    permit(actor, "ticket.read")
    with hl.reading() as session:
        search = _search(session, actor, q)
        if search.query is None:
            return []
        limit = max(1, min(q.limit, MAX_RESULTS))
        query = _newest_first(hl, search, search.query)
        offset = (max(1, q.page) - 1) * limit
        return _summaries(session, actor, query.offset(offset).limit(limit))


def find_page(hl: Hotline, actor: Actor, q: FindQuery) -> FindPage:
    """Page ``q.page`` of the orders matching ``q`` (``q.limit`` a page, at most
    :data:`MAX_RESULTS`), with how many match in all and whether another page follows."""
    permit(actor, "ticket.read")
    _check_page(q)
    with hl.reading() as session:
        search = _search(session, actor, q)
        if search.query is None:
            return FindPage([], 0, q.page, q.limit, more=False)
        total = _count(hl, session, search)
        query = _newest_first(hl, search, search.query)
        offset = (q.page - 1) * q.limit
        results = _summaries(session, actor, query.offset(offset).limit(q.limit))
    return FindPage(results, total, q.page, q.limit, more=offset + len(results) < total)


def _count(hl: Hotline, session: Session, search: _Search) -> int:
    assert search.query is not None
    query = search.query
    if search.terms:
        query = search_index.newest_matching(query, hl.dialect, search.terms).order_by(None)
    counted = select(func.count()).select_from(query.with_only_columns(col(Ticket.id)).subquery())
    return int(session.exec(counted).one())


def find_all(
    hl: Hotline, actor: Actor, q: FindQuery, *, batch: int = MAX_RESULTS
) -> Iterator[list[TicketSummary]]:
    """Every order matching ``q``, newest first, in batches of ``batch`` (each read on its own:
    a long export holds no transaction open). Each batch starts below the last one's order id,
    so a million matches cost a million rows read, not a million pages skipped."""
    permit(actor, "ticket.read")
    below: int | None = None
    while True:
        with hl.reading() as session:
            search = _search(session, actor, q)
            if search.query is None:
                return
            query = _newest_first(hl, search, search.query, below)
            rows = list(session.exec(query.limit(batch)).all())
            if not rows:
                return
            below = rows[-1].id
            found = _summaries_of(session, actor, rows)
        yield found
        if len(rows) < batch:
            return


# Which states make up a work queue; the rows themselves are read by
# :func:`hotline_tui.services.tickets.worklists.work_queue`, for every front end.
QUEUES = {
    # department handler's queues
    "to_sign": (AssignmentState.PENDING_SIGN.value,),
    "in_progress": (AssignmentState.IN_PROGRESS.value, AssignmentState.EXTENSION_REVIEW.value),
    "returned": (AssignmentState.RETURN_REVIEW.value,),
    # dispatcher's queues: department parts under review (any department, lead or co-handler)
    "returns": (AssignmentState.RETURN_REVIEW.value,),
    "extensions": (AssignmentState.EXTENSION_REVIEW.value,),
    # dispatcher's queues: order states
    "to_dispatch": (TicketState.PENDING_DISPATCH.value,),
    "replies": (TicketState.PENDING_REVIEW.value,),
    "visits": (TicketState.PENDING_VISIT.value,),
    "unsatisfied": (TicketState.UNSATISFIED.value,),
}
