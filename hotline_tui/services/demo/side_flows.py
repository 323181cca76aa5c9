"""Co-handlers, merged duplicates and the archive job: the flows beside each order's own loop.

A co-handler signs, may return its part, and replies before the lead may; a duplicate call on
the same matter is merged into its lead order and called back once the lead's reply passed
review; once a month the archive job archives orders closed two months before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlmodel import col, select

from db.models import Assignment, Department, Ticket
from hotline_tui.domain.intake import clean_intake
from hotline_tui.domain.lifecycle import TicketAction
from hotline_tui.domain.states import (
    ENDED_ASSIGNMENT_STATES,
    OPEN_ASSIGNMENT_STATES,
    AssignmentRole,
)
from hotline_tui.services.demo import text
from hotline_tui.services.demo.plans import OrderPlan, delays
from hotline_tui.services.demo.simulation import DAY, HOUR, MINUTE, Flow, Simulation, pick
from hotline_tui.services.demo.turns import (
    MERGEABLE_DUPLICATES,
    MERGEABLE_LEADS,
    NOTES,
    REASONS,
    A,
    S,
)
from hotline_tui.services.demo.world import DemoWorld
from hotline_tui.services.tickets.common import assignments_of, move_ticket
from hotline_tui.services.tickets.dispatch import close_unsatisfied_op, review_return_op
from hotline_tui.services.tickets.handling import reply_op, return_op, sign_op
from hotline_tui.services.tickets.intake import register_op
from hotline_tui.services.tickets.merging import merge_op
from hotline_tui.services.tickets.visits import visit_op


class SideFlows:
    """The state the flows share, and the flows beside an order's own: co-handlers, merged
    duplicates and the monthly archive job. :class:`flows.Flows` adds the order's loop."""

    def __init__(self, sim: Simulation, world: DemoWorld) -> None:
        self.sim = sim
        self.world = world
        self.first_id: int | None = None  # the first and last order this run registered
        self.last_id: int | None = None
        self._leads: dict[int, Assignment] = {}
        self._cos: dict[int, list[Assignment]] = {}
        self._duplicates: dict[int, list[tuple[Ticket, OrderPlan]]] = {}
        # Held for the whole run, so that ``session.get(Department, id)`` (``move_assignment``
        # names the department on every step) is answered from the identity map.
        self._departments = list(sim.session.execute(select(Department)).scalars())

    def _hotline(self, plan: OrderPlan, low: timedelta, high: timedelta) -> datetime:
        factor = delays(plan)
        return self.world.clock.hotline(self.sim.uow.now, plan.rng, low * factor, high * factor)

    def _office(self, plan: OrderPlan, low: timedelta, high: timedelta) -> datetime:
        factor = delays(plan) * (0.3 if plan.intake.urgency != "normal" else 1.0)
        return self.world.clock.office(self.sim.uow.now, plan.rng, low * factor, high * factor)

    def _register(self, plan: OrderPlan) -> Ticket:
        uow = self.sim.uow
        today = self.world.clock.local(uow.now).date()
        ticket = register_op(uow, clean_intake(plan.intake, today=today))
        assert ticket.id is not None
        if self.first_id is None:
            self.first_id = ticket.id
        self.last_id = ticket.id
        return ticket

    def _lead(self, ticket: Ticket) -> Assignment:
        found = self._leads.get(ticket.id or 0)
        assert ticket.lead_assignment_id is not None
        if found is None or found.id != ticket.lead_assignment_id:
            found = self.sim.session.get(Assignment, ticket.lead_assignment_id)
            assert found is not None
            self._leads[ticket.id or 0] = found
        return found

    def co_handler(self, ticket: Ticket, assignment: Assignment, plan: OrderPlan) -> Flow:
        """A co-handler signs, may return its part, and replies (before the lead may)."""
        w, rng = self.world, plan.rng
        while assignment.state not in ENDED_ASSIGNMENT_STATES and ticket.state not in (
            S.CLOSED,
            S.ARCHIVED,
        ):
            state = assignment.state
            if state == A.PENDING_SIGN:
                yield self._office(plan, 1 * HOUR, 20 * HOUR)
                if assignment.state != state:
                    continue
                uow = self.sim.act(w.handler(rng, assignment.dept_id))
                if plan.co_return:
                    reasons, weights = REASONS[plan.co_return]
                    reason = pick(rng, reasons, weights).value
                    return_op(uow, ticket, assignment, reason, text.return_basis(rng, reason))
                else:
                    sign_op(uow, ticket, assignment)
            elif state == A.RETURN_REVIEW:
                yield self._hotline(plan, 30 * MINUTE, 8 * HOUR)
                if assignment.state == state:
                    assignment = self._review_co_return(ticket, plan, assignment)
            elif state == A.IN_PROGRESS and not plan.release_co:
                yield self._office(plan, 1 * DAY, 5 * DAY)
                if assignment.state != state:
                    continue
                uow = self.sim.act(w.handler(rng, assignment.dept_id))
                reply_op(
                    uow, ticket, assignment, text.reply_text(rng, plan.leaf.path[-1], "resolved")
                )
            else:
                return

    def _review_co_return(
        self, ticket: Ticket, plan: OrderPlan, assignment: Assignment
    ) -> Assignment:
        uow = self.sim.act(plan.rng.choice(self.world.dispatchers))
        decision, plan.co_return = plan.co_return, None
        if decision != "redispatch":
            review_return_op(
                uow, ticket, assignment, accept=False, redispatch_to=None, note=NOTES["reject"]
            )
            return assignment
        current = self.world.dept_codes[assignment.dept_id]
        target = self.world.other_municipal(plan.rng, current, *self._open_depts(ticket))
        review_return_op(
            uow, ticket, assignment, accept=True, redispatch_to=target, note=NOTES["accept"]
        )
        assert ticket.id is not None
        uow.session.flush()  # the new assignment is not in the database until a flush
        newest = assignments_of(uow.session, ticket.id)[-1]
        assert newest.role == AssignmentRole.CO.value
        self._cos.setdefault(ticket.id, []).append(newest)
        return newest

    def duplicate(self, lead: Ticket, plan: OrderPlan) -> Flow:
        """Another caller on the same matter: merged into the lead order if it is still open."""
        self.sim.act(plan.rng.choice(self.world.operators))
        child = self._register(plan)
        move_ticket(self.sim.uow, child, TicketAction.QUEUE, bump=False)
        yield self._hotline(plan, 10 * MINUTE, 2 * HOUR)
        if lead.state in MERGEABLE_LEADS and child.state in MERGEABLE_DUPLICATES:
            uow = self.sim.act(plan.rng.choice(self.world.dispatchers))
            merge_op(uow, child, lead, NOTES["merge"].format(number=lead.number))
            if child.state == S.PENDING_VISIT:  # the lead had its answer already
                self.sim.spawn(self.duplicate_visit(child, plan), uow.now)
            else:
                self._duplicates.setdefault(lead.id or 0, []).append((child, plan))
            return
        plan.lead = self.world.lead(plan.leaf, plan.street)[0]
        yield from self.drive(child, plan)

    def duplicate_visit(self, child: Ticket, plan: OrderPlan) -> Flow:
        """The merged duplicate's caller is called back once the lead order's reply passed."""
        while child.state == S.PENDING_VISIT:
            yield self._hotline(plan, 2 * HOUR, 48 * HOUR)
            visit_op(self.sim.act(plan.rng.choice(self.world.operators)), child, plan.next_visit())
        if child.state == S.UNSATISFIED:
            yield self._hotline(plan, 1 * HOUR, 24 * HOUR)
            close_unsatisfied_op(
                self.sim.act(plan.rng.choice(self.world.dispatchers)), child, NOTES["close"]
            )

    def archiver(self, first: datetime, after_days: int = 60) -> Flow:
        """The monthly archive job: orders closed more than ``after_days`` ago are archived."""
        clock = self.world.clock
        month = clock.local(first).replace(day=1, hour=2, minute=0, second=0, microsecond=0)
        while True:
            month = (month + timedelta(days=32)).replace(day=1)
            yield month.astimezone(first.tzinfo)
            if self.first_id is None:
                continue
            cutoff = self.sim.uow.now - timedelta(days=after_days)
            session = self.sim.session
            ids = list(
                session.exec(
                    select(col(Ticket.id))
                    .where(
                        col(Ticket.state) == S.CLOSED.value,
                        col(Ticket.closed_at) < cutoff,
                        col(Ticket.id) >= self.first_id,
                    )
                    .order_by(col(Ticket.id))
                )
            )
            for chunk in _chunks([i for i in ids if i is not None], 1000):
                tickets = session.exec(
                    select(Ticket).where(col(Ticket.id).in_(chunk)).order_by(col(Ticket.id))
                )
                uow = self.sim.act(self.world.system)
                for ticket in tickets:
                    if ticket.state == S.CLOSED:
                        move_ticket(uow, ticket, TicketAction.ARCHIVE)
                self.sim.maybe_commit()

    def _open_depts(self, ticket: Ticket) -> set[str]:
        """Departments holding an open part of the order (none may be given a second one)."""
        assert ticket.id is not None
        return {
            self.world.dept_codes[a.dept_id]
            for a in assignments_of(self.sim.session, ticket.id)
            if a.state in OPEN_ASSIGNMENT_STATES
        }

    def drive(self, ticket: Ticket, plan: OrderPlan) -> Flow:
        """An order's own loop (a duplicate that is not merged goes round it too)."""
        raise NotImplementedError


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
