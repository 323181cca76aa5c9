"""The demo's steps through the ticket services' ``*_op`` functions, on ORM objects.

One write session for the whole run, one transaction per batch; each step starts from a flushed
session, so that it sees what it would see in a transaction of its own after the previous one
committed. Slow (the ORM costs far more than the SQL), but it is the services' own code: the
reference that :class:`~bulk_ops.BulkOps` must equal row for row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from db.models import Assignment, Department, Ticket
from hotline_tui.domain.intake import IntakeInput
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.domain.states import Ending, SupervisionKind, TicketState
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import assignments_of, move_assignment, move_ticket
from hotline_tui.services.tickets.dispatch import (
    close_unsatisfied_op,
    decide_extension_op,
    dispatch_op,
    redo_op,
    reopen_op,
    review_op,
    review_return_op,
)
from hotline_tui.services.tickets.editing import mark_abusive_op
from hotline_tui.services.tickets.handling import (
    reply_op,
    request_extension_op,
    return_op,
    sign_op,
)
from hotline_tui.services.tickets.intake import answer_op, close_op, register_op
from hotline_tui.services.tickets.merging import merge_op
from hotline_tui.services.tickets.supervision import (
    flag_op,
    supervise_op,
    supervise_reply_op,
    urge_op,
)
from hotline_tui.services.tickets.visits import VisitResult, visit_op
from hotline_tui.services.uow import UnitOfWork


class ServiceOps:
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

    def act(self, actor: Actor) -> None:
        self.uow.actor = actor

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

    # -- the steps -------------------------------------------------------------------------

    def register(self, intake: IntakeInput) -> Ticket:
        return register_op(self.uow, intake)

    def move(self, ticket: Ticket, action: TicketAction, *, bump: bool = True) -> None:
        move_ticket(self.uow, ticket, action, bump=bump)

    def answer(self, ticket: Ticket, text: str) -> None:
        answer_op(self.uow, ticket, text)

    def close(self, ticket: Ticket, action: TicketAction, ending: Ending, note: str) -> None:
        close_op(self.uow, ticket, action, ending, note)

    def mark_abusive(self, ticket: Ticket, note: str) -> None:
        mark_abusive_op(self.uow, ticket, note)

    def merge(self, child: Ticket, parent: Ticket, note: str) -> None:
        merge_op(self.uow, child, parent, note)

    def dispatch(self, ticket: Ticket, lead: str, co: Sequence[str]) -> list[Assignment]:
        return dispatch_op(self.uow, ticket, lead, co)

    def sign(self, ticket: Ticket, assignment: Assignment) -> None:
        sign_op(self.uow, ticket, assignment)

    def return_(self, ticket: Ticket, assignment: Assignment, reason: str, basis: str) -> None:
        return_op(self.uow, ticket, assignment, reason, basis)

    def review_return(
        self,
        ticket: Ticket,
        assignment: Assignment,
        *,
        accept: bool,
        redispatch_to: str | None,
        note: str,
    ) -> None:
        review_return_op(
            self.uow, ticket, assignment, accept=accept, redispatch_to=redispatch_to, note=note
        )

    def request_extension(
        self, ticket: Ticket, assignment: Assignment, days: int, reason: str
    ) -> None:
        request_extension_op(self.uow, ticket, assignment, days, reason)

    def decide_extension(
        self,
        ticket: Ticket,
        assignment: Assignment,
        *,
        approve: bool,
        days: int | None,
        note: str,
    ) -> None:
        decide_extension_op(self.uow, ticket, assignment, approve=approve, days=days, note=note)

    def reply(self, ticket: Ticket, assignment: Assignment, text: str) -> None:
        reply_op(self.uow, ticket, assignment, text)

    def release(self, ticket: Ticket, assignment: Assignment, note: str) -> None:
        move_assignment(self.uow, ticket, assignment, AssignmentAction.RELEASE, note=note)

    def urge(self, ticket: Ticket, assignment: Assignment, note: str) -> None:
        urge_op(self.uow, ticket, assignment, note)

    def supervise(self, ticket: Ticket, assignment: Assignment, note: str) -> None:
        supervise_op(self.uow, ticket, assignment, note)

    def supervise_reply(self, ticket: Ticket, assignment: Assignment, answer: str) -> None:
        supervise_reply_op(self.uow, ticket, assignment, answer)

    def flag(self, ticket: Ticket, kind: SupervisionKind, note: str) -> None:
        flag_op(self.uow, ticket, kind, note)

    def review(self, ticket: Ticket, *, passed: bool, note: str) -> None:
        review_op(self.uow, ticket, passed=passed, note=note)

    def visit(self, ticket: Ticket, result: VisitResult) -> None:
        visit_op(self.uow, ticket, result)

    def close_unsatisfied(self, ticket: Ticket, note: str) -> None:
        close_unsatisfied_op(self.uow, ticket, note)

    def redo(self, ticket: Ticket, co_depts: Sequence[str], note: str) -> None:
        redo_op(self.uow, ticket, co_depts, note)

    def reopen(self, ticket: Ticket, note: str) -> None:
        reopen_op(self.uow, ticket, note)
