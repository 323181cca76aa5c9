"""The demo's steps written in bulk: the services' operations on the bulk store's records.

:class:`BulkOps` is what ``hotline demo`` uses. Every step is the ticket service's own
``*_op`` function (:class:`~steps.Steps`); its unit of work's store is a
:class:`~bulk_store.BulkStore`, which answers the operations' questions from memory, keeps the
rows as lightweight records, and writes many orders per transaction with driver-level
executemany. Before a step changes a row it is handed, the store remembers the row as written
(:meth:`BulkOps.changing`), so that the next flush updates only the columns that changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import text
from sqlmodel import Session

from hotline_tui.demo.bulk_store import BulkStore
from hotline_tui.demo.records import AssignmentRec, Record, TicketRec
from hotline_tui.demo.steps import Steps
from hotline_tui.domain.intake import IntakeInput
from hotline_tui.domain.text import order_search_text
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.uow import UnitOfWork


class BulkOps(Steps):
    """:class:`~ops.DemoOps` over records, many orders per transaction."""

    def __init__(self, hl: Hotline, actor: Actor, now: datetime) -> None:
        self.hl = hl
        self.session = Session(hl.engines.write, expire_on_commit=False, autoflush=False)
        self.store = BulkStore(hl, self.session)
        self.uow = self._new_uow(actor, now)

    def _new_uow(self, actor: Actor, now: datetime) -> UnitOfWork:
        session = cast(Session, self.store.view)
        return UnitOfWork(session=session, actor=actor, now=now, hl=self.hl, order_store=self.store)

    # -- what the store adds to a step ------------------------------------------------------

    def changing(self, *rows: Record) -> None:
        self.store.touch_all(rows)

    def search_text(self, intake: IntakeInput) -> str:
        """``intake.searchable``, with the segments of texts seen before taken from a cache."""
        body = f"{intake.title} {intake.description}"
        return order_search_text(body, self.store.segment(body))

    # -- batches ---------------------------------------------------------------------------

    def begin_step(self, at: datetime) -> None:
        self.uow.now = at

    def commit(self) -> None:
        self.store.commit(self.uow.events)
        self.uow = self._new_uow(self.uow.actor, self.uow.now)

    def finish(self, *, commit: bool) -> None:
        try:
            if commit:
                self.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()

    def analyse(self, *, final: bool) -> None:
        # The store asks the database little during the load: statistics for what comes after.
        if final and self.hl.dialect == "postgresql":
            self.session.execute(text("ANALYZE"))
            self.session.commit()

    # -- questions -------------------------------------------------------------------------

    def assignments_of(self, ticket: TicketRec) -> list[AssignmentRec]:
        assert ticket.assignments is not None, f"assignments of {ticket.number} not loaded"
        return list(ticket.assignments)

    def lead_of(self, ticket: TicketRec) -> AssignmentRec:
        return next(a for a in self.assignments_of(ticket) if a.id == ticket.lead_assignment_id)

    def closed_before(self, cutoff: datetime, first_id: int) -> list[int]:
        return self.store.closed_before(cutoff, first_id)

    def tickets(self, ids: Sequence[int]) -> list[TicketRec]:
        return self.store.load_tickets(ids)
