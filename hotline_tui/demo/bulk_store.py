"""The bulk write path's store: ids, callers, changed rows, and one executemany per table.

The demo generator is the only writer while it runs (as :func:`generator.summarise` assumes), so
the store allocates ids itself, counting on from the database's maxima (PostgreSQL: from the
sequences, which it moves past the ids it used at every commit). Records (:mod:`records`) are
plain objects: a new one is inserted at the next flush with the values it has then; an old one
is *touched* (its row as in the database remembered) before a step changes it, and updated at the
next flush in the columns that differ. Column lists come from the table metadata.

Callers and their phones are deduplicated in memory the way
``tickets.intake.find_or_create_caller`` does it in the database. Search text is segmented with a
:class:`~hotline_tui.domain.text.SegmentCache` (identical to ``segment_for_search``); the full-text
index follows by the database's own triggers (SQLite) or generated column (PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any
from weakref import WeakValueDictionary

from sqlalchemy import Connection, select, text
from sqlmodel import Session

from db.models import (
    Area,
    Category,
    Department,
    Supervision,
    VisitAttempt,
)
from hotline_tui.demo.records import (
    AssignmentRec,
    CallerPhoneRec,
    CallerRec,
    Record,
    SupervisionRec,
    TicketRec,
    VisitAttemptRec,
)
from hotline_tui.demo.store_session import StoreSession
from hotline_tui.demo.table_writer import TABLES, TableWriter
from hotline_tui.domain.intake import CallerInput
from hotline_tui.domain.states import CallerKind, TicketState
from hotline_tui.domain.text import SegmentCache
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets.intake import resolve_code
from hotline_tui.services.uow import PendingEvent, UnitOfWork, append_events

CALLER_CACHE = 100_000
"""How many caller records stay in memory (the index of all callers is ids only)."""


class BulkStore:
    """Ids, the records changed since the last flush, and the writes of one transaction."""

    def __init__(self, hl: Hotline, session: Session) -> None:
        self.hl = hl
        self.session = session
        self.dialect = hl.dialect
        dialect = hl.engines.write.dialect
        self.writers = {record: TableWriter(record, name, dialect) for record, name in TABLES}
        self.view = StoreSession(self)
        self.segment = SegmentCache()
        # Records whose rows are in the database and may change in this batch, with the row as
        # it is there (``id(record)`` → writer, record, values).
        self._touched: dict[int, tuple[TableWriter, Any, tuple[Any, ...]]] = {}
        # Orders still held by a flow (or a record pending a write): one object per order.
        self.tickets: WeakValueDictionary[int, TicketRec] = WeakValueDictionary()
        self.assignments: WeakValueDictionary[int, AssignmentRec] = WeakValueDictionary()
        # Callers by credit code and by phone (per kind: the lowest id), as ids; the records of
        # the recent and the frequent callers stay in memory (least recently used go first).
        self._by_credit: dict[str, int] = {}
        self._by_phone: dict[str, dict[str, int]] = {k.value: {} for k in CallerKind}
        self._phones_of: dict[int, set[str]] = {}  # phones of callers with a credit code
        self._callers: dict[int, CallerRec] = {}
        self.caller_cache = CALLER_CACHE
        self.departments: dict[int, Department] = {}
        self._load()

    # -- start ------------------------------------------------------------------------------

    def _load(self) -> None:
        """Next ids, departments, the code caches, and the callers already in the database."""
        with Session(self.hl.engines.read, expire_on_commit=False) as reader:
            conn = reader.connection()
            for writer in self.writers.values():
                writer.next_id = self._first_free_id(conn, writer.table.name)
                writer.synced = writer.next_id - 1
            for dept in reader.execute(select(Department)).scalars():
                self.departments[dept.id or 0] = dept
                self.hl.dept_ids[dept.code] = dept.id or 0
            # resolve_code answers from these caches (it would query only for a code not seen).
            for model in (Area, Category):
                name = model.__tablename__
                for code, ident in conn.execute(select(model.code, model.id)):  # type: ignore[call-overload]
                    self.hl.code_ids[(name, code)] = int(ident)
            callers = self.writers[CallerRec].table
            query = select(callers.c.id, callers.c.kind, callers.c.credit_code)
            kinds: dict[int, tuple[str, str | None]] = {}
            for ident, kind, credit_code in conn.execute(query):
                kinds[ident] = (kind, credit_code)
                if credit_code:
                    self._by_credit[credit_code] = ident
            phones = self.writers[CallerPhoneRec].table
            query = select(phones.c.caller_id, phones.c.phone).order_by(phones.c.caller_id)
            for row in conn.execute(query):
                caller_id, phone = int(row[0]), str(row[1])
                self._know_phone(caller_id, *kinds[caller_id], phone)

    def _first_free_id(self, conn: Connection, table: str) -> int:
        """The id the next insert would get: SQLite max + 1; PostgreSQL the sequence's next."""
        highest = conn.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0
        if self.dialect == "postgresql":
            last = conn.execute(
                text("SELECT pg_sequence_last_value(pg_get_serial_sequence(:t, 'id')::regclass)"),
                {"t": table},
            ).scalar()
            highest = max(highest, last or 0)
        return int(highest) + 1

    # -- records ----------------------------------------------------------------------------

    def allocate(self, record: type[Record]) -> int:
        writer = self.writers[record]
        ident = writer.next_id
        writer.next_id += 1
        return ident

    def add(self, record: Record) -> None:
        """A new row, inserted at the next flush with the values the record has then."""
        self.writers[type(record)].new.append(record)

    def add_ticket(self, ticket: TicketRec) -> None:
        self.add(ticket)
        self.tickets[ticket.id] = ticket

    def add_assignment(self, ticket: TicketRec, assignment: AssignmentRec) -> None:
        self.add(assignment)
        self.assignments_of(ticket).append(assignment)
        self.assignments[assignment.id] = assignment

    def add_supervision(self, item: Supervision) -> None:
        """A supervision item a service helper created: taken over as a record."""
        writer = self.writers[SupervisionRec]
        values = {name: getattr(item, name) for name in writer.columns if name != "id"}
        record = SupervisionRec(id=self.allocate(SupervisionRec), **values)
        ticket = self.tickets[record.ticket_id]
        self.supervisions_of(ticket).append(record)
        self.add(record)

    def add_visit_attempt(self, item: VisitAttempt) -> None:
        """A return-visit call ``visit_op`` recorded: taken over as a record."""
        writer = self.writers[VisitAttemptRec]
        values = {name: getattr(item, name) for name in writer.columns if name != "id"}
        self.add(VisitAttemptRec(id=self.allocate(VisitAttemptRec), **values))

    def touch(self, record: Record) -> None:
        """``record`` may change in this step: remember its row as the database has it."""
        if record.stored and id(record) not in self._touched:
            writer = self.writers[type(record)]
            self._touched[id(record)] = (writer, record, writer.values(record))

    def touch_all(self, records: Iterable[Record]) -> None:
        for record in records:
            self.touch(record)

    def assignments_of(self, ticket: TicketRec) -> list[AssignmentRec]:
        assert ticket.assignments is not None, f"assignments of {ticket.number} not loaded"
        return ticket.assignments

    def supervisions_of(self, ticket: TicketRec) -> list[SupervisionRec]:
        assert ticket.supervisions is not None, f"supervision of {ticket.number} not loaded"
        return ticket.supervisions

    def duplicates_of(self, ticket: TicketRec) -> list[TicketRec]:
        assert ticket.duplicates is not None, f"duplicates of {ticket.number} not loaded"
        return ticket.duplicates

    # -- callers ----------------------------------------------------------------------------

    def _know_phone(self, ident: int, kind: str, credit_code: str | None, phone: str) -> None:
        by_phone = self._by_phone[kind]
        known = by_phone.get(phone)
        if known is None or ident < known:
            by_phone[phone] = ident
        if credit_code:
            self._phones_of.setdefault(ident, set()).add(phone)

    def _add_phone(self, caller: CallerRec, phone: str) -> None:
        self.add(CallerPhoneRec(id=self.allocate(CallerPhoneRec), caller_id=caller.id, phone=phone))
        self._know_phone(caller.id, caller.kind, caller.credit_code, phone)

    def caller(self, ident: int) -> CallerRec:
        """The caller's record: from memory, else (written, not changed since) from the
        database."""
        found = self._callers.pop(ident, None)
        if found is None:  # only a written, unchanged record is forgotten: the row is current
            writer = self.writers[CallerRec]
            query = select(writer.table).where(writer.table.c.id == ident)
            found = writer.from_row(self.session.connection().execute(query).mappings().one())
        self._remember(found)
        return found

    def _remember(self, caller: CallerRec) -> None:
        """Keep the record (as the most recently used); forget the least recently used ones
        that are written and unchanged (a changed one must stay the only copy)."""
        callers = self._callers
        callers[caller.id] = caller
        excess = len(callers) - self.caller_cache
        if excess > 0:
            for old in list(islice(callers.values(), excess)):
                if old.stored and id(old) not in self._touched:
                    del callers[old.id]

    def find_or_create_caller(self, uow: UnitOfWork, caller: CallerInput) -> CallerRec | None:
        """``tickets.intake.find_or_create_caller``, in memory: the enterprise with that credit
        code, else the oldest caller of that kind with that phone, else a new caller."""
        if caller.kind == CallerKind.ANONYMOUS:
            return None
        phone_known = False
        found: int | None = None
        if caller.credit_code:
            found = self._by_credit.get(caller.credit_code)
        elif caller.phone:
            found = self._by_phone[caller.kind].get(caller.phone)
            phone_known = found is not None
        if found is None:
            if not caller.name and not caller.phone and not caller.credit_code:
                return None
            created = CallerRec(
                id=self.allocate(CallerRec),
                kind=caller.kind,
                name=caller.name,
                id_number=caller.id_number,
                credit_code=caller.credit_code,
                industry=caller.industry,
                size=caller.size,
                area_id=resolve_code(uow, Area, caller.area_code),
                created_at=uow.now,
            )
            self.add(created)
            self._remember(created)
            if created.credit_code:
                self._by_credit[created.credit_code] = created.id
            if caller.phone:
                self._add_phone(created, caller.phone)
            return created
        existing = self.caller(found)
        # Fill in what was missing; never silently replace what was recorded before.
        self.touch(existing)
        existing.name = existing.name or caller.name
        existing.id_number = existing.id_number or caller.id_number
        existing.industry = existing.industry or caller.industry
        existing.size = existing.size or caller.size
        if (
            caller.phone
            and not phone_known
            and caller.phone not in self._phones_of.get(existing.id, ())
        ):
            self._add_phone(existing, caller.phone)
        return existing

    # -- reading back -------------------------------------------------------------------------

    def closed_before(self, cutoff: datetime, first_id: int) -> list[int]:
        """Ids of closed orders from ``first_id`` on, closed before ``cutoff``, by id."""
        self.flush()
        table = self.writers[TicketRec].table
        query = (
            select(table.c.id)
            .where(
                table.c.state == TicketState.CLOSED.value,
                table.c.closed_at < cutoff,
                table.c.id >= first_id,
            )
            .order_by(table.c.id)
        )
        return [int(i) for i in self.session.connection().execute(query).scalars()]

    def load_tickets(self, ids: Sequence[int]) -> list[TicketRec]:
        """The orders by id: the record in memory if there is one, else read from the
        database (without its assignments, supervision and duplicates)."""
        found = {i: t for i in ids if (t := self.tickets.get(i)) is not None}
        missing = [i for i in ids if i not in found]
        if missing:
            self.flush()
            writer = self.writers[TicketRec]
            query = select(writer.table).where(writer.table.c.id.in_(missing))
            for row in self.session.connection().execute(query).mappings():
                ticket: TicketRec = writer.from_row(row)
                ticket.assignments = ticket.supervisions = ticket.duplicates = None
                self.tickets[ticket.id] = found[ticket.id] = ticket
        return [found[i] for i in sorted(found)]

    # -- writing ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Insert the new rows and update the changed ones (in this transaction)."""
        conn = self.session.connection()
        for writer in self.writers.values():
            if writer.new:
                writer.insert(conn, [writer.db_values(writer.values(r)) for r in writer.new])
                for record in writer.new:
                    record.stored = True
                writer.new.clear()
        if not self._touched:
            return
        groups: dict[tuple[TableWriter, tuple[int, ...]], list[list[Any]]] = {}
        for writer, record, before in self._touched.values():
            after = writer.values(record)
            if after == before:
                continue
            changed = tuple(i for i, (a, b) in enumerate(zip(after, before, strict=True)) if a != b)
            values = writer.db_values(after)
            groups.setdefault((writer, changed), []).append(
                [values[i] for i in changed] + [record.id]
            )
        self._touched.clear()
        for (writer, changed), rows in groups.items():
            writer.update(conn, changed, rows)

    def commit(self, events: list[PendingEvent]) -> None:
        """Flush, append the batch's audit events to the chain (under the head lock), move the
        PostgreSQL sequences past the ids used, and commit."""
        self.flush()
        self.session.flush()  # anything the ORM holds (users, …) goes before the events
        if events:
            append_events(self.session, events, self.hl.key)
        if self.dialect == "postgresql":
            for writer in self.writers.values():
                used = writer.next_id - 1
                if used > writer.synced:
                    self.session.execute(
                        text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                        {"t": writer.table.name, "v": used},
                    )
                    writer.synced = used
        self.session.commit()
