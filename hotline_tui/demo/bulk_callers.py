"""The demo's callers in memory: found by credit code or phone as the database would find them.

``tickets.intake.find_or_create_caller`` asks its store for the enterprise with a credit code and
for the oldest caller of a kind with a phone. :class:`CallerIndex` answers for the bulk store
from ids it keeps for every caller (those in the database when the run began and those it added),
and keeps the records of the recent and the frequent callers (least recently used go first,
never one changed and not written yet: it must stay the only copy).
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from hotline_tui.demo.records import CallerPhoneRec, CallerRec
from hotline_tui.domain.states import CallerKind

if TYPE_CHECKING:
    from hotline_tui.demo.bulk_store import BulkStore

CALLER_CACHE = 100_000
"""How many caller records stay in memory (the index of all callers is ids only)."""


class CallerIndex:
    """Callers by credit code and by phone (per kind: the lowest id), as ids, and the records
    of the recent ones."""

    def __init__(self, store: BulkStore) -> None:
        self._store = store
        self.cache = CALLER_CACHE
        self._by_credit: dict[str, int] = {}
        self._by_phone: dict[str, dict[str, int]] = {k.value: {} for k in CallerKind}
        self._phones_of: dict[int, set[str]] = {}  # phones of callers with a credit code
        self._records: dict[int, CallerRec] = {}

    def load(self, conn: Connection) -> None:
        """The callers and phones already in the database."""
        callers = self._store.writers[CallerRec].table
        kinds: dict[int, tuple[str, str | None]] = {}
        query = select(callers.c.id, callers.c.kind, callers.c.credit_code)
        for ident, kind, credit_code in conn.execute(query):
            kinds[ident] = (kind, credit_code)
            if credit_code:
                self._by_credit[credit_code] = ident
        phones = self._store.writers[CallerPhoneRec].table
        query = select(phones.c.caller_id, phones.c.phone).order_by(phones.c.caller_id)
        for row in conn.execute(query):
            caller_id, phone = int(row[0]), str(row[1])
            self._know_phone(caller_id, *kinds[caller_id], phone)

    # -- the lookups --------------------------------------------------------------------------

    def by_credit_code(self, code: str) -> CallerRec | None:
        """The enterprise with that credit code, about to change."""
        found = self._by_credit.get(code)
        return self._changing(found) if found is not None else None

    def by_phone(self, kind: str, phone: str) -> CallerRec | None:
        """The oldest caller of that kind with that phone, about to change."""
        found = self._by_phone[kind].get(phone)
        return self._changing(found) if found is not None else None

    def has_phone(self, caller: CallerRec, phone: str) -> bool:
        """Whether ``phone`` is a number of ``caller`` (asked of callers with a credit code)."""
        return phone in self._phones_of.get(caller.id, ())

    def _changing(self, ident: int) -> CallerRec:
        caller = self.get(ident)
        self._store.touch(caller)
        return caller

    def get(self, ident: int) -> CallerRec:
        """The caller's record: from memory, else (written, not changed since) from the
        database."""
        found = self._records.pop(ident, None)
        if found is None:  # only a written, unchanged record is forgotten: the row is current
            writer = self._store.writers[CallerRec]
            query = select(writer.table).where(writer.table.c.id == ident)
            row = self._store.session.connection().execute(query).mappings().one()
            found = writer.from_row(row)
        self._remember(found)
        return found

    # -- new callers and numbers ----------------------------------------------------------------

    def added(self, caller: CallerRec) -> None:
        self._remember(caller)
        if caller.credit_code:
            self._by_credit[caller.credit_code] = caller.id

    def added_phone(self, phone: CallerPhoneRec) -> None:
        caller = self._records.get(phone.caller_id) or self.get(phone.caller_id)
        self._know_phone(caller.id, caller.kind, caller.credit_code, phone.phone)

    def _know_phone(self, ident: int, kind: str, credit_code: str | None, phone: str) -> None:
        by_phone = self._by_phone[kind]
        known = by_phone.get(phone)
        if known is None or ident < known:
            by_phone[phone] = ident
        if credit_code:
            self._phones_of.setdefault(ident, set()).add(phone)

    def _remember(self, caller: CallerRec) -> None:
        """Keep the record (as the most recently used); forget the least recently used ones
        that are written and unchanged."""
        records = self._records
        records[caller.id] = caller
        excess = len(records) - self.cache
        if excess > 0:
            for old in list(islice(records.values(), excess)):
                if old.stored and not self._store.is_touched(old):
                    del records[old.id]
