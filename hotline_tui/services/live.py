"""The change feed as a console reads it: what changed since the last look, naming the orders.

The audit trail's gap-free sequence is the feed (``services.admin.audit.changes_since``); a console
polls :func:`changes_after` every few seconds with the last sequence number it has seen, and
refreshes the lists and the order on screen that a change touches. :func:`feed_head` gives the
number to start from (a console is not interested in what happened before it opened).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from db.models import AuditEvent, AuditHead, Ticket
from hotline_tui.services.context import Actor, Hotline

__all__ = ["FEED_LIMIT", "Change", "changes_after", "feed_head"]

FEED_LIMIT = 500


@dataclass(frozen=True)
class Change:
    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    ticket: str | None


def feed_head(hl: Hotline) -> int:
    """The newest sequence number of the feed."""
    with hl.reading() as session:
        seq = session.execute(select(col(AuditHead.seq)).where(col(AuditHead.id) == 1)).scalar()
    return int(seq or 0)


def changes_after(
    hl: Hotline, actor: Actor, after_seq: int, limit: int = FEED_LIMIT
) -> list[Change]:
    """Changes after ``after_seq`` in order, with the order number they concern (if any).

    Only the fact of a change and who made it are returned, never its content: a console
    re-reads what it shows through the ordinary (permission-checked) queries.
    """
    del actor  # knowing *that* something changed reveals nothing; the re-read is checked
    with hl.reading() as session:
        rows = session.execute(
            select(
                col(AuditEvent.seq),
                col(AuditEvent.at),
                col(AuditEvent.actor),
                col(AuditEvent.action),
                col(AuditEvent.entity),
                col(Ticket.number),
            )
            .join(Ticket, col(Ticket.id) == col(AuditEvent.ticket_id), isouter=True)
            .where(col(AuditEvent.seq) > after_seq)
            .order_by(col(AuditEvent.seq))
            .limit(max(1, limit))
        ).all()
    return [
        Change(int(s), at, str(who), str(act), str(ent), num) for s, at, who, act, ent, num in rows
    ]
