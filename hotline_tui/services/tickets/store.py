"""Where the ticket operations keep the rows they make and find the rows they are not handed.

An operation (``register_op``, ``dispatch_op``, ``close_op``, ``merge_op`` …) is the rule: the
transitions, counters, due times and audit events. What it writes goes to ``uow.session`` (the
rows it is handed and ``session.get`` by id) and, for everything else, to ``uow.store``, an
:class:`OrderStore`: new rows and their ids, an order's assignments, supervision items and merged
duplicates, and the callers by credit code or phone.

:class:`SessionStore` is the store of every service transaction: the unit of work's session,
its new rows (``UnitOfWork.add_new``), ids from the database, SQL queries. The demo generator
brings a second one that answers from memory and writes many orders per transaction in bulk
(``hotline_tui/demo/bulk_store.py``): the operations are the same code on both.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import TextClause, bindparam, text
from sqlmodel import SQLModel, col, select

from db.models import Assignment, Caller, CallerPhone, Supervision, Ticket
from hotline_tui.domain.intake import CallerInput
from hotline_tui.domain.states import TicketState
from hotline_tui.services.tickets.common import assignments_of
from hotline_tui.services.uow import UnitOfWork

M = TypeVar("M", bound=SQLModel)


class OrderStore(Protocol):
    """What the ticket operations ask of their store."""

    def new(self, model: type[M], **values: Any) -> M:
        """A new row of ``model`` (an order, assignment, caller or phone), not stored yet."""

    def add(self, *rows: Any) -> None:
        """Store these new rows (ids set) with the transaction."""

    def ids(self, table: str, count: int = 1) -> list[int]:
        """``count`` fresh ids of ``table``, before the rows are written."""

    def reserve(self, tables: Sequence[str], *, lock: str | None = None) -> None:
        """Take one id of each table ahead of use, and the advisory lock ``lock``."""

    def assignments_of(self, ticket: Ticket, *, lock: bool = False) -> list[Assignment]:
        """The order's assignments, oldest first (``lock``: for update)."""

    def waiting_duplicates(self, lead: Ticket) -> list[Ticket]:
        """The orders merged into ``lead`` and still waiting for it, by id (locked)."""

    def link_duplicate(self, child: Ticket, lead: Ticket | None) -> None:
        """``child`` now waits for ``lead`` (None: for no order any more)."""

    def supervision_items(self, ticket: Ticket) -> list[Supervision]:
        """The order's supervision items, by id."""

    def pending_caller(self, caller: CallerInput) -> Caller | None:
        """A caller added in this transaction and not written yet, with that credit code, or
        that phone and kind (a store whose lookups see such callers answers None)."""

    def caller_by_credit_code(self, code: str) -> Caller | None:
        """The enterprise with that credit code."""

    def caller_by_phone(self, kind: str, phone: str) -> Caller | None:
        """The oldest caller of that kind with that phone."""

    def has_phone(self, caller: Caller, phone: str) -> bool:
        """Whether ``phone`` is one of the caller's numbers."""


_ID_TABLES = ("ticket", "assignment", "caller", "caller_phone")


def next_ids(uow: UnitOfWork, table: str, count: int = 1) -> list[int]:
    """Allocate ``count`` ids of ``table`` before insert (no flush needed to learn them).

    PostgreSQL: the column's sequence (ids reserved by :func:`reserve_ids` come first).
    SQLite: max + 1 is safe because write transactions hold the only write lock from BEGIN
    IMMEDIATE; the maxima are read once per transaction and then counted on.
    """
    session = uow.session
    if uow.hl.dialect == "postgresql":
        pool = uow.reserved_ids.setdefault(table, [])
        taken, pool[:] = pool[:count], pool[count:]
        missing = count - len(taken)
        if missing:
            rows = session.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:table, 'id'))"
                    " FROM generate_series(1, :n)"
                ),
                {"table": table, "n": missing},
            ).scalars()
            taken += [int(value) for value in rows]
        return taken
    if not uow.last_ids:
        maxima = ", ".join(f"(SELECT max(id) FROM {name})" for name in _ID_TABLES)
        row = session.execute(text(f"SELECT {maxima}")).one()
        uow.last_ids.update(
            {name: int(value or 0) for name, value in zip(_ID_TABLES, row, strict=True)}
        )
    last = uow.last_ids[table]
    uow.last_ids[table] = last + count
    return list(range(last + 1, last + count + 1))


@functools.cache
def _reserve_statement(tables: tuple[str, ...], *, locked: bool) -> TextClause:
    """Built once per shape: every call taken runs it."""
    parts = [f"nextval(pg_get_serial_sequence('{name}', 'id'))" for name in tables]
    if locked:
        parts.append("pg_advisory_xact_lock(hashtext(:lock))")
    return text(f"SELECT {', '.join(parts)}")


def reserve_ids(uow: UnitOfWork, tables: Sequence[str], *, lock: str | None = None) -> None:
    """PostgreSQL: take one id of each table, and the advisory lock ``lock``, in one round trip.

    Registering an order needs an order id and maybe a caller's and a phone's; asking for them
    with the caller's lock saves round trips on every call. An id reserved but not used is a gap
    in the sequence, as after any rollback.
    """
    if uow.hl.dialect != "postgresql":
        return
    statement = _reserve_statement(tuple(tables), locked=lock is not None)
    params = {"lock": lock} if lock is not None else {}
    row = uow.session.connection().execute(statement, params).one()
    for name, value in zip(tables, row, strict=False):
        uow.reserved_ids.setdefault(name, []).append(int(value))


# Callers are looked up on every call taken, most often to find none: the id by a Core query
# (built once), then the row by primary key only when there is one.
_BY_CREDIT_CODE = select(col(Caller.id)).where(col(Caller.credit_code) == bindparam("code"))
_BY_PHONE = (
    select(col(Caller.id))
    .join(CallerPhone, col(CallerPhone.caller_id) == col(Caller.id))
    .where(col(CallerPhone.phone) == bindparam("phone"), col(Caller.kind) == bindparam("kind"))
    .order_by(col(Caller.id))
    .limit(1)
)


class SessionStore:
    """The store of one service transaction: its session, new rows and the database."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def new(self, model: type[M], **values: Any) -> M:
        return model(**values)

    def add(self, *rows: Any) -> None:
        self.uow.add_new(*rows)

    def ids(self, table: str, count: int = 1) -> list[int]:
        return next_ids(self.uow, table, count)

    def reserve(self, tables: Sequence[str], *, lock: str | None = None) -> None:
        reserve_ids(self.uow, tables, lock=lock)

    def assignments_of(self, ticket: Ticket, *, lock: bool = False) -> list[Assignment]:
        assert ticket.id is not None
        if self.uow.is_new(ticket):
            # Not in the database yet, so neither are its assignments: no query needed.
            return [
                a
                for a in self.uow.new_rows
                if isinstance(a, Assignment) and a.ticket_id == ticket.id
            ]
        return assignments_of(self.uow.session, ticket.id, lock=lock)

    def waiting_duplicates(self, lead: Ticket) -> list[Ticket]:
        return list(
            self.uow.session.exec(
                select(Ticket)
                .where(Ticket.parent_id == lead.id, Ticket.state == TicketState.MERGED.value)
                # In id order: the duplicates' audit events come out the same on every
                # backend, and two transactions lock them in the same order.
                .order_by(col(Ticket.id))
                .with_for_update()
            )
        )

    def link_duplicate(self, child: Ticket, lead: Ticket | None) -> None:
        child.parent_id = lead.id if lead is not None else None

    def supervision_items(self, ticket: Ticket) -> list[Supervision]:
        self.uow.flush()  # items added earlier in this transaction are among them
        query = select(Supervision).where(Supervision.ticket_id == ticket.id)
        return list(self.uow.session.exec(query.order_by(col(Supervision.id))))

    def pending_caller(self, caller: CallerInput) -> Caller | None:
        new_rows = self.uow.new_rows
        callers = {obj.id: obj for obj in new_rows if isinstance(obj, Caller)}
        if caller.credit_code:
            for pending in callers.values():
                if pending.credit_code == caller.credit_code:
                    return pending
        for obj in new_rows:
            if caller.phone and isinstance(obj, CallerPhone) and obj.phone == caller.phone:
                found = callers.get(obj.caller_id) or self.uow.session.get(Caller, obj.caller_id)
                if found is not None and found.kind == caller.kind:
                    return found
        return None

    def caller_by_credit_code(self, code: str) -> Caller | None:
        return self._caller(_BY_CREDIT_CODE, {"code": code})

    def caller_by_phone(self, kind: str, phone: str) -> Caller | None:
        return self._caller(_BY_PHONE, {"phone": phone, "kind": kind})

    def _caller(self, query: Any, params: dict[str, str]) -> Caller | None:
        session = self.uow.session
        found = session.connection().execute(query, params).scalar_one_or_none()
        return session.get(Caller, found) if found is not None else None

    def has_phone(self, caller: Caller, phone: str) -> bool:
        known = self.uow.session.exec(
            select(CallerPhone.id).where(
                CallerPhone.caller_id == caller.id, CallerPhone.phone == phone
            )
        ).first()
        return known is not None
