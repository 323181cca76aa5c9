"""Co-handlers, merged duplicates and the archive job: the flows beside each order's own loop.

A co-handler signs, may return its part, and replies before the lead may; a duplicate call on
the same matter is merged into its lead order and called back once the lead's reply passed
review; once a month the archive job archives orders closed two months before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Generic

from hotline_tui.demo import text
from hotline_tui.demo.ops import AssignmentT, TicketT
from hotline_tui.demo.plans import OrderPlan, delays
from hotline_tui.demo.simulation import DAY, HOUR, MINUTE, Flow, Simulation, pick
from hotline_tui.demo.turns import (
    MERGEABLE_DUPLICATES,
    MERGEABLE_LEADS,
    NOTES,
    REASONS,
    A,
    S,
)
from hotline_tui.demo.world import DemoWorld
from hotline_tui.domain.intake import clean_intake
from hotline_tui.domain.lifecycle import TicketAction
from hotline_tui.domain.limits import DEFAULT_LIMITS, Limit
from hotline_tui.domain.states import (
    ENDED_ASSIGNMENT_STATES,
    OPEN_ASSIGNMENT_STATES,
    AssignmentRole,
)

DEFAULT_CAP = DEFAULT_LIMITS["other", "normal"].extension_max.amount
"""A part's extension cap when it stores none (a part written before caps were)."""


class SideFlows(Generic[TicketT, AssignmentT]):
    """The state the flows share, and the flows beside an order's own: co-handlers, merged
    duplicates and the monthly archive job. :class:`flows.Flows` adds the order's loop."""

    def __init__(self, sim: Simulation[TicketT, AssignmentT], world: DemoWorld) -> None:
        self.sim = sim
        self.world = world
        self.first_id: int | None = None  # the first and last order this run registered
        self.last_id: int | None = None
        self._leads: dict[int, AssignmentT] = {}
        self._cos: dict[int, list[AssignmentT]] = {}
        self._duplicates: dict[int, list[tuple[TicketT, OrderPlan]]] = {}

    def _hotline(self, plan: OrderPlan, low: timedelta, high: timedelta) -> datetime:
        factor = delays(plan)
        return self.world.clock.hotline(self.sim.now, plan.rng, low * factor, high * factor)

    def _office(self, plan: OrderPlan, low: timedelta, high: timedelta) -> datetime:
        factor = delays(plan) * (0.3 if plan.intake.urgency != "normal" else 1.0)
        return self.world.clock.office(self.sim.now, plan.rng, low * factor, high * factor)

    def _before(self, deadline: datetime | None, at: datetime) -> datetime:
        """``at``, or halfway to ``deadline`` when ``at`` would miss it: a department that
        means to return a part or ask for an extension does so within its window (DESIGN.md
        §4); one already past it is seen to by :meth:`_may_return`, :meth:`_extension_days`."""
        now = self.sim.now
        if deadline is None or at < deadline or now >= deadline:
            return at
        return now + (deadline - now) / 2

    def _may_return(self, assignment: AssignmentT) -> bool:
        """Whether the part's return window is still open (else the department handles it)."""
        end = assignment.return_due_at
        return end is None or self.sim.now <= end

    def _extension_days(self, assignment: AssignmentT, plan: OrderPlan) -> int | None:
        """The working days a department asks for, or None when it may not ask any more: its
        due time has passed, it asked as often as allowed, or the cap on the total is used."""
        limit = assignment.extension_limit
        cap = Limit.parse(limit).amount if limit else DEFAULT_CAP
        days = plan.rng.randint(3, max(3, cap))
        late = assignment.due_at is not None and self.sim.now >= assignment.due_at
        left = cap - assignment.extension_days_granted
        if late or assignment.extension_requests >= self.world.extension_max_requests or left < 1:
            return None
        return min(days, left)

    def _register(self, plan: OrderPlan) -> TicketT:
        today = self.world.clock.local(self.sim.now).date()
        ticket = self.sim.ops.register(clean_intake(plan.intake, today=today))
        assert ticket.id is not None
        if self.first_id is None:
            self.first_id = ticket.id
        self.last_id = ticket.id
        return ticket

    def _lead(self, ticket: TicketT) -> AssignmentT:
        found = self._leads.get(ticket.id or 0)
        assert ticket.lead_assignment_id is not None
        if found is None or found.id != ticket.lead_assignment_id:
            found = self.sim.ops.lead_of(ticket)
            self._leads[ticket.id or 0] = found
        return found

    def co_handler(self, ticket: TicketT, assignment: AssignmentT, plan: OrderPlan) -> Flow:
        """A co-handler signs, may return its part, and replies (before the lead may)."""
        w, rng = self.world, plan.rng
        while assignment.state not in ENDED_ASSIGNMENT_STATES and ticket.state not in (
            S.CLOSED,
            S.ARCHIVED,
        ):
            state = assignment.state
            if state == A.PENDING_SIGN:
                at = self._office(plan, 1 * HOUR, 20 * HOUR)
                yield self._before(assignment.return_due_at if plan.co_return else None, at)
                if assignment.state != state:
                    continue
                ops = self.sim.act(w.handler(rng, assignment.dept_id))
                if plan.co_return and not self._may_return(assignment):
                    plan.co_return = None  # the window closed: the department handles its part
                if plan.co_return:
                    reasons, weights = REASONS[plan.co_return]
                    reason = pick(rng, reasons, weights).value
                    ops.return_(ticket, assignment, reason, text.return_basis(rng, reason))
                else:
                    ops.sign(ticket, assignment)
            elif state == A.RETURN_REVIEW:
                yield self._hotline(plan, 30 * MINUTE, 8 * HOUR)
                if assignment.state == state:
                    assignment = self._review_co_return(ticket, plan, assignment)
            elif state == A.IN_PROGRESS and not plan.release_co:
                yield self._office(plan, 1 * DAY, 5 * DAY)
                if assignment.state != state:
                    continue
                ops = self.sim.act(w.handler(rng, assignment.dept_id))
                ops.reply(ticket, assignment, text.reply_text(rng, plan.leaf.path[-1], "resolved"))
            else:
                return

    def _review_co_return(
        self, ticket: TicketT, plan: OrderPlan, assignment: AssignmentT
    ) -> AssignmentT:
        ops = self.sim.act(plan.rng.choice(self.world.dispatchers))
        decision, plan.co_return = plan.co_return, None
        if decision != "redispatch":
            ops.review_return(
                ticket, assignment, accept=False, redispatch_to=None, note=NOTES["reject"]
            )
            return assignment
        current = self.world.dept_codes[assignment.dept_id]
        target = self.world.other_municipal(plan.rng, current, *self._open_depts(ticket))
        ops.review_return(
            ticket, assignment, accept=True, redispatch_to=target, note=NOTES["accept"]
        )
        assert ticket.id is not None
        newest = ops.assignments_of(ticket)[-1]
        assert newest.role == AssignmentRole.CO.value
        self._cos.setdefault(ticket.id, []).append(newest)
        return newest

    def duplicate(self, lead: TicketT, plan: OrderPlan) -> Flow:
        """Another caller on the same matter: merged into the lead order if it is still open."""
        ops = self.sim.act(plan.rng.choice(self.world.operators))
        child = self._register(plan)
        ops.move(child, TicketAction.QUEUE, bump=False)
        yield self._hotline(plan, 10 * MINUTE, 2 * HOUR)
        if lead.state in MERGEABLE_LEADS and child.state in MERGEABLE_DUPLICATES:
            ops = self.sim.act(plan.rng.choice(self.world.dispatchers))
            ops.merge(child, lead, NOTES["merge"].format(number=lead.number))
            if child.state == S.PENDING_VISIT:  # the lead had its answer already
                self.sim.spawn(self.duplicate_visit(child, plan), self.sim.now)
            else:
                self._duplicates.setdefault(lead.id or 0, []).append((child, plan))
            return
        plan.lead = self.world.lead(plan.leaf, plan.street)[0]
        yield from self.drive(child, plan)

    def duplicate_visit(self, child: TicketT, plan: OrderPlan) -> Flow:
        """The merged duplicate's caller is called back once the lead order's reply passed."""
        while child.state == S.PENDING_VISIT:
            yield self._hotline(plan, 2 * HOUR, 48 * HOUR)
            self.sim.act(plan.rng.choice(self.world.operators)).visit(child, plan.next_visit())
        if child.state == S.UNSATISFIED:
            yield self._hotline(plan, 1 * HOUR, 24 * HOUR)
            ops = self.sim.act(plan.rng.choice(self.world.dispatchers))
            ops.close_unsatisfied(child, NOTES["close"])

    def archiver(self, first: datetime, after_days: int = 60) -> Flow:
        """The monthly archive job: orders closed more than ``after_days`` ago are archived."""
        clock = self.world.clock
        month = clock.local(first).replace(day=1, hour=2, minute=0, second=0, microsecond=0)
        while True:
            month = (month + timedelta(days=32)).replace(day=1)
            yield month.astimezone(first.tzinfo)
            if self.first_id is None:
                continue
            cutoff = self.sim.now - timedelta(days=after_days)
            ids = self.sim.ops.closed_before(cutoff, self.first_id)
            for chunk in _chunks(ids, 1000):
                ops = self.sim.act(self.world.system)
                for ticket in ops.tickets(chunk):
                    if ticket.state == S.CLOSED:
                        ops.move(ticket, TicketAction.ARCHIVE)
                self.sim.maybe_commit()

    def _open_depts(self, ticket: TicketT) -> set[str]:
        """Departments holding an open part of the order (none may be given a second one)."""
        return {
            self.world.dept_codes[a.dept_id]
            for a in self.sim.ops.assignments_of(ticket)
            if a.state in OPEN_ASSIGNMENT_STATES
        }

    def drive(self, ticket: TicketT, plan: OrderPlan) -> Flow:
        """An order's own loop (a duplicate that is not merged goes round it too)."""
        raise NotImplementedError


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
