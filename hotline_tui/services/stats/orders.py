"""The orders as their facts read them (:class:`~hotline_tui.domain.kpi_facts.OrderView`),
loaded in one query per table for a batch of orders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import col

from db.models import Assignment, AuditEvent, Caller, Ticket, VisitAttempt
from hotline_tui.domain.kpi_facts import EVENT_ACTIONS, EventView, OrderView, PartView, VisitView

__all__ = ["load_orders"]

_ORDER_FIELDS = (
    "id",
    "created_at",
    "closed_at",
    "ending",
    "request_type",
    "channel",
    "category_id",
    "area_id",
    "caller_kind",
    "lead_assignment_id",
    "handover_count",
)


def load_orders(conn: Connection, ids: Sequence[int]) -> dict[int, OrderView]:
    """The orders of ``ids`` that exist, by id."""
    if not ids:
        return {}
    parts = _parts(conn, ids)
    visits = _visits(conn, ids)
    events = _events(conn, ids)
    rows: list[Any] = conn.execute(
        select(
            col(Ticket.id),
            col(Ticket.created_at),
            col(Ticket.closed_at),
            col(Ticket.ending),
            col(Ticket.request_type),
            col(Ticket.channel),
            col(Ticket.category_id),
            col(Ticket.area_id),
            col(Caller.kind),
            col(Ticket.lead_assignment_id),
            col(Ticket.handover_count),
        )
        .join(Caller, col(Caller.id) == col(Ticket.caller_id), isouter=True)
        .where(col(Ticket.id).in_(ids))
    ).all()  # type: ignore[assignment]
    return {
        row[0]: OrderView(
            **dict(zip(_ORDER_FIELDS, row, strict=True)),
            parts=tuple(parts.get(row[0], ())),
            visits=tuple(visits.get(row[0], ())),
            events=tuple(events.get(row[0], ())),
        )
        for row in rows
    }


def _parts(conn: Connection, ids: Sequence[int]) -> dict[int, list[PartView]]:
    out: dict[int, list[PartView]] = defaultdict(list)
    rows: list[Any] = conn.execute(
        select(
            col(Assignment.ticket_id),
            col(Assignment.id),
            col(Assignment.dept_id),
            col(Assignment.role),
            col(Assignment.state),
            col(Assignment.created_at),
            col(Assignment.signed_at),
            col(Assignment.replied_at),
            col(Assignment.sign_due_at),
            col(Assignment.due_at),
        )
        .where(col(Assignment.ticket_id).in_(ids))
        .order_by(col(Assignment.id))
    ).all()  # type: ignore[assignment]
    for ticket_id, *rest in rows:
        out[ticket_id].append(PartView(*rest))
    return out


def _visits(conn: Connection, ids: Sequence[int]) -> dict[int, list[VisitView]]:
    out: dict[int, list[VisitView]] = defaultdict(list)
    rows: list[Any] = conn.execute(
        select(
            col(VisitAttempt.ticket_id),
            col(VisitAttempt.made_at),
            col(VisitAttempt.contact),
            col(VisitAttempt.resolution),
            col(VisitAttempt.satisfaction),
        )
        .where(col(VisitAttempt.ticket_id).in_(ids))
        .order_by(col(VisitAttempt.id))
    ).all()  # type: ignore[assignment]
    for ticket_id, *rest in rows:
        out[ticket_id].append(VisitView(*rest))
    return out


def _events(conn: Connection, ids: Sequence[int]) -> dict[int, list[EventView]]:
    out: dict[int, list[EventView]] = defaultdict(list)
    rows: list[Any] = conn.execute(
        select(
            col(AuditEvent.ticket_id),
            col(AuditEvent.seq),
            col(AuditEvent.at),
            col(AuditEvent.action),
            col(AuditEvent.entity),
            col(AuditEvent.assignment_id),
            col(AuditEvent.dept_id),
        )
        .where(col(AuditEvent.ticket_id).in_(ids), col(AuditEvent.action).in_(EVENT_ACTIONS))
        .order_by(col(AuditEvent.seq))
    ).all()  # type: ignore[assignment]
    for ticket_id, *rest in rows:
        out[int(ticket_id)].append(EventView(*rest))
    return out
