"""Orders as Open311 GeoReport v2 shows them to partner systems (``/open311/v2/``).

:func:`services` is the category tree's leaves (code, name, and the level-1 category as the
group). :func:`find` and :func:`one` give the public view of orders (:class:`PublicOrder`): the
status ``open``/``closed``, the category, the description masked and cut
(:func:`hotline_tui.domain.public.public_text`), the lead department as the agency
responsible, the lead part's due time as the expected time, the area as the address (the
order's own address may be the caller's home and is not shown). Confidential orders and
reports (举报) are never listed: their very existence may point at the person who called.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from db.models import Area, Assignment, Category, Department, Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.public import public_state, public_text
from hotline_tui.domain.states import RequestType, TicketState
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import permit

__all__ = ["MAX_WINDOW", "OrderQuery", "PublicOrder", "ServiceItem", "find", "one", "services"]

MAX_WINDOW = timedelta(days=90)
MAX_ROWS = 1000
_CLOSED = (TicketState.CLOSED.value, TicketState.ARCHIVED.value)


@dataclass(frozen=True)
class ServiceItem:
    code: str
    name: str
    group: str


def services(hl: Hotline, actor: Actor) -> list[ServiceItem]:
    """The leaf categories, each with its level-1 category's name as the group."""
    permit(actor, "reference.read")
    with hl.reading() as session:
        rows = session.exec(select(Category).order_by(col(Category.path))).all()
    parents = {row.parent_id for row in rows}
    tops = {row.path: row.name for row in rows if row.level == 1}
    return [
        ServiceItem(row.code, row.name, tops.get(row.path.split("/")[0], ""))
        for row in rows
        if row.id not in parents
    ]


@dataclass(frozen=True)
class OrderQuery:
    """The filters of GET requests: ids win over everything else (as the spec says)."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicOrder:
    number: str
    status: str
    service_code: str | None
    service_name: str | None
    description: str
    agency: str | None
    requested: datetime
    updated: datetime
    expected: datetime | None
    address: str
    status_notes: str


def window(query: OrderQuery, now: datetime) -> tuple[datetime, datetime]:
    """The requested-time window: the last 90 days unless given, never wider than 90 days."""
    end, start = query.end, query.start
    if end is None:
        end = min(start + MAX_WINDOW, now) if start is not None else now
    if start is None:
        start = end - MAX_WINDOW
    if start > end:
        raise ValidationError("validation.choice", field="start_date", value=str(start), allowed=[])
    if end - start > MAX_WINDOW:
        raise ValidationError(
            "validation.too_long", field="end_date", max=90, length=(end - start).days
        )
    return start, end


def _public(query: Any) -> Any:
    return query.where(
        col(Ticket.confidential).is_(False), Ticket.request_type != RequestType.REPORT.value
    )


def find(hl: Hotline, actor: Actor, query: OrderQuery) -> list[PublicOrder]:
    """The orders the query asks for, newest first (at most 1,000)."""
    permit(actor, "public.list")
    statement = _public(select(Ticket))
    if query.ids:
        statement = statement.where(col(Ticket.number).in_(query.ids[:MAX_ROWS]))
    else:
        start, end = window(query, hl.now())
        statement = statement.where(Ticket.created_at >= start, Ticket.created_at <= end)
        if query.service_codes:
            codes = select(Category.id).where(col(Category.code).in_(query.service_codes))
            statement = statement.where(col(Ticket.category_id).in_(codes))
        wanted = set(query.statuses)
        if wanted == {"closed"}:
            statement = statement.where(col(Ticket.state).in_(_CLOSED))
        elif wanted == {"open"}:
            statement = statement.where(col(Ticket.state).not_in(_CLOSED))
    statement = statement.order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc())
    with hl.reading() as session:
        tickets = session.exec(statement.limit(MAX_ROWS)).all()
        return _views(session, list(tickets))


def one(hl: Hotline, actor: Actor, number: str) -> PublicOrder | None:
    found = find(hl, actor, OrderQuery(ids=(number,)))
    return found[0] if found else None


def _views(session: Session, tickets: list[Ticket]) -> list[PublicOrder]:
    category_ids = {t.category_id for t in tickets if t.category_id}
    area_ids = {t.area_id for t in tickets if t.area_id}
    lead_ids = {t.lead_assignment_id for t in tickets if t.lead_assignment_id}
    categories = {
        c.id: c for c in session.exec(select(Category).where(col(Category.id).in_(category_ids)))
    }
    areas = {a.id: a.name for a in session.exec(select(Area).where(col(Area.id).in_(area_ids)))}
    leads = {
        a.id: (a, d)
        for a, d in session.exec(
            select(Assignment, Department)
            .join(Department, col(Department.id) == col(Assignment.dept_id))
            .where(or_(col(Assignment.id).in_(lead_ids)))
        )
    }
    views = []
    for t in tickets:
        category = categories.get(t.category_id)
        lead = leads.get(t.lead_assignment_id)
        views.append(
            PublicOrder(
                number=t.number,
                status=public_state(t.state),
                service_code=category.code if category else None,
                service_name=category.name if category else None,
                description=public_text(t.description),
                agency=lead[1].name if lead else None,
                requested=t.created_at,
                updated=t.updated_at,
                expected=lead[0].due_at if lead else t.dispatch_due_at,
                address=areas.get(t.area_id, ""),
                status_notes=t.state,
            )
        )
    return views
