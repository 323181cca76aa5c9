"""The closed loop of DESIGN.md §3, walked by each demo order through the services' ``*_op``
functions, one step per simulated moment.

:meth:`Flows.order` registers the call and then :meth:`Flows.drive` looks at the order's state and
takes the next turn its plan asks for, as the party whose turn it is (operator, dispatcher, the
lead department's handler, supervisor), until the order is closed or the simulated period ends.
Co-handlers work in flows of their own; merged duplicates wait for their lead order's review.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import select

from db.models import Assignment, Caller, Ticket
from hotline_tui.domain.intake import clean_intake, clean_note
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.domain.states import (
    ENDED_ASSIGNMENT_STATES,
    AssignmentRole,
    AssignmentState,
    Ending,
    ReturnReason,
    SupervisionKind,
    TicketState,
)
from hotline_tui.services.demo import text
from hotline_tui.services.demo.plans import OrderPlan, delays, plan_duplicate
from hotline_tui.services.demo.simulation import DAY, HOUR, MINUTE, Flow, Simulation, pick
from hotline_tui.services.demo.world import DemoWorld
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
from hotline_tui.services.tickets.handling import (
    reply_op,
    request_extension_op,
    return_op,
    sign_op,
)
from hotline_tui.services.tickets.intake import answer_op, close_op, merge_op, register_op
from hotline_tui.services.tickets.supervision import (
    _flag,
    supervise_op,
    supervise_reply_op,
    urge_op,
)
from hotline_tui.services.tickets.visits import visit_op

S = TicketState
A = AssignmentState
_LIVE_CO = (
    A.PENDING_SIGN.value,
    A.IN_PROGRESS.value,
    A.RETURN_REVIEW.value,
    A.EXTENSION_REVIEW.value,
)
_MERGEABLE_LEADS = frozenset(
    {
        S.REGISTERED,
        S.PENDING_DISPATCH,
        S.PENDING_SIGN,
        S.IN_PROGRESS,
        S.RETURN_REVIEW,
        S.EXTENSION_REVIEW,
        S.PENDING_REVIEW,
    }
)
_MERGEABLE_DUPLICATES = frozenset({S.REGISTERED, S.PENDING_DISPATCH, S.PENDING_SIGN})
_REOPENABLE = frozenset({Ending.ANSWERED, Ending.VISITED, Ending.UNSATISFIED})
_REASONS = {
    "redispatch": (
        (ReturnReason.NOT_OUR_DUTY, ReturnReason.WRONG_AREA, ReturnReason.OVERLAPPING_DUTY),
        (5, 3, 2),
    ),
    "requeue": ((ReturnReason.OWNERSHIP_UNCLEAR, ReturnReason.OVERLAPPING_DUTY), (1, 1)),
    "reject": (
        (ReturnReason.NOT_OUR_DUTY, ReturnReason.INCOMPLETE_INFO, ReturnReason.OWNERSHIP_UNCLEAR),
        (4, 3, 2),
    ),
}
_NOTES = {
    "reject": "经核实该事项属于贵单位职责，退单理由不成立，请继续办理。",
    "accept": "退单理由成立，同意改派。",
    "requeue": "退单理由成立，待明确责任单位后重新派单。",
    "approve": "同意延期。",
    "deny": "延期理由不充分，请在原时限内办结。",
    "review_fail": "答复未回应来电人的全部诉求，请补充办理情况后重新答复。",
    "redo": "来电人对办理结果不满意，请重新办理并与来电人当面沟通。",
    "close": "诉求超出政策规定，已做好解释，按规定办结。",
    "reopen": "来电人再次来电反映问题未解决，经核实重启工单。",
    "release": "协办单位长期未答复，经协调释放协办，由主办单位牵头答复。",
    "urge": "请加快办理进度，及时与来电人联系。",
    "supervise": "该诉求反复投诉，请单位负责人督办，三个工作日内书面回复。",
    "supervise_reply": "已由分管领导牵头督办，制定整改方案并于本周内落实。",
    "escalate": "涉及群体性诉求，提级至市领导协调。",
    "consult": "涉及多个部门职责，组织相关单位会商明确分工。",
    "merge": "与工单{number}反映同一问题，并单处理。",
}


class Flows:
    """The demo's order flows over one simulation and one seeded city."""

    def __init__(self, sim: Simulation, world: DemoWorld) -> None:
        self.sim = sim
        self.world = world
        self.first_id: int | None = None
        self.ticket_ids: list[int] = []
        self._leads: dict[int, Assignment] = {}
        self._cos: dict[int, list[Assignment]] = {}
        self._duplicates: dict[int, list[tuple[Ticket, OrderPlan]]] = {}

    # -- timing --------------------------------------------------------------------------------

    def _hotline(self, plan: OrderPlan, low: timedelta, high: timedelta) -> datetime:
        factor = delays(plan)
        return self.world.clock.hotline(self.sim.uow.now, plan.rng, low * factor, high * factor)

    def _office(self, plan: OrderPlan, low: timedelta, high: timedelta) -> datetime:
        factor = delays(plan) * (0.3 if plan.intake.urgency != "normal" else 1.0)
        return self.world.clock.office(self.sim.uow.now, plan.rng, low * factor, high * factor)

    # -- intake --------------------------------------------------------------------------------

    def order(self, plan: OrderPlan) -> Flow:
        """受理 the call, settle it on the call or hand it on, then drive it round the loop."""
        uow = self.sim.act(plan.rng.choice(self.world.operators))
        ticket = self._register(plan)
        kind = plan.disposition
        if kind == "answer":
            answer_op(uow, ticket, plan.text)
        elif kind == "invalid":
            close_op(uow, ticket, TicketAction.INVALID, Ending.INVALID, clean_note(plan.text))
            if plan.abusive:
                self._mark_abusive(ticket)
            return
        elif kind == "withdraw":
            close_op(uow, ticket, TicketAction.WITHDRAW, Ending.WITHDRAWN, clean_note(plan.text))
            return
        elif kind == "dispatch":
            self._dispatch(ticket, plan)
        elif kind == "queue":
            move_ticket(uow, ticket, TicketAction.QUEUE, bump=False)
        yield from self.drive(ticket, plan)

    def _register(self, plan: OrderPlan) -> Ticket:
        uow = self.sim.uow
        today = self.world.clock.local(uow.now).date()
        ticket = register_op(uow, clean_intake(plan.intake, today=today))
        assert ticket.id is not None
        if self.first_id is None:
            self.first_id = ticket.id
        self.ticket_ids.append(ticket.id)
        return ticket

    def _mark_abusive(self, ticket: Ticket) -> None:
        """The caller is marked abusive after warnings (recorded, never silently blocked)."""
        if ticket.caller_id is None:
            return
        uow = self.sim.uow
        caller = uow.session.get(Caller, ticket.caller_id)
        assert caller is not None
        note = "来电人多次辱骂话务员，已按规定警告并记录。"
        caller.abusive, caller.abusive_note = True, note
        caller.version += 1
        uow.record(
            "caller.mark_abusive",
            entity="caller",
            entity_id=caller.id,
            entity_version=caller.version,
            ticket_id=ticket.id,
            note=note,
        )

    def _dispatch(self, ticket: Ticket, plan: OrderPlan) -> None:
        """派单 to the plan's lead (and, the first time, its co-handlers)."""
        if not plan.lead:
            plan.lead = self.world.lead(plan.leaf, plan.street)[0]
        created = dispatch_op(self.sim.uow, ticket, plan.lead, plan.co)
        assert ticket.id is not None
        self._leads[ticket.id] = created[0]
        now = self.sim.uow.now
        for co in created[1:]:
            self._cos.setdefault(ticket.id, []).append(co)
            self.sim.spawn(self.co_handler(ticket, co, plan), now)
        plan.co = ()
        for _ in range(plan.duplicates):
            child = plan_duplicate(self.world, plan, random.Random(plan.rng.getrandbits(64)))
            at = self.world.clock.hotline(now, plan.rng, 20 * MINUTE, 30 * HOUR * delays(plan))
            self.sim.spawn(self.duplicate(ticket, child), at)
        plan.duplicates = 0

    # -- the loop ------------------------------------------------------------------------------

    def drive(self, ticket: Ticket, plan: OrderPlan) -> Flow:
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

    def _step(self, ticket: Ticket, plan: OrderPlan, agenda: list[str], waited: int) -> str | None:
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
            reopen = plan.reopen and ticket.ending in _REOPENABLE
            return "reopen" if reopen else None
        return _BY_STATE.get(state)

    def _turn(self, ticket: Ticket, plan: OrderPlan, agenda: list[str], step: str) -> Flow:
        """Wait for the turn's moment, then take it as the party whose turn it is."""
        if step in _OFFICE_DELAYS:
            yield self._office(plan, *_OFFICE_DELAYS[step])
        else:
            yield self._hotline(plan, *_HOTLINE_DELAYS[step])
        if agenda and step == agenda[0]:
            agenda.pop(0)
        if step in _ON_LEAD:
            self._lead_turn(ticket, plan, self._lead(ticket), step, agenda)
        else:
            self._order_turn(ticket, plan, step)

    def _lead_turn(
        self, ticket: Ticket, plan: OrderPlan, lead: Assignment, step: str, agenda: list[str]
    ) -> None:
        w, rng = self.world, plan.rng
        if step in _HANDLER_TURNS:
            uow = self.sim.act(w.handler(rng, lead.dept_id))
        elif step == "supervise" or step in ("urge", "consult") and rng.random() < 0.4:
            uow = self.sim.act(rng.choice(w.supervisors))
        else:
            uow = self.sim.act(rng.choice(w.dispatchers))
        if step == "sign":
            sign_op(uow, ticket, lead)
        elif step == "return":
            self._return(ticket, plan, lead)
        elif step == "return_review":
            self._review_return(ticket, plan, lead)
        elif step == "extension":
            days = rng.randint(3, w.extension_max_days)
            request_extension_op(uow, ticket, lead, days, text.extension_reason(rng))
        elif step == "decide_extension":
            approve = plan.extension == "approve"
            decide_extension_op(
                uow,
                ticket,
                lead,
                approve=approve,
                days=None,
                note=_NOTES["approve" if approve else "deny"],
            )
            plan.extension = None
        elif step == "urge":
            urge_op(uow, ticket, lead, _NOTES["urge"])
        elif step == "supervise":
            supervise_op(uow, ticket, lead, _NOTES["supervise"])
            agenda.insert(0, "supervise_reply")
        elif step == "supervise_reply":
            supervise_reply_op(uow, ticket, lead, _NOTES["supervise_reply"])
        elif step == "reply" and not self._co_pending(ticket):
            reply_op(uow, ticket, lead, text.reply_text(rng, plan.leaf.path[-1], plan.outcome()))

    def _order_turn(self, ticket: Ticket, plan: OrderPlan, step: str) -> None:
        w, rng = self.world, plan.rng
        if step in ("queue", "visit", "withdraw"):
            uow = self.sim.act(rng.choice(w.operators))
        elif step == "escalate" or step == "consult" and rng.random() < 0.4:
            uow = self.sim.act(rng.choice(w.supervisors))
        else:
            uow = self.sim.act(rng.choice(w.dispatchers))
        if step == "queue":
            move_ticket(uow, ticket, TicketAction.QUEUE)
        elif step == "dispatch":
            self._dispatch(ticket, plan)
        elif step in ("escalate", "consult"):
            _flag(uow, ticket, SupervisionKind(step), _NOTES[step])
        elif step == "withdraw":
            if not self._duplicates.get(ticket.id or 0):
                close_op(
                    uow,
                    ticket,
                    TicketAction.WITHDRAW,
                    Ending.WITHDRAWN,
                    clean_note("来电人表示已与对方协商解决，申请撤单。"),
                )
        elif step == "release":
            for co in self._co_pending(ticket):
                move_assignment(uow, ticket, co, AssignmentAction.RELEASE, note=_NOTES["release"])
        elif step == "review":
            self._review(ticket, plan)
        elif step == "visit":
            visit_op(uow, ticket, plan.next_visit())
        elif step == "unsatisfied":
            self._after_unsatisfied(ticket, plan)
        elif step == "reopen":
            plan.reopen = False
            reopen_op(uow, ticket, _NOTES["reopen"])

    def _co_pending(self, ticket: Ticket) -> list[Assignment]:
        """Co-handlers that have neither replied nor ended (the lead may not reply yet)."""
        return [a for a in self._cos.get(ticket.id or 0, []) if a.state in _LIVE_CO]

    def _lead(self, ticket: Ticket) -> Assignment:
        found = self._leads.get(ticket.id or 0)
        assert ticket.lead_assignment_id is not None
        if found is None or found.id != ticket.lead_assignment_id:
            found = self.sim.session.get(Assignment, ticket.lead_assignment_id)
            assert found is not None
            self._leads[ticket.id or 0] = found
        return found

    # -- turns with decisions ------------------------------------------------------------------

    def _return(self, ticket: Ticket, plan: OrderPlan, assignment: Assignment) -> None:
        reasons, weights = _REASONS[plan.lead_return or "reject"]
        reason = pick(plan.rng, reasons, weights).value
        return_op(self.sim.uow, ticket, assignment, reason, text.return_basis(plan.rng, reason))

    def _review_return(self, ticket: Ticket, plan: OrderPlan, assignment: Assignment) -> None:
        decision, plan.lead_return = plan.lead_return or "reject", None
        current = self.world.dept_codes[assignment.dept_id]
        uow = self.sim.uow
        if decision == "reject":
            review_return_op(
                uow, ticket, assignment, accept=False, redispatch_to=None, note=_NOTES["reject"]
            )
            return
        target = self._alternative(plan, current, assignment.return_reason)
        if decision == "requeue":
            plan.lead = target
            review_return_op(
                uow, ticket, assignment, accept=True, redispatch_to=None, note=_NOTES["requeue"]
            )
        else:
            review_return_op(
                uow, ticket, assignment, accept=True, redispatch_to=target, note=_NOTES["accept"]
            )

    def _alternative(self, plan: OrderPlan, current: str, reason: str | None) -> str:
        """Where a returned order goes instead: the street office for a wrong area, else the
        catalogue's lead, else another bureau."""
        office = self.world.street_office(plan.street)
        if reason == ReturnReason.WRONG_AREA and office and office != current:
            return office
        lead = self.world.lead(plan.leaf, plan.street)[0]
        return lead if lead != current else self.world.other_municipal(plan.rng, current)

    def _review(self, ticket: Ticket, plan: OrderPlan) -> None:
        uow = self.sim.uow
        if plan.review_fails > 0:
            plan.review_fails -= 1
            review_op(uow, ticket, passed=False, note=_NOTES["review_fail"])
            return
        review_op(uow, ticket, passed=True, note="")
        for child, child_plan in self._duplicates.pop(ticket.id or 0, []):
            if child.state == S.PENDING_VISIT:
                self.sim.spawn(self.duplicate_visit(child, child_plan), uow.now)

    def _after_unsatisfied(self, ticket: Ticket, plan: OrderPlan) -> None:
        uow = self.sim.uow
        if not (plan.redo and plan.redo.pop(0)):
            close_unsatisfied_op(uow, ticket, _NOTES["close"])
            return
        picked: list[Assignment] = []
        if plan.redo_co:
            picked = [a for a in self._cos.get(ticket.id or 0, []) if a.state == A.DONE][:1]
            plan.redo_co = False
        redo_op(uow, ticket, [self.world.dept_codes[a.dept_id] for a in picked], _NOTES["redo"])
        for co in picked:
            self.sim.spawn(self.co_handler(ticket, co, plan), uow.now)

    # -- co-handlers, duplicates, the archive job ----------------------------------------------

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
                    reasons, weights = _REASONS[plan.co_return]
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
                uow, ticket, assignment, accept=False, redispatch_to=None, note=_NOTES["reject"]
            )
            return assignment
        lead = self.world.dept_codes[self._lead(ticket).dept_id]
        current = self.world.dept_codes[assignment.dept_id]
        target = self.world.other_municipal(plan.rng, lead, current)
        review_return_op(
            uow, ticket, assignment, accept=True, redispatch_to=target, note=_NOTES["accept"]
        )
        assert ticket.id is not None
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
        if lead.state in _MERGEABLE_LEADS and child.state in _MERGEABLE_DUPLICATES:
            uow = self.sim.act(plan.rng.choice(self.world.dispatchers))
            merge_op(uow, child, lead, _NOTES["merge"].format(number=lead.number))
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
                self.sim.act(plan.rng.choice(self.world.dispatchers)), child, _NOTES["close"]
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
                session.execute(
                    select(Ticket.id)
                    .where(
                        Ticket.state == S.CLOSED.value,
                        Ticket.closed_at < cutoff,  # type: ignore[operator]
                        Ticket.id >= self.first_id,
                    )  # type: ignore[operator]
                    .order_by(Ticket.id)  # type: ignore[arg-type]
                ).scalars()
            )
            for chunk in _chunks(ids, 1000):
                tickets = session.execute(
                    select(Ticket)
                    .where(Ticket.id.in_(chunk))  # type: ignore[union-attr]
                    .order_by(Ticket.id)  # type: ignore[arg-type]
                ).scalars()
                uow = self.sim.act(self.world.system)
                for ticket in tickets:
                    if ticket.state == S.CLOSED:
                        move_ticket(uow, ticket, TicketAction.ARCHIVE)
                self.sim.maybe_commit()


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_ON_LEAD = frozenset(
    {
        "sign",
        "return",
        "return_review",
        "extension",
        "decide_extension",
        "urge",
        "supervise",
        "supervise_reply",
        "reply",
    }
)
_HANDLER_TURNS = frozenset({"sign", "return", "extension", "supervise_reply", "reply"})
_BY_STATE = {
    S.REGISTERED: "queue",
    S.PENDING_DISPATCH: "dispatch",
    S.RETURN_REVIEW: "return_review",
    S.EXTENSION_REVIEW: "decide_extension",
    S.PENDING_REVIEW: "review",
    S.PENDING_VISIT: "visit",
    S.UNSATISFIED: "unsatisfied",
}
# Delays from the previous step: departments work office hours, the hotline from 7 to 23.
_OFFICE_DELAYS = {
    "sign": (30 * MINUTE, 20 * HOUR),
    "return": (1 * HOUR, 2 * DAY),
    "extension": (1 * DAY, 4 * DAY),
    "supervise_reply": (2 * HOUR, 2 * DAY),
    "reply": (1 * DAY, 8 * DAY),
}
_HOTLINE_DELAYS = {
    "queue": (1 * MINUTE, 10 * MINUTE),
    "dispatch": (5 * MINUTE, 3 * HOUR),
    "return_review": (30 * MINUTE, 8 * HOUR),
    "decide_extension": (1 * HOUR, 24 * HOUR),
    "urge": (1 * DAY, 3 * DAY),
    "supervise": (1 * DAY, 3 * DAY),
    "escalate": (4 * HOUR, 2 * DAY),
    "consult": (4 * HOUR, 2 * DAY),
    "withdraw": (1 * DAY, 4 * DAY),
    "wait": (1 * DAY, 2 * DAY),
    "release": (1 * HOUR, 8 * HOUR),
    "review": (1 * HOUR, 24 * HOUR),
    "visit": (2 * HOUR, 48 * HOUR),
    "unsatisfied": (1 * HOUR, 24 * HOUR),
    "reopen": (1 * DAY, 10 * DAY),
}
