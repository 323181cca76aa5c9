"""The unit of work: one write transaction, its audit events, and retries when the lock is busy.

A service calls ``write(hl, actor, work)``; ``work(uow)`` makes its changes on ``uow.session`` and
records audit events with ``uow.record``. New orders, parts, callers and phones go to
``uow.add_new`` instead of ``session.add``: :meth:`UnitOfWork.flush` writes them with one Core
``INSERT`` per table and then attaches them to the session, so later changes to them are ordinary
updates. The ORM's unit of work cost more per call taken than the statements it sent.

As the last step before commit the chain head is locked (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite's ``BEGIN IMMEDIATE`` already holds the only write lock), the events get their gap-free
sequence numbers and MACs, and the transaction commits. So the chain cannot fork under concurrent
writers, and a crash before commit leaves nothing behind.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Insert, Table, bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel

from db.models import AuditEvent, AuditHead, load_all
from hotline_tui.domain.audit_chain import compute_mac
from hotline_tui.domain.errors import Busy
from hotline_tui.services.admin.audit_key import AuditKey
from hotline_tui.services.context import Actor, Hotline

if TYPE_CHECKING:
    from hotline_tui.services.tickets.store import OrderStore

log = logging.getLogger(__name__)
R = TypeVar("R")


@dataclass
class PendingEvent:
    action: str
    entity: str
    entity_id: int | None
    entity_version: int | None
    ticket_id: int | None
    assignment_id: int | None
    dept_id: int | None
    from_state: str | None
    to_state: str | None
    note: str
    data: dict[str, Any]
    at: datetime
    actor: Actor


@dataclass
class UnitOfWork:
    """One transaction's session, clock reading, actor and pending audit events."""

    session: Session
    actor: Actor
    now: datetime
    hl: Hotline
    events: list[PendingEvent] = field(default_factory=list)
    # The last id allocated per table in this transaction (SQLite), see tickets.store.next_ids.
    last_ids: dict[str, int] = field(default_factory=dict)
    # Ids taken from PostgreSQL sequences ahead of use (tickets.store.reserve_ids).
    reserved_ids: dict[str, list[int]] = field(default_factory=dict)
    # New rows (with their ids allocated) not written yet: see ``add_new`` and ``flush``.
    new_rows: list[SQLModel] = field(default_factory=list)
    # Where the ticket operations keep and find an order's rows (tickets.store): this unit of
    # work's session and new rows, unless another store is given (the demo's bulk writer).
    order_store: InitVar[OrderStore | None] = None
    store: OrderStore = field(init=False)

    def __post_init__(self, order_store: OrderStore | None) -> None:
        if order_store is None:
            from hotline_tui.services.tickets.store import SessionStore  # imports this module

            order_store = SessionStore(self)
        self.store = order_store

    def add_new(self, *rows: SQLModel) -> None:
        """Write these new rows at the next :meth:`flush` (their ids must be set)."""
        self.new_rows.extend(rows)

    def is_new(self, row: SQLModel) -> bool:
        """Whether ``row`` was added in this transaction and not written yet."""
        return any(pending is row for pending in self.new_rows)

    def flush(self, *, last: bool = False) -> None:
        """Write the new rows and the session's pending changes, in foreign-key order.

        ``last``: nothing changes the rows after this flush (the commit follows), so the new
        ones are not attached to the session, which the write lock would otherwise wait for.
        """
        if self.new_rows:
            insert_new_rows(self.session, self.new_rows, attach=not last)
            self.new_rows.clear()
        self.session.flush()

    def record(
        self,
        action: str,
        *,
        entity: str,
        entity_id: int | None = None,
        entity_version: int | None = None,
        ticket_id: int | None = None,
        assignment_id: int | None = None,
        dept_id: int | None = None,
        from_state: str | None = None,
        to_state: str | None = None,
        note: str = "",
        data: dict[str, Any] | None = None,
        actor: Actor | None = None,
    ) -> None:
        """Queue an audit event; it is written with its sequence number at commit."""
        self.events.append(
            PendingEvent(
                action=action,
                entity=entity,
                entity_id=entity_id,
                entity_version=entity_version,
                ticket_id=ticket_id,
                assignment_id=assignment_id,
                dept_id=dept_id,
                from_state=from_state,
                to_state=to_state,
                note=note,
                data=data or {},
                at=self.now,
                actor=actor or self.actor,
            )
        )

    def flush_audit(self, *, last: bool = False) -> None:
        """Lock the chain head, number and sign the pending events, write them."""
        self.flush(last=last)
        if not self.events:
            return
        append_events(self.session, self.events, self.hl.key)
        self.events.clear()


# Built once: the chain head is locked, the events inserted and the head moved in every write
# transaction, so these three statements go straight to the connection (Core, compiled once
# and cached) instead of through the ORM's bulk-persistence layer, which cost more than the
# round trips themselves.
_EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]
_HEAD = AuditHead.__table__  # type: ignore[attr-defined]
_LOCK_HEAD = select(_HEAD.c.seq, _HEAD.c.mac).where(_HEAD.c.id == 1).with_for_update()
_INSERT_EVENTS = insert(_EVENTS)
_MOVE_HEAD = (
    update(_HEAD).where(_HEAD.c.id == 1).values(seq=bindparam("new_seq"), mac=bindparam("new_mac"))
)


def insert_new_rows(session: Session, rows: list[SQLModel], *, attach: bool = True) -> None:
    """INSERT ``rows`` with Core, tables in foreign-key order, then (``attach``) attach them to
    ``session`` as loaded rows (no pending changes), as the ORM's flush would have left them."""
    by_table: dict[Table, list[SQLModel]] = {}
    for row in rows:
        by_table.setdefault(row.__table__, []).append(row)  # type: ignore[attr-defined]
    connection = session.connection()
    for table in _table_order():
        written = by_table.pop(table, None)
        if written:
            keys = [column.key for column in table.columns]
            values = [{key: vars(row)[key] for key in keys} for row in written]
            # One row (the usual case) as a plain execute: psycopg runs even a one-row
            # executemany as a pipeline, which costs more than the round trip it saves.
            connection.execute(_insert_statement(table), values[0] if len(values) == 1 else values)
    if by_table:
        raise AssertionError(f"no insert order for {sorted(t.name for t in by_table)}")
    if attach:
        for row in rows:
            make_transient_to_detached(row)
            session.add(row)


@functools.cache
def _table_order() -> list[Table]:
    """Parents before children, from the tables' foreign keys (every table loaded first)."""
    load_all()
    return list(SQLModel.metadata.sorted_tables)


@functools.cache
def _insert_statement(table: Table) -> Insert:
    return insert(table)


def append_events(session: Session, events: list[PendingEvent], key: AuditKey) -> None:
    """Append ``events`` to the chain under the head lock (the caller has flushed and commits)."""
    connection = session.connection()
    seq, prev_mac = connection.execute(_LOCK_HEAD).one()
    seq = int(seq)
    rows: list[dict[str, Any]] = []
    for event in events:
        seq += 1
        row: dict[str, Any] = {
            "seq": seq,
            "at": event.at,
            "actor_id": event.actor.user_id,
            "actor": event.actor.username,
            "os_user": event.actor.os_user,
            "action": event.action,
            "entity": event.entity,
            "entity_id": event.entity_id,
            "entity_version": event.entity_version,
            "ticket_id": event.ticket_id,
            "assignment_id": event.assignment_id,
            "dept_id": event.dept_id,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "note": event.note,
            "data": json.dumps(event.data, ensure_ascii=False, sort_keys=True, default=str),
            "key_id": key.key_id,
            "prev_mac": prev_mac,
        }
        row["mac"] = compute_mac(key.secret, row)
        prev_mac = row["mac"]
        rows.append(row)
    # Every row has every key, so this is one executemany whatever the pattern of NULLs.
    connection.execute(_INSERT_EVENTS, rows)
    connection.execute(_MOVE_HEAD, {"new_seq": seq, "new_mac": prev_mac})


def _is_lock_error(exc: DBAPIError) -> bool:
    message = str(exc.orig).lower()
    if "database is locked" in message or "database is busy" in message:
        return True
    # PostgreSQL: serialization failure, deadlock, lock not available.
    return getattr(exc.orig, "sqlstate", None) in ("40001", "40P01", "55P03")


def _is_race(exc: DBAPIError) -> bool:
    """A unique key taken by a concurrent transaction (PostgreSQL runs writers side by side):
    running the work again sees the other's row (e.g. the same new caller) and succeeds."""
    return getattr(exc.orig, "sqlstate", None) == "23505"


def write(hl: Hotline, actor: Actor, work: Callable[[UnitOfWork], R]) -> R:
    """Run ``work`` in one write transaction with its audit events; retry if the lock is busy.

    Domain errors raised by ``work`` roll the transaction back and propagate unchanged. A lock
    that stays busy through every retry becomes a structured :class:`Busy` error, never a raw
    "database is locked".
    """
    attempts = max(1, hl.settings.write_retries)
    for attempt in range(1, attempts + 1):
        try:
            # No autoflush: a query does not write pending changes first (that cost one UPDATE
            # per query); code that must see its own changes in a query flushes explicitly.
            with Session(hl.engines.write, expire_on_commit=False, autoflush=False) as session:
                uow = UnitOfWork(session=session, actor=actor, now=hl.now(), hl=hl)
                result = work(uow)
                uow.flush_audit(last=True)
                session.commit()
                return result
        except DBAPIError as exc:
            locked = _is_lock_error(exc)
            if not locked and not (_is_race(exc) and attempt < attempts):
                raise
            log.warning("write retried (attempt %d of %d): %s", attempt, attempts, exc.orig)
            if locked and attempt == attempts:
                raise Busy("db.busy", attempts=attempts) from exc
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311  (jitter, not crypto)
    raise AssertionError("unreachable")
