"""The steps the demo's flows take, as one interface with two implementations.

:class:`DemoOps` is what :mod:`flows` and :mod:`side_flows` call: one method per ticket-service
operation they use, the few questions they ask about an order, and the batch boundaries the
:class:`~simulation.Simulation` needs.

Both take every step through the ticket services' ``*_op`` functions (:class:`~steps.Steps`) and
differ in how the rows are kept:

- :class:`~bulk_ops.BulkOps` (what ``hotline demo`` uses): lightweight records in the demo's bulk
  store, many orders per transaction written with driver-level executemany;
- :class:`~service_ops.ServiceOps`: ORM objects in one shared session, as the services keep
  them; slow, but it is the reference the bulk path must equal row for row
  (``tests/demo/test_bulk_equivalence.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from hotline_tui.domain.intake import IntakeInput
from hotline_tui.domain.lifecycle import TicketAction
from hotline_tui.domain.states import Ending, SupervisionKind
from hotline_tui.services.context import Actor
from hotline_tui.services.tickets.visits import VisitResult
from hotline_tui.services.uow import UnitOfWork


class TicketView(Protocol):
    """What the flows read of an order."""

    @property
    def id(self) -> int | None: ...
    @property
    def number(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def ending(self) -> str | None: ...
    @property
    def caller_id(self) -> int | None: ...
    @property
    def lead_assignment_id(self) -> int | None: ...


class AssignmentView(Protocol):
    """What the flows read of an assignment."""

    @property
    def id(self) -> int | None: ...
    @property
    def dept_id(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def return_reason(self) -> str | None: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def return_due_at(self) -> datetime | None: ...
    @property
    def extension_limit(self) -> str | None: ...
    @property
    def extension_days_granted(self) -> int: ...
    @property
    def extension_requests(self) -> int: ...


TicketT = TypeVar("TicketT", bound=TicketView)
AssignmentT = TypeVar("AssignmentT", bound=AssignmentView)


class DemoOps(Protocol[TicketT, AssignmentT]):
    """One write transaction at a time (a batch of steps), and the steps themselves.

    Every step acts as ``uow.actor`` at ``uow.now`` and records the audit events the service
    would; they are numbered and signed when the batch commits.
    """

    uow: UnitOfWork

    # -- batches ---------------------------------------------------------------------------

    def act(self, actor: Actor) -> None:
        """The next steps are taken by ``actor``."""

    def begin_step(self, at: datetime) -> None:
        """AssignmentT step at ``at`` follows: it sees everything earlier steps wrote."""

    def commit(self) -> None:
        """Write the batch and its audit events, commit, and start the next batch."""

    def finish(self, *, commit: bool) -> None:
        """Commit (or roll back) what is pending and release the connection."""

    def analyse(self, *, final: bool) -> None:
        """Refresh the planner's statistics (PostgreSQL) after a large load (``final``: the
        load is over), if this path's own queries need them."""

    # -- questions -------------------------------------------------------------------------

    def assignments_of(self, ticket: TicketT) -> list[AssignmentT]:
        """The order's assignments, oldest first."""

    def lead_of(self, ticket: TicketT) -> AssignmentT:
        """The order's lead assignment (it has one)."""

    def closed_before(self, cutoff: datetime, first_id: int) -> list[int]:
        """Ids of closed orders from ``first_id`` on, closed before ``cutoff`` (archive job)."""

    def tickets(self, ids: Sequence[int]) -> list[TicketT]:
        """The orders with these ids, by id."""

    # -- intake ----------------------------------------------------------------------------

    def register(self, intake: IntakeInput) -> TicketT:
        """``register_op``: the cleaned call becomes an order in state 已受理."""

    def move(self, ticket: TicketT, action: TicketAction, *, bump: bool = True) -> None:
        """``move_ticket`` without side effects (queue, archive)."""

    def answer(self, ticket: TicketT, text: str) -> None:
        """``answer_op``."""

    def close(self, ticket: TicketT, action: TicketAction, ending: Ending, note: str) -> None:
        """``close_op`` (withdraw, invalid)."""

    def mark_abusive(self, ticket: TicketT, note: str) -> None:
        """``mark_abusive_op``."""

    def merge(self, child: TicketT, parent: TicketT, note: str) -> None:
        """``merge_op``."""

    # -- dispatch and the departments' turns --------------------------------------------------

    def dispatch(self, ticket: TicketT, lead: str, co: Sequence[str]) -> list[AssignmentT]:
        """``dispatch_op``: the new assignments, lead first."""

    def sign(self, ticket: TicketT, assignment: AssignmentT) -> None:
        """``sign_op``."""

    def return_(self, ticket: TicketT, assignment: AssignmentT, reason: str, basis: str) -> None:
        """``return_op``."""

    def review_return(
        self,
        ticket: TicketT,
        assignment: AssignmentT,
        *,
        accept: bool,
        redispatch_to: str | None,
        note: str,
    ) -> None:
        """``review_return_op``."""

    def request_extension(
        self, ticket: TicketT, assignment: AssignmentT, days: int, reason: str
    ) -> None:
        """``request_extension_op``."""

    def decide_extension(
        self,
        ticket: TicketT,
        assignment: AssignmentT,
        *,
        approve: bool,
        days: int | None,
        note: str,
    ) -> None:
        """``decide_extension_op``."""

    def reply(self, ticket: TicketT, assignment: AssignmentT, text: str) -> None:
        """``reply_op``."""

    def release(self, ticket: TicketT, assignment: AssignmentT, note: str) -> None:
        """``move_assignment(RELEASE)`` (释放协办)."""

    # -- flags beside the state --------------------------------------------------------------

    def urge(self, ticket: TicketT, assignment: AssignmentT, note: str) -> None:
        """``urge_op``."""

    def supervise(self, ticket: TicketT, assignment: AssignmentT, note: str) -> None:
        """``supervise_op``."""

    def supervise_reply(self, ticket: TicketT, assignment: AssignmentT, answer: str) -> None:
        """``supervise_reply_op``."""

    def flag(self, ticket: TicketT, kind: SupervisionKind, note: str) -> None:
        """``flag_op`` (提级, 会商)."""

    # -- review, visit, and after -------------------------------------------------------------

    def review(self, ticket: TicketT, *, passed: bool, note: str) -> None:
        """``review_op``."""

    def visit(self, ticket: TicketT, result: VisitResult) -> None:
        """``visit_op``."""

    def close_unsatisfied(self, ticket: TicketT, note: str) -> None:
        """``close_unsatisfied_op``."""

    def redo(self, ticket: TicketT, co_depts: Sequence[str], note: str) -> None:
        """``redo_op``."""

    def reopen(self, ticket: TicketT, note: str) -> None:
        """``reopen_op``."""
