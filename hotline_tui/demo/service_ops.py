"""The demo's steps persisted as the services persist them: ORM objects in a session.

The steps are :class:`~steps.Steps` (the ticket services' ``*_op`` functions), on a unit of
work with the services' own store. One write session for the whole run, one transaction per
batch; each step starts from a flushed session, so that it sees what it would see in a
transaction of its own after the previous one committed. Slow (the ORM costs far more than the
SQL), but it is how the services write: the reference that :class:`~bulk_ops.BulkOps` must equal
row for row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from db.models import Assignment, Department, Ticket
from hotline_tui.demo.steps import Steps
from hotline_tui.domain.states import TicketState
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import assignments_of
from hotline_tui.services.uow import UnitOfWork


class ServiceOps(Steps):
    """:class:`~ops.DemoOps` over ``Ticket`` and ``Assignment`` ORM objects."""

    def __init__(self, hl: Hotline, actor: Actor, now: datetime) -> None:
        self.hl = hl
        # Like the services' write sessions: no autoflush (see begin_step).
        self.session = Session(hl.engines.write, expire_on_commit=False, autoflush=False)
        self.uow = UnitOfWork(session=self.session, actor=actor, now=now, hl=hl)
        # Held for the whole run, so that ``session.get(Department, id)`` (``move_assignment``
        # names the department on every step) is answered from the identity map.
        self._departments = list(self.session.execute(select(Department)).scalars())

    # -- batches ---------------------------------------------------------------------------

    def begin_step(self, at: datetime) -> None:
        self.uow.flush()
        self.uow.now = at

    def commit(self) -> None:
        self.uow.flush_audit()
        self.session.commit()
        self.uow = UnitOfWork(
            session=self.session, actor=self.uow.actor, now=self.uow.now, hl=self.hl
        )

    def finish(self, *, commit: bool) -> None:
        try:
            if commit:
                self.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()

    def analyse(self, *, final: bool) -> None:
        # The services look callers up by phone on every call: without statistics that is a
        # scan of all callers, so they are refreshed during the load too.
        if self.hl.dialect == "postgresql":
            self.session.execute(text("ANALYZE"))
            self.session.commit()

    # -- questions -------------------------------------------------------------------------

    def assignments_of(self, ticket: Ticket) -> list[Assignment]:
        assert ticket.id is not None
        self.uow.flush()  # assignments created in this step are not in the database yet
        return assignments_of(self.session, ticket.id)

    def lead_of(self, ticket: Ticket) -> Assignment:
        assert ticket.lead_assignment_id is not None
        found = self.session.get(Assignment, ticket.lead_assignment_id)
        assert found is not None
        return found

    def closed_before(self, cutoff: datetime, first_id: int) -> list[int]:
        ids = self.session.exec(
            select(col(Ticket.id))
            .where(
                col(Ticket.state) == TicketState.CLOSED.value,
                col(Ticket.closed_at) < cutoff,
                col(Ticket.id) >= first_id,
            )
            .order_by(col(Ticket.id))
        )
        return [i for i in ids if i is not None]

    def tickets(self, ids: Sequence[int]) -> list[Ticket]:
        query = select(Ticket).where(col(Ticket.id).in_(ids)).order_by(col(Ticket.id))
        return list(self.session.exec(query))
