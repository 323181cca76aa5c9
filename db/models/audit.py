"""The audit trail: append-only, HMAC-chained events, and the chain head used as a lock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Text
from sqlmodel import Field, SQLModel

from db.models.base import partial_index, utc_field

LIMIT_CHANGES = "action = 'limit_change'"
"""The limit-change events (a part's time limits recomputed): the partial index's predicate,
which a query that relies on the index repeats as text."""


class AuditEvent(SQLModel, table=True):
    """One recorded change. ``seq`` is gap-free; ``mac`` chains it to the previous event.

    The sequence is also the change feed: "what changed since N" is ``seq > N``.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_ticket_seq", "ticket_id", "seq"),
        # Every order's registration event, for ``audit verify``'s "orders without their
        # registration events" and back (two anti-joins, no scan of the trail).
        partial_index("ix_audit_event_register", "ticket_id", where="action = 'register'"),
        # A change of a part's time limits (an order's urgency edited after dispatch): the
        # departments' notices read them after a sequence number without scanning the trail.
        partial_index("ix_audit_event_limit_change", "seq", where=LIMIT_CHANGES),
    )

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    at: datetime = utc_field()
    actor_id: int | None = None
    actor: str = Field(max_length=64)
    os_user: str | None = Field(default=None, max_length=64)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=20)
    entity_id: int | None = None
    entity_version: int | None = None
    ticket_id: int | None = None
    assignment_id: int | None = None
    dept_id: int | None = None
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str | None = Field(default=None, max_length=20)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    key_id: str = Field(max_length=16)
    prev_mac: str = Field(max_length=64)
    mac: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The single row holding the chain head; writers lock it to assign the next ``seq``."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    mac: str = Field(default="", max_length=64)
