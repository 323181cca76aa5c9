"""What the operator needs to see while a caller waits: the caller's history and enterprises.

- :func:`caller_history` - the orders registered from a phone number (newest first), which of
  them are still open, whether the caller is a repeat caller, and the caller's own record
  (name, kind, abusive mark) when the number is known.
- :func:`find_enterprises` - enterprises by (part of) their name or by their credit code.

Read-only; department handlers get what :func:`hotline_tui.services.tickets.queries.find` gives
them (their department's orders, masked numbers), so the rules stay in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from db.models import Caller, CallerPhone, Ticket
from hotline_tui.domain.states import OPEN_TICKET_STATES, CallerKind, Role
from hotline_tui.domain.text import clean_text, normalise_identifier
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import queries
from hotline_tui.services.tickets.common import permit
from hotline_tui.services.tickets.views import TicketSummary

__all__ = [
    "HISTORY_LIMIT",
    "REPEAT_DAYS",
    "REPEAT_ORDERS",
    "CallerHistory",
    "EnterpriseView",
    "caller_history",
    "find_enterprises",
]

HISTORY_LIMIT = 20
REPEAT_DAYS = 30
REPEAT_ORDERS = 2
"""A repeat caller: this many orders within :data:`REPEAT_DAYS` days, or any order still open."""


@dataclass(frozen=True)
class CallerHistory:
    phone: str
    name: str
    kind: str | None
    abusive: bool
    orders: list[TicketSummary] = field(default_factory=list)
    open_numbers: frozenset[str] = frozenset()
    recent: int = 0
    repeat: bool = False
    total: int = 0  # all orders from this number (``orders`` holds the newest few)


@dataclass(frozen=True)
class EnterpriseView:
    name: str
    credit_code: str | None
    industry: str | None
    size: str | None


def caller_history(hl: Hotline, actor: Actor, phone: str) -> CallerHistory:
    """The caller's previous orders (open ones marked) and whether they are a repeat caller."""
    permit(actor, "ticket.read")
    number = normalise_identifier(phone)
    orders = queries.find(hl, actor, queries.FindQuery(phone=number, limit=HISTORY_LIMIT))
    open_states = {s.value for s in OPEN_TICKET_STATES}
    open_numbers = frozenset(o.number for o in orders if o.state in open_states)
    since = hl.now() - timedelta(days=REPEAT_DAYS)
    recent = sum(1 for o in orders if o.created_at >= since)
    name, kind, abusive = "", None, False
    total = len(orders)
    if actor.role is not Role.HANDLER:  # departments do not browse the hotline's callers
        with hl.reading() as session:
            if len(orders) >= HISTORY_LIMIT:
                total = int(
                    session.exec(
                        select(func.count())
                        .select_from(Ticket)
                        .where(Ticket.contact_phone == number)
                    ).one()
                )
            caller = session.exec(
                select(Caller)
                .join(CallerPhone, col(CallerPhone.caller_id) == col(Caller.id))
                .where(CallerPhone.phone == number)
                .order_by(col(Caller.id).desc())
                .limit(1)
            ).first()
        if caller is not None:
            name, kind, abusive = caller.name, caller.kind, caller.abusive
    return CallerHistory(
        phone=number,
        name=name,
        kind=kind,
        abusive=abusive,
        orders=orders,
        open_numbers=open_numbers,
        recent=recent,
        repeat=bool(open_numbers) or recent >= REPEAT_ORDERS,
        total=total,
    )


def find_enterprises(hl: Hotline, actor: Actor, text: str, limit: int = 10) -> list[EnterpriseView]:
    """Enterprises whose credit code is ``text`` or whose name contains it."""
    permit(actor, "register")
    query = clean_text(text, multiline=False, max_length=200, field="query")
    if not query:
        return []
    code = normalise_identifier(query)
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with hl.reading() as session:
        rows = session.exec(
            select(Caller)
            .where(Caller.kind == CallerKind.ENTERPRISE.value)
            .where((col(Caller.credit_code) == code) | col(Caller.name).like(pattern, escape="\\"))
            .order_by(col(Caller.name))
            .limit(max(1, min(limit, 50)))
        ).all()
    return [EnterpriseView(c.name, c.credit_code, c.industry, c.size) for c in rows]
