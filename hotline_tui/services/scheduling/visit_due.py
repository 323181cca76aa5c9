"""回访到期: orders waiting for their return visit whose visit due time has passed or comes
within the next hours, earliest first, with the version a visit quotes.

The rows are :func:`hotline_tui.services.tickets.deadlines.rows` of the visit-due board (one
indexed statement), asked at ``now + horizon`` so the near ones come too; which of them are
already late is decided against ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import load_only
from sqlmodel import col, select

from db.models import Assignment, Department, Ticket
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import deadlines
from hotline_tui.services.tickets.common import permit
from hotline_tui.services.tickets.views import ContactView, present_contact

__all__ = ["HORIZON_HOURS", "VisitDue", "VisitDueRow", "visit_due_board"]

HORIZON_HOURS = 24
# What a row needs of its order (not its text: a visit list reads no descriptions).
_COLUMNS = tuple(
    getattr(Ticket, name)
    for name in (
        "number",
        "version",
        "visit_attempts",
        "caller_id",
        "contact_name",
        "contact_phone",
        "callback_phone",
        "confidential",
    )
)
_NONE: tuple[int, int, str | None, ContactView | None] = (0, 0, None, None)


@dataclass(frozen=True)
class VisitDueRow:
    number: str
    dept: str  # the lead department, which the visit is about
    dept_name: str  # its short name where it has one
    due_at: datetime
    overdue: bool
    title: str
    urgency: str
    ticket_state: str
    ticket_version: int
    attempts: int  # unreachable calls so far
    reply_text: str | None  # the lead department's reply, read to the caller
    caller: ContactView | None = None  # whom to call, masked as the reader may see it


@dataclass(frozen=True)
class VisitDue:
    at: datetime
    horizon_hours: int
    rows: list[VisitDueRow] = field(default_factory=list)


def visit_due_board(
    hl: Hotline, actor: Actor, *, horizon_hours: int = HORIZON_HOURS, limit: int = 200
) -> VisitDue:
    """The visits overdue now or due within ``horizon_hours``."""
    permit(actor, "visit")
    now = hl.now()
    found = deadlines.rows(
        hl,
        actor,
        deadlines.Board.VISIT_DUE,
        now=now + timedelta(hours=horizon_hours),
        limit=limit,
    )
    numbers = [row.number for row in found]
    with hl.reading() as session:
        extra = {
            ticket.number: (
                ticket.version,
                ticket.visit_attempts,
                reply,
                present_contact(actor, ticket),
            )
            for ticket, reply in session.exec(
                select(Ticket, col(Assignment.reply_text))
                .options(load_only(*_COLUMNS, raiseload=True))
                .outerjoin(Assignment, col(Assignment.id) == col(Ticket.lead_assignment_id))
                .where(col(Ticket.number).in_(numbers))
            )
        }
        names = {
            str(code): str(short or name)
            for code, short, name in session.exec(
                select(col(Department.code), col(Department.short_name), col(Department.name))
            )
        }
    rows = [
        VisitDueRow(
            number=row.number,
            dept=row.dept,
            dept_name=names.get(row.dept, row.dept),
            due_at=row.deadline,
            overdue=row.deadline <= now,
            title=row.title,
            urgency=row.urgency,
            ticket_state=row.ticket_state,
            ticket_version=extra.get(row.number, _NONE)[0],
            attempts=extra.get(row.number, _NONE)[1],
            reply_text=extra.get(row.number, _NONE)[2],
            caller=extra.get(row.number, _NONE)[3],
        )
        for row in found
    ]
    return VisitDue(at=now, horizon_hours=horizon_hours, rows=rows)
