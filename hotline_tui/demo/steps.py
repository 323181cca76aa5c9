"""The demo's steps: the ticket services' ``*_op`` functions, whatever store they write to.

:class:`Steps` is the one implementation of every step of :class:`~ops.DemoOps`: each is the
service's own operation on ``self.uow``. What differs between the two ways to persist them is
left to a subclass: the batches, the few questions the flows ask, and what must happen before a
step changes rows it was handed (:meth:`changing`):

- :class:`~bulk_ops.BulkOps` (what ``hotline demo`` uses): the unit of work's store is the
  demo's :class:`~bulk_store.BulkStore`, which keeps lightweight records in memory and writes
  many orders per transaction with driver-level executemany;
- :class:`~service_ops.ServiceOps`: the services' own unit of work on ORM objects in one
  session, slow, the reference ``tests/demo/test_bulk_equivalence.py`` compares with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hotline_tui.domain.intake import IntakeInput
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.domain.states import Ending, SupervisionKind
from hotline_tui.services.context import Actor
from hotline_tui.services.tickets.closing import (
    close_unsatisfied_op,
    redo_op,
    reopen_op,
    review_op,
)
from hotline_tui.services.tickets.common import move_assignment, move_ticket
from hotline_tui.services.tickets.dispatch import (
    decide_extension_op,
    dispatch_op,
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

# The services are typed for ORM objects; the bulk store's records have the same fields.
Row = Any


class Steps:
    """Every step of the closed loop, as the services take it, on ``self.uow``."""

    uow: UnitOfWork

    # -- what a store adds -----------------------------------------------------------------

    def changing(self, *rows: Row) -> None:
        """The next step may change these rows it is handed (the bulk store remembers them
        as they are; a session tracks its objects itself)."""

    def search_text(self, intake: IntakeInput) -> str | None:
        """The order's search text (None: the service segments it)."""
        return None

    def act(self, actor: Actor) -> None:
        self.uow.actor = actor

    # -- intake ----------------------------------------------------------------------------

    def register(self, intake: IntakeInput) -> Row:
        return register_op(self.uow, intake, self.search_text(intake))

    def move(self, ticket: Row, action: TicketAction, *, bump: bool = True) -> None:
        self.changing(ticket)
        move_ticket(self.uow, ticket, action, bump=bump)

    def answer(self, ticket: Row, text: str) -> None:
        self.changing(ticket)
        answer_op(self.uow, ticket, text)

    def close(self, ticket: Row, action: TicketAction, ending: Ending, note: str) -> None:
        self.changing(ticket)
        close_op(self.uow, ticket, action, ending, note)

    def mark_abusive(self, ticket: Row, note: str) -> None:
        self.changing(ticket)
        mark_abusive_op(self.uow, ticket, note)

    def merge(self, child: Row, parent: Row, note: str) -> None:
        self.changing(child, parent)
        merge_op(self.uow, child, parent, note)

    # -- dispatch and the departments' turns --------------------------------------------------

    def dispatch(self, ticket: Row, lead: str, co: Sequence[str]) -> list[Row]:
        self.changing(ticket)
        return dispatch_op(self.uow, ticket, lead, co)

    def sign(self, ticket: Row, assignment: Row) -> None:
        self.changing(ticket, assignment)
        sign_op(self.uow, ticket, assignment)

    def return_(self, ticket: Row, assignment: Row, reason: str, basis: str) -> None:
        self.changing(ticket, assignment)
        return_op(self.uow, ticket, assignment, reason, basis)

    def review_return(
        self, ticket: Row, assignment: Row, *, accept: bool, redispatch_to: str | None, note: str
    ) -> None:
        self.changing(ticket, assignment)
        review_return_op(
            self.uow, ticket, assignment, accept=accept, redispatch_to=redispatch_to, note=note
        )

    def request_extension(self, ticket: Row, assignment: Row, days: int, reason: str) -> None:
        self.changing(ticket, assignment)
        request_extension_op(self.uow, ticket, assignment, days, reason)

    def decide_extension(
        self, ticket: Row, assignment: Row, *, approve: bool, days: int | None, note: str
    ) -> None:
        self.changing(ticket, assignment)
        decide_extension_op(self.uow, ticket, assignment, approve=approve, days=days, note=note)

    def reply(self, ticket: Row, assignment: Row, text: str) -> None:
        self.changing(ticket, assignment)
        reply_op(self.uow, ticket, assignment, text)

    def release(self, ticket: Row, assignment: Row, note: str) -> None:
        self.changing(ticket, assignment)
        move_assignment(self.uow, ticket, assignment, AssignmentAction.RELEASE, note=note)

    # -- flags beside the state --------------------------------------------------------------

    def urge(self, ticket: Row, assignment: Row, note: str) -> None:
        self.changing(ticket, assignment)
        urge_op(self.uow, ticket, assignment, note)

    def supervise(self, ticket: Row, assignment: Row, note: str) -> None:
        self.changing(ticket, assignment)
        supervise_op(self.uow, ticket, assignment, note)

    def supervise_reply(self, ticket: Row, assignment: Row, answer: str) -> None:
        self.changing(ticket, assignment)
        supervise_reply_op(self.uow, ticket, assignment, answer)

    def flag(self, ticket: Row, kind: SupervisionKind, note: str) -> None:
        self.changing(ticket)
        flag_op(self.uow, ticket, kind, note)

    # -- review, visit, and after -------------------------------------------------------------

    def review(self, ticket: Row, *, passed: bool, note: str) -> None:
        self.changing(ticket)
        review_op(self.uow, ticket, passed=passed, note=note)

    def visit(self, ticket: Row, result: VisitResult) -> None:
        self.changing(ticket)
        visit_op(self.uow, ticket, result)

    def close_unsatisfied(self, ticket: Row, note: str) -> None:
        self.changing(ticket)
        close_unsatisfied_op(self.uow, ticket, note)

    def redo(self, ticket: Row, co_depts: Sequence[str], note: str) -> None:
        self.changing(ticket)
        redo_op(self.uow, ticket, co_depts, note)

    def reopen(self, ticket: Row, note: str) -> None:
        self.changing(ticket)
        reopen_op(self.uow, ticket, note)
