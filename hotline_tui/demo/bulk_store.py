"""The demo's store for the ticket operations: records in memory, written in bulk.

:class:`BulkStore` is a second implementation of the store the ticket services' operations
write to (``services.tickets.store.OrderStore``; the first is the unit of work's session): the
operations are the services' own, the persistence is this module's.

The demo generator is the only writer while it runs (as :func:`generator.summarise` assumes), so
the store allocates ids itself, counting on from the database's maxima (PostgreSQL: from the
sequences, which it moves past the ids it used at every commit). Records (:mod:`records`) are
plain objects: a new one is inserted at the next flush with the values it has then; an old one
is *touched* (its row as in the database remembered) before a step changes it, and updated at the
next flush in the columns that differ. Column lists come from the table metadata.

Callers are found in memory (:mod:`bulk_callers`). Search text is segmented with a
:class:`~hotline_tui.domain.text.SegmentCache` (identical to ``segment_for_search``); the full-text
index follows by the database's own triggers (SQLite) or generated column (PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast
from weakref import WeakValueDictionary

from sqlalchemy import Connection, select, text
from sqlmodel import Session

from db.models import (
    Area,
    Assignment,
    Caller,
    CallerPhone,
    Category,
    Department,
    Supervision,
    Ticket,
    VisitAttempt,
)
from hotline_tui.demo.bulk_callers import CallerIndex
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
from hotline_tui.domain.states import TicketState
from hotline_tui.domain.text import SegmentCache
from hotline_tui.services.context import Hotline
from hotline_tui.services.uow import PendingEvent, append_events

M = TypeVar("M")

# The records the store makes for the rows the operations create.
_RECORDS: dict[type[Any], type[Record]] = {
    Ticket: TicketRec,
    Assignment: AssignmentRec,
    Caller: CallerRec,
    CallerPhone: CallerPhoneRec,
}


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
        self._by_table = {writer.table.name: record for record, writer in self.writers.items()}
        self.callers = CallerIndex(self)
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
            self.callers.load(conn)

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

    def allocate(self, record: type[Record], count: int = 1) -> list[int]:
        writer = self.writers[record]
        first = writer.next_id
        writer.next_id += count
        return list(range(first, first + count))

    def _insert(self, record: Record) -> None:
        """A new row, inserted at the next flush with the values the record has then."""
        self.writers[type(record)].new.append(record)

    def add_supervision(self, item: Supervision) -> None:
        """A supervision item a service helper created: taken over as a record."""
        writer = self.writers[SupervisionRec]
        values = {name: getattr(item, name) for name in writer.columns if name != "id"}
        record = SupervisionRec(id=self.allocate(SupervisionRec)[0], **values)
        ticket = self.tickets[record.ticket_id]
        self._loaded(ticket.supervisions, ticket).append(record)
        self._insert(record)

    def add_visit_attempt(self, item: VisitAttempt) -> None:
        """A return-visit call ``visit_op`` recorded: taken over as a record."""
        writer = self.writers[VisitAttemptRec]
        values = {name: getattr(item, name) for name in writer.columns if name != "id"}
        self._insert(VisitAttemptRec(id=self.allocate(VisitAttemptRec)[0], **values))

    def touch(self, record: Record) -> None:
        """``record`` may change in this step: remember its row as the database has it."""
        if record.stored and id(record) not in self._touched:
            writer = self.writers[type(record)]
            self._touched[id(record)] = (writer, record, writer.values(record))

    def touch_all(self, records: Iterable[Record]) -> None:
        for record in records:
            self.touch(record)

    def is_touched(self, record: Record) -> bool:
        return id(record) in self._touched

    def caller(self, ident: int) -> CallerRec:
        return self.callers.get(ident)

    @staticmethod
    def _loaded(rows: list[Any] | None, ticket: TicketRec) -> list[Any]:
        assert rows is not None, f"the rows of {ticket.number} are not loaded"
        return rows

    # -- the ticket operations' store (services.tickets.store.OrderStore) ---------------------

    def new(self, model: type[M], **values: Any) -> M:
        values.setdefault("id", 0)
        return cast(M, _RECORDS[model](**values))

    def add(self, *rows: Any) -> None:
        for row in rows:
            self._insert(row)
            if isinstance(row, TicketRec):
                self.tickets[row.id] = row
            elif isinstance(row, AssignmentRec):
                ticket = self.tickets[row.ticket_id]
                self._loaded(ticket.assignments, ticket).append(row)
                self.assignments[row.id] = row
            elif isinstance(row, CallerRec):
                self.callers.added(row)
            elif isinstance(row, CallerPhoneRec):
                self.callers.added_phone(row)
            else:
                raise TypeError(f"the demo's bulk store does not add {type(row).__name__} rows")

    def ids(self, table: str, count: int = 1) -> list[int]:
        return self.allocate(self._by_table[table], count)

    def reserve(self, tables: Sequence[str], *, lock: str | None = None) -> None:
        """Nothing to reserve: the store is the only writer and counts ids itself."""

    def assignments_of(self, ticket: Any, *, lock: bool = False) -> list[Any]:
        parts = self._loaded(ticket.assignments, ticket)
        self.touch_all(parts)
        return list(parts)

    def waiting_duplicates(self, lead: Any) -> list[Any]:
        waiting = sorted(
            (
                child
                for child in self._loaded(lead.duplicates, lead)
                if child.parent_id == lead.id and child.state == TicketState.MERGED.value
            ),
            key=lambda child: child.id,
        )
        lead.duplicates = list(waiting)
        self.touch_all(waiting)
        return waiting

    def link_duplicate(self, child: Any, lead: Any | None) -> None:
        before = self.tickets.get(child.parent_id) if child.parent_id is not None else None
        if before is not None and before.duplicates is not None and child in before.duplicates:
            before.duplicates.remove(child)
        child.parent_id = lead.id if lead is not None else None
        if lead is not None:
            self._loaded(lead.duplicates, lead).append(child)

    def supervision_items(self, ticket: Any) -> list[Any]:
        items = self._loaded(ticket.supervisions, ticket)
        self.touch_all(items)
        return list(items)

    def pending_caller(self, caller: CallerInput) -> None:
        """None: the lookups below see the callers of this batch too."""

    def caller_by_credit_code(self, code: str) -> Any:
        return self.callers.by_credit_code(code)

    def caller_by_phone(self, kind: str, phone: str) -> Any:
        return self.callers.by_phone(kind, phone)

    def has_phone(self, caller: Any, phone: str) -> bool:
        return self.callers.has_phone(caller, phone)

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
