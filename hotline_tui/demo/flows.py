"""The closed loop of DESIGN.md §3, walked by each demo order one step per simulated moment,
through the steps of :class:`~ops.DemoOps` (the ticket services' operations, in bulk or through
the services themselves).

:meth:`Flows.order` registers the call and then :meth:`Flows.drive` looks at the order's state and
takes the next turn its plan asks for, as the party whose turn it is (operator, dispatcher, the
lead department's handler, supervisor), until the order is closed or the simulated period ends.
Co-handlers work in flows of their own; merged duplicates wait for their lead order's review.
"""

from __future__ import annotations

import random

from hotline_tui.demo import text
from hotline_tui.demo.ops import AssignmentT, TicketT
from hotline_tui.demo.plans import OrderPlan, delays, plan_duplicate
from hotline_tui.demo.side_flows import SideFlows
from hotline_tui.demo.simulation import HOUR, MINUTE, Flow, pick
from hotline_tui.demo.turns import (
    BY_STATE,
    HANDLER_TURNS,
    HOTLINE_DELAYS,
    LIVE_CO,
    NOTES,
    OFFICE_DELAYS,
    ON_LEAD,
    REASONS,
    REOPENABLE,
    A,
    S,
)
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import TicketAction
from hotline_tui.domain.states import (
    Ending,
    ReturnReason,
    SupervisionKind,
)


class Flows(SideFlows[TicketT, AssignmentT]):
    """Each order's own loop, from the call to its closing (and reopening)."""

    def order(self, plan: OrderPlan) -> Flow:
        """受理 the call, settle it on the call or hand it on, then drive it round the loop."""
        ops = self.sim.act(plan.rng.choice(self.world.operators))
        ticket = self._register(plan)
        kind = plan.disposition
        if kind == "answer":
            ops.answer(ticket, plan.text)
        elif kind == "invalid":
            ops.close(ticket, TicketAction.INVALID, Ending.INVALID, clean_note(plan.text))
            if plan.abusive:
                self._mark_abusive(ticket)
            return
        elif kind == "withdraw":
            ops.close(ticket, TicketAction.WITHDRAW, Ending.WITHDRAWN, clean_note(plan.text))
            return
        elif kind == "dispatch":
            self._dispatch(ticket, plan)
        elif kind == "queue":
            ops.move(ticket, TicketAction.QUEUE, bump=False)
        yield from self.drive(ticket, plan)

    def _mark_abusive(self, ticket: TicketT) -> None:
        """The caller is marked abusive after warnings (recorded, never silently blocked)."""
        if ticket.caller_id is None:
            return
        self.sim.ops.mark_abusive(ticket, "来电人多次辱骂话务员，已按规定警告并记录。")

    def _dispatch(self, ticket: TicketT, plan: OrderPlan) -> None:
        """派单 to the plan's lead (and, the first time, its co-handlers)."""
        if not plan.lead:
            plan.lead = self.world.lead(plan.leaf, plan.street)[0]
        created = self.sim.ops.dispatch(ticket, plan.lead, plan.co)
        assert ticket.id is not None
        self._leads[ticket.id] = created[0]
        now = self.sim.now
        for co in created[1:]:
            self._cos.setdefault(ticket.id, []).append(co)
            self.sim.spawn(self.co_handler(ticket, co, plan), now)
        plan.co = ()
        for _ in range(plan.duplicates):
            stream = random.Random(plan.rng.getrandbits(64))  # noqa: S311 (demo data, seeded)
            child = plan_duplicate(self.world, plan, stream)
            at = self.world.clock.hotline(now, plan.rng, 20 * MINUTE, 30 * HOUR * delays(plan))
            self.sim.spawn(self.duplicate(ticket, child), at)
        plan.duplicates = 0

    def drive(self, ticket: TicketT, plan: OrderPlan) -> Flow:
        """Take the plan's next turn from the order's state until it closes (or time runs out)."""
        assert ticket.id is not None
        agenda = self._agenda(plan)
        waited = 0
        try:
            while ticket.state != plan.stop:
                step = self._step(ticket, plan, agenda, waited)
                if step is None:
                    return
                waited = waited + 1 if step == "wait" else 0
                yield from self._turn(ticket, plan, agenda, step)
        finally:
            self._leads.pop(ticket.id, None)
            self._cos.pop(ticket.id, None)

    def _agenda(self, plan: OrderPlan) -> list[str]:
        """What happens while the lead department handles the order, before its reply."""
        agenda: list[str] = []
        if plan.lead_return and plan.return_after_sign:
            agenda.append("return")
        flags = [
            ("urge", plan.urge),
            ("supervise", plan.supervise),
            ("escalate", plan.escalate),
            ("consult", plan.consult),
            ("extension", plan.extension is not None),
        ]
        agenda += [name for name, wanted in flags if wanted]
        if plan.withdraw_midway:
            agenda.append("withdraw")
        return agenda

    def _step(self, ticket: TicketT, plan: OrderPlan, agenda: list[str], waited: int) -> str | None:
        """The name of the next turn, or ``None`` when the flow is done."""
        state = ticket.state
        if state == S.IN_PROGRESS:
            if agenda:
                return agenda[0]
            if self._co_pending(ticket):
                return "release" if plan.release_co or waited >= 4 else "wait"
            return "reply"
        if state == S.PENDING_SIGN:
            return "return" if plan.lead_return and not plan.return_after_sign else "sign"
        if state == S.CLOSED:
            reopen = plan.reopen and ticket.ending in REOPENABLE
            return "reopen" if reopen else None
        return BY_STATE.get(state)

    def _turn(self, ticket: TicketT, plan: OrderPlan, agenda: list[str], step: str) -> Flow:
        """Wait for the turn's moment, then take it as the party whose turn it is."""
        if step in OFFICE_DELAYS:
            at = self._office(plan, *OFFICE_DELAYS[step])
            if step in ("return", "extension"):
                lead = self._lead(ticket)
                at = self._before(lead.return_due_at if step == "return" else lead.due_at, at)
            yield at
        else:
            yield self._hotline(plan, *HOTLINE_DELAYS[step])
        if agenda and step == agenda[0]:
            agenda.pop(0)
        if step in ON_LEAD:
            self._lead_turn(ticket, plan, self._lead(ticket), step, agenda)
        else:
            self._order_turn(ticket, plan, step)

    def _lead_turn(
        self, ticket: TicketT, plan: OrderPlan, lead: AssignmentT, step: str, agenda: list[str]
    ) -> None:
        w, rng = self.world, plan.rng
        if step in HANDLER_TURNS:
            ops = self.sim.act(w.handler(rng, lead.dept_id))
        elif step == "supervise" or (step in ("urge", "consult") and rng.random() < 0.4):
            ops = self.sim.act(rng.choice(w.supervisors))
        else:
            ops = self.sim.act(rng.choice(w.dispatchers))
        if step == "sign":
            ops.sign(ticket, lead)
        elif step == "return":
            if self._may_return(lead):
                self._return(ticket, plan, lead)
            else:
                plan.lead_return = None  # the window closed: the department handles the order
        elif step == "return_review":
            self._review_return(ticket, plan, lead)
        elif step == "extension":
            days = self._extension_days(lead, plan)
            if days is None:
                plan.extension = None
            else:
                ops.request_extension(ticket, lead, days, text.extension_reason(rng))
        elif step == "decide_extension":
            approve = plan.extension == "approve"
            ops.decide_extension(
                ticket,
                lead,
                approve=approve,
                days=None,
                note=NOTES["approve" if approve else "deny"],
            )
            plan.extension = None
        elif step == "urge":
            ops.urge(ticket, lead, NOTES["urge"])
        elif step == "supervise":
            ops.supervise(ticket, lead, NOTES["supervise"])
            agenda.insert(0, "supervise_reply")
        elif step == "supervise_reply":
            ops.supervise_reply(ticket, lead, NOTES["supervise_reply"])
        elif step == "reply" and not self._co_pending(ticket):
            ops.reply(ticket, lead, text.reply_text(rng, plan.leaf.path[-1], plan.outcome()))

    def _order_turn(self, ticket: TicketT, plan: OrderPlan, step: str) -> None:
        w, rng = self.world, plan.rng
        if step in ("queue", "visit", "withdraw"):
            ops = self.sim.act(rng.choice(w.operators))
        elif step == "escalate" or (step == "consult" and rng.random() < 0.4):
            ops = self.sim.act(rng.choice(w.supervisors))
        else:
            ops = self.sim.act(rng.choice(w.dispatchers))
        if step == "queue":
            ops.move(ticket, TicketAction.QUEUE)
        elif step == "dispatch":
            self._dispatch(ticket, plan)
        elif step in ("escalate", "consult"):
            ops.flag(ticket, SupervisionKind(step), NOTES[step])
        elif step == "withdraw":
            note = clean_note("来电人表示已与对方协商解决，申请撤单。")
            ops.close(ticket, TicketAction.WITHDRAW, Ending.WITHDRAWN, note)
            for child, child_plan in self._duplicates.pop(ticket.id or 0, []):
                if child.state == S.PENDING_DISPATCH:  # unmerged: its caller's request stands
                    self.sim.spawn(self.drive(child, child_plan), self.sim.now)
        elif step == "release":
            for co in self._co_pending(ticket):
                ops.release(ticket, co, NOTES["release"])
        elif step == "review":
            self._review(ticket, plan)
        elif step == "visit":
            ops.visit(ticket, plan.next_visit())
        elif step == "unsatisfied":
            self._after_unsatisfied(ticket, plan)
        elif step == "reopen":
            plan.reopen = False
            ops.reopen(ticket, NOTES["reopen"])

    def _co_pending(self, ticket: TicketT) -> list[AssignmentT]:
        """Co-handlers that have neither replied nor ended (the lead may not reply yet)."""
        return [a for a in self._cos.get(ticket.id or 0, []) if a.state in LIVE_CO]

    def _return(self, ticket: TicketT, plan: OrderPlan, assignment: AssignmentT) -> None:
        reasons, weights = REASONS[plan.lead_return or "reject"]
        reason = pick(plan.rng, reasons, weights).value
        self.sim.ops.return_(ticket, assignment, reason, text.return_basis(plan.rng, reason))

    def _review_return(self, ticket: TicketT, plan: OrderPlan, assignment: AssignmentT) -> None:
        decision, plan.lead_return = plan.lead_return or "reject", None
        current = self.world.dept_codes[assignment.dept_id]
        ops = self.sim.ops
        if decision == "reject":
            ops.review_return(
                ticket, assignment, accept=False, redispatch_to=None, note=NOTES["reject"]
            )
            return
        target = self._alternative(ticket, plan, current, assignment.return_reason)
        if decision == "requeue":
            plan.lead = target
            ops.review_return(
                ticket, assignment, accept=True, redispatch_to=None, note=NOTES["requeue"]
            )
        else:
            ops.review_return(
                ticket, assignment, accept=True, redispatch_to=target, note=NOTES["accept"]
            )

    def _alternative(
        self, ticket: TicketT, plan: OrderPlan, current: str, reason: str | None
    ) -> str:
        """Where a returned order goes instead: the street office for a wrong area, else the
        catalogue's lead, else another bureau (never one that holds a part of it already)."""
        busy = self._open_depts(ticket) | {current}
        office = self.world.street_office(plan.street)
        if reason == ReturnReason.WRONG_AREA and office and office not in busy:
            return office
        lead = self.world.lead(plan.leaf, plan.street)[0]
        return lead if lead not in busy else self.world.other_municipal(plan.rng, *busy)

    def _review(self, ticket: TicketT, plan: OrderPlan) -> None:
        ops = self.sim.ops
        if plan.review_fails > 0:
            plan.review_fails -= 1
            ops.review(ticket, passed=False, note=NOTES["review_fail"])
            return
        ops.review(ticket, passed=True, note="")
        for child, child_plan in self._duplicates.pop(ticket.id or 0, []):
            if child.state == S.PENDING_VISIT:
                self.sim.spawn(self.duplicate_visit(child, child_plan), self.sim.now)

    def _after_unsatisfied(self, ticket: TicketT, plan: OrderPlan) -> None:
        ops = self.sim.ops
        if not (plan.redo and plan.redo.pop(0)):
            ops.close_unsatisfied(ticket, NOTES["close"])
            return
        picked: list[AssignmentT] = []
        if plan.redo_co:
            picked = [a for a in self._cos.get(ticket.id or 0, []) if a.state == A.DONE][:1]
            plan.redo_co = False
        ops.redo(ticket, [self.world.dept_codes[a.dept_id] for a in picked], NOTES["redo"])
        for co in picked:
            self.sim.spawn(self.co_handler(ticket, co, plan), self.sim.now)
