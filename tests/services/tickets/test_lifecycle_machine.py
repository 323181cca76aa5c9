"""The closed loop as a Hypothesis state machine over the real services on SQLite.

Each example gets a fresh copy of the session's template database and a FakeClock. The machine
registers orders, dispatches them to a lead and 0-2 co-handlers, and lets departments and the
hotline act on them in any order, legal or not. Beside the database it keeps its own MODEL of
every order (state, ending, hand-overs, visit attempts, parent) and of every assignment (state,
whether it signed, open 督办 items). Before each call the model says what must happen:

- legal: the call succeeds and the model moves on;
- illegal: the call raises the predicted error (``IllegalTransition`` naming the order, the state
  and the action; the documented ``ValidationError``/``NotFound`` for the other refusals) and
  nothing in the database changed (orders, assignments, supervision items, audit head).

After every step the database must equal the model, an order being handled must be in the state
its lead assignment maps to, closed orders carry an ending and a closing time, hand-over counts
never go down, no order has two open lead assignments, and the audit chain verifies, the rows
agreeing with their events (``audit verify --deep``).

The model mirrors the services' documented choice of assignment ("handlers act on their own
department's live assignment; others name the department, or get the only live assignment in the
action's states: open before done, the lead first, the newest first"). 重办 of a merged duplicate
(which has no department of its own) is generated too, and must be refused.
"""

from __future__ import annotations

import copy
import itertools
import shutil
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import event
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import col, select

from db.engine import make_engines
from db.models import Assignment, AuditHead, Department, Supervision, Ticket
from hotline_tui.domain.errors import HotlineError, IllegalTransition, NotFound, ValidationError
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.admin import audit, audit_deep
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets import closing, dispatch, handling, intake, supervision, visits
from hotline_tui.services.tickets.intake import Registered
from tests.conftest import FakeClock, make_settings
from tests.world import actors

DEPTS = ("M01", "M02", "M03")
HANDLER = {"M01": "h1", "M02": "h2", "M03": "h3"}
REASONS = ("wrong_area", "not_our_duty", "ownership_unclear", "overlapping_duty", "incomplete_info")
VISITS = {
    "satisfied": ("reached", "resolved", "satisfied"),
    "basic": ("reached", "partly", "basic"),
    "unsatisfied": ("reached", "unresolved", "unsatisfied"),
    "unreachable": ("unreachable", None, None),
    "declined": ("declined", None, None),
}
MAX_VISIT_ATTEMPTS = 3  # Settings.visit_max_attempts default
MAX_EXTENSION_REQUESTS = 1  # Settings.extension_max_requests default
EXTENSION_CAP = 10  # the default rules' extension_max (10wd), on the total granted
RETRY_GAP = timedelta(minutes=120)  # Settings.visit_retry_gap_minutes default

# The model's own vocabulary (written out, not imported from the code under test).
ENDED = {"returned", "released", "cancelled"}
OPEN = {"pending_sign", "in_progress", "return_review", "extension_review", "replied"}
FOLLOW = {
    "pending_sign": "pending_sign",
    "in_progress": "in_progress",
    "return_review": "return_review",
    "extension_review": "extension_review",
    "replied": "pending_review",
}
DISPATCHED = set(FOLLOW.values())
BEFORE_DISPATCH = {"registered", "pending_dispatch"}
FINISHED = {"closed", "archived"}
URGE_STATES = ("pending_sign", "in_progress", "extension_review")
SUPERVISE_STATES = ("pending_sign", "in_progress", "extension_review", "return_review")


# --- the model -----------------------------------------------------------------------------------


@dataclass
class MAssignment:
    dept: str
    role: str  # "lead" | "co"
    state: str = "pending_sign"
    signed: bool = False
    open_supervisions: int = 0
    extension_requests: int = 0
    extension_requested: int = 0
    extension_granted: int = 0


@dataclass
class MTicket:
    number: str
    state: str
    assignments: list[MAssignment] = field(default_factory=list)
    lead: int | None = None  # index into assignments (creation order = id order)
    parent: str | None = None
    handovers: int = 0
    visit_attempts: int = 0
    ending: str | None = None
    withdraw_requested: bool = False  # an operator's 撤单申请 waits for a dispatcher
    unreachable_at: datetime | None = None  # the last unreachable return visit


Model = dict[str, MTicket]


class Refused(Exception):
    """The model predicts that the service refuses, with this error class, code and params."""

    def __init__(self, error: type[HotlineError], code: str, **params: Any) -> None:
        super().__init__(code)
        self.error, self.code, self.params = error, code, params


def illegal_ticket(t: MTicket, action: str | set[str]) -> Refused:
    return Refused(
        IllegalTransition, "transition.ticket", ticket=t.number, state=t.state, action=action
    )


def require(t: MTicket, action: str, states: Collection[str]) -> None:
    if t.state not in states:
        raise illegal_ticket(t, action)


def require_assignment(t: MTicket, i: int, action: str | set[str], states: Collection[str]) -> None:
    a = t.assignments[i]
    if a.state not in states:
        raise Refused(
            IllegalTransition,
            "transition.assignment",
            ticket=t.number,
            dept=a.dept,
            state=a.state,
            action=action,
        )


def visible_to(t: MTicket, dept: str) -> None:
    """Handlers see only orders their department was ever assigned."""
    if not any(a.dept == dept for a in t.assignments):
        raise Refused(NotFound, "not_found.ticket", ticket=t.number)


def pick(t: MTicket, dept: str | None, states: tuple[str, ...] = (), *, handler: bool) -> int:
    """The assignment an action targets: live (not ended) in the department, those in
    ``states`` if any, the lead first, then the oldest.

    Open assignments come before done ones (after a reopen the old, done part of a department
    is history), then the lead, then the newest."""
    live = [
        i
        for i, a in enumerate(t.assignments)
        if a.state not in ENDED and (dept is None or a.dept == dept)
    ]
    if states:
        live = [i for i in live if t.assignments[i].state in states] or live
    if not live:
        raise Refused(
            NotFound,
            "not_found.assignment",
            ticket=t.number,
            dept="" if handler else (dept or ""),
        )
    return min(
        live,
        key=lambda i: (t.assignments[i].state == "done", t.assignments[i].role != "lead", -i),
    )


def set_state(t: MTicket, i: int, state: str) -> None:
    """Move an assignment; while dispatched, the order follows its lead."""
    t.assignments[i].state = state
    if i == t.lead and t.state in DISPATCHED and state in FOLLOW:
        t.state = FOLLOW[state]


def add_assignment(t: MTicket, dept: str, role: str) -> None:
    t.assignments.append(MAssignment(dept, role))
    if role == "lead":
        t.lead = len(t.assignments) - 1


def refuse_busy(t: MTicket, depts: Collection[str]) -> None:
    """A department holds at most one open part of an order."""
    busy = {a.dept for a in t.assignments if a.state in OPEN}
    for dept in depts:
        if dept in busy:
            raise Refused(
                ValidationError, "validation.dept_already_assigned", ticket=t.number, dept=dept
            )


def release_children(m: Model, n: str) -> None:
    """The lead has an answer: its waiting duplicates are called back."""
    for child in m.values():
        if child.parent == n and child.state == "merged":
            child.state, child.visit_attempts = "pending_visit", 0


def unmerge_children(m: Model, n: str) -> None:
    """The lead ended without an answer: its waiting duplicates go back to the queue."""
    for child in m.values():
        if child.parent == n and child.state == "merged":
            child.state, child.parent = "pending_dispatch", None


def cancel_open(t: MTicket) -> None:
    for i, a in enumerate(t.assignments):
        if a.state in OPEN:
            set_state(t, i, "cancelled")


def close(t: MTicket, ending: str) -> None:
    t.state, t.ending = "closed", ending
    t.withdraw_requested = False  # nothing is left to withdraw


def visit_kind_action(kind: str, attempts_so_far: int) -> str:
    if kind == "declined":
        return "visit_declined"
    if kind == "unreachable":
        last = attempts_so_far + 1 >= MAX_VISIT_ATTEMPTS
        return "visit_give_up" if last else "visit_unreachable"
    return "visit_unsatisfied" if kind == "unsatisfied" else "visit_satisfied"


def _redo_would_strand(t: MTicket) -> bool:
    """重办 of an order whose lead assignment is not done (a merged duplicate: none, or a
    cancelled one) would leave it 办理中 with nobody to handle it: the service refuses it."""
    if t.state != "unsatisfied":
        return False
    return t.lead is None or t.assignments[t.lead].state != "done"


# --- the machine ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MachineEnv:
    template: Path
    key_file: Path
    workdir: Path


class LifecycleMachine(RuleBasedStateMachine):
    env: ClassVar[MachineEnv | None] = None
    _examples: ClassVar[Iterator[int]] = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        env = self.env
        assert env is not None, "run through test_lifecycle_machine"
        self.folder = env.workdir / f"example{next(self._examples)}"
        self.folder.mkdir(parents=True)
        shutil.copy(env.template, self.folder / "hotline.db")
        url = f"sqlite:///{self.folder / 'hotline.db'}"
        self.clock = FakeClock()
        self.hl = Hotline(
            make_settings(self.folder, env.key_file, url), make_engines(url), clock=self.clock
        )
        self.who = actors(self.hl)
        with self.hl.reading() as session:
            self.dept_code = {d.id: d.code for d in session.exec(select(Department))}
        self.model: Model = {}
        self.handovers_seen: dict[str, int] = {}

    def teardown(self) -> None:
        self.hl.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- the checked call -------------------------------------------------------------------------

    def snapshot(self) -> tuple[Any, ...]:
        with self.hl.reading() as s:
            tickets = [t.model_dump() for t in s.exec(select(Ticket).order_by(col(Ticket.id)))]
            rows = [a.model_dump() for a in s.exec(select(Assignment).order_by(col(Assignment.id)))]
            items = [
                x.model_dump() for x in s.exec(select(Supervision).order_by(col(Supervision.id)))
            ]
            head = s.exec(select(AuditHead.seq)).one()
        return tickets, rows, items, head

    def attempt(
        self,
        name: str,
        number: str,
        plan: Callable[[Model], None],
        call: Callable[[], Registered],
    ) -> None:
        """Predict with ``plan`` on a copy of the model, then call the service and compare."""
        self.clock.advance(minutes=7)
        draft = copy.deepcopy(self.model)
        try:
            plan(draft)
        except Refused as refused:
            event(f"{name}: refused {refused.code}")
            before = self.snapshot()
            with pytest.raises(refused.error) as info:
                call()
            error = info.value
            assert error.code == refused.code, (name, error)
            for key, expected in refused.params.items():
                if isinstance(expected, set):
                    assert error.params.get(key) in expected, (name, key, error)
                else:
                    assert error.params.get(key) == expected, (name, key, error)
            assert self.snapshot() == before, f"{name} was refused but changed the database"
            return
        event(f"{name}: done")
        result = call()
        self.model = draft
        assert result.number == number
        assert result.state == self.model[number].state, (name, result)

    # --- choosing ---------------------------------------------------------------------------------

    def choose(
        self,
        data: st.DataObject,
        good: Callable[[MTicket], bool],
        *,
        allowed: Callable[[MTicket], bool] = lambda t: True,
    ) -> MTicket:
        """Mostly an order on which the action makes sense; sometimes any order at all."""
        tickets = [self.model[n] for n in sorted(self.model) if allowed(self.model[n])]
        aimed = [t for t in tickets if good(t)]
        if aimed and data.draw(st.integers(0, 4), label="aim") > 0:
            return data.draw(st.sampled_from(aimed), label="order")
        return data.draw(st.sampled_from(tickets), label="order")

    def choose_dept(
        self, data: st.DataObject, t: MTicket, good: Callable[[MAssignment], bool]
    ) -> str:
        aimed = sorted({a.dept for a in t.assignments if good(a)})
        if aimed and data.draw(st.integers(0, 4), label="aim dept") > 0:
            return data.draw(st.sampled_from(aimed), label="dept")
        return data.draw(st.sampled_from(DEPTS), label="dept")

    # --- the actions (model prediction + service call) --------------------------------------------

    def do_register(self, kind: str, lead: str, co: tuple[str, ...]) -> str:
        """受理 with a disposition: stay registered, queue, or dispatch at once."""
        self.clock.advance(minutes=7)
        if kind == "dispatch":
            disposition = intake.Disposition(kind=kind, lead_dept=lead, co_depts=co)
        else:
            disposition = intake.Disposition(kind=kind)
        result = intake.register(
            self.hl,
            self.who["op"],
            IntakeInput(
                request_type="complaint",
                description="营业执照办理多次被退回",
                caller=CallerInput(name="张三", phone="13800138000"),
            ),
            disposition,
        )
        assert result.number not in self.model
        t = MTicket(result.number, "registered")
        if kind == "queue":
            t.state = "pending_dispatch"
        elif kind == "dispatch":
            t.state = "pending_sign"
            add_assignment(t, lead, "lead")
            for code in co:
                add_assignment(t, code, "co")
            t.handovers += 1 + len(co)
        self.model[t.number] = t
        event(f"register {kind}")
        assert result.state == t.state
        return t.number

    def do_queue(self, n: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            require(t, "queue", ("registered",))
            t.state = "pending_dispatch"

        self.attempt("queue", n, plan, lambda: intake.queue(self.hl, self.who["op"], n))

    def do_dispatch(self, n: str, lead: str, co: tuple[str, ...]) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            require(t, "dispatch", BEFORE_DISPATCH)
            refuse_busy(t, [lead, *co])
            t.state = "pending_sign"
            add_assignment(t, lead, "lead")
            for code in co:
                add_assignment(t, code, "co")
            t.handovers += 1 + len(co)

        self.attempt(
            "dispatch", n, plan, lambda: dispatch.dispatch(self.hl, self.who["disp"], n, lead, co)
        )

    def do_sign(self, n: str, dept: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            visible_to(t, dept)
            i = pick(t, dept, ("pending_sign",), handler=True)
            require_assignment(t, i, "sign", ("pending_sign",))
            set_state(t, i, "in_progress")
            t.assignments[i].signed = True

        self.attempt("sign", n, plan, lambda: handling.sign(self.hl, self.who[HANDLER[dept]], n))

    def do_return(self, n: str, dept: str, reason: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            visible_to(t, dept)
            i = pick(t, dept, ("pending_sign", "in_progress"), handler=True)
            require_assignment(t, i, "return", ("pending_sign", "in_progress"))
            set_state(t, i, "return_review")
            t.handovers += 1

        self.attempt(
            "return",
            n,
            plan,
            lambda: handling.return_order(
                self.hl, self.who[HANDLER[dept]], n, reason=reason, basis="不属于本单位职责"
            ),
        )

    def do_review_return(
        self, n: str, *, accept: bool, redispatch_to: str | None, dept: str | None
    ) -> None:
        action = "return_accept" if accept else "return_reject"

        def plan(m: Model) -> None:
            t = m[n]
            i = pick(t, dept, ("return_review",), handler=False)
            require_assignment(t, i, action, ("return_review",))
            a = t.assignments[i]
            if not accept:
                set_state(t, i, "in_progress" if a.signed else "pending_sign")
                t.handovers += 1
                return
            set_state(t, i, "returned")
            is_lead = i == t.lead
            if redispatch_to is not None:
                if redispatch_to == a.dept:
                    raise Refused(ValidationError, "validation.redispatch_same_dept")
                if is_lead:
                    require(t, "redispatch", ("return_review",))
                    t.state = "pending_sign"
                t.handovers += 1
                refuse_busy(t, [redispatch_to])
                add_assignment(t, redispatch_to, a.role)
            elif is_lead:
                require(t, "requeue", ("return_review",))
                t.state = "pending_dispatch"

        self.attempt(
            f"review_return {action}{' redispatch' if accept and redispatch_to else ''}",
            n,
            plan,
            lambda: dispatch.review_return(
                self.hl,
                self.who["disp"],
                n,
                accept=accept,
                redispatch_to=redispatch_to,
                dept=dept,
                note="审核意见",
            ),
        )

    def do_request_extension(self, n: str, dept: str, days: int) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            visible_to(t, dept)
            i = pick(t, dept, ("in_progress",), handler=True)
            require_assignment(t, i, "request_extension", ("in_progress",))
            a = t.assignments[i]
            if a.extension_requests >= MAX_EXTENSION_REQUESTS:
                raise Refused(IllegalTransition, "transition.extension_requests_used", ticket=n)
            if not 1 <= days <= EXTENSION_CAP - a.extension_granted:
                raise Refused(ValidationError, "validation.extension_days", days=days)
            a.extension_requests += 1
            a.extension_requested = days
            set_state(t, i, "extension_review")

        self.attempt(
            "request_extension",
            n,
            plan,
            lambda: handling.request_extension(
                self.hl, self.who[HANDLER[dept]], n, days=days, reason="需要现场核查"
            ),
        )

    def do_decide_extension(self, n: str, *, approve: bool, dept: str | None) -> None:
        names = "extension_approve" if approve else "extension_deny"

        def plan(m: Model) -> None:
            t = m[n]
            i = pick(t, dept, ("extension_review",), handler=False)
            require_assignment(t, i, names, ("extension_review",))
            if approve:
                t.assignments[i].extension_granted += t.assignments[i].extension_requested
            set_state(t, i, "in_progress")

        self.attempt(
            f"decide_extension {'approve' if approve else 'deny'}",
            n,
            plan,
            lambda: dispatch.decide_extension(
                self.hl, self.who["disp"], n, approve=approve, dept=dept
            ),
        )

    def do_reply(self, n: str, dept: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            visible_to(t, dept)
            i = pick(t, dept, ("in_progress",), handler=True)
            require_assignment(t, i, "reply", ("in_progress",))
            if i == t.lead:
                waiting = [
                    a
                    for a in t.assignments
                    if a.role == "co" and a.state not in ENDED | {"replied", "done"}
                ]
                if waiting:
                    raise Refused(
                        IllegalTransition, "transition.co_handlers_pending", ticket=t.number
                    )
            set_state(t, i, "replied")
            t.handovers += 1

        self.attempt(
            "reply",
            n,
            plan,
            lambda: handling.reply(self.hl, self.who[HANDLER[dept]], n, text="已办理并答复来电人"),
        )

    def do_release(self, n: str, dept: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            i = pick(t, dept, (), handler=False)
            if t.assignments[i].role != "co":
                raise Refused(ValidationError, "validation.release_lead", ticket=t.number)
            require_assignment(t, i, "release", tuple(OPEN))
            set_state(t, i, "released")

        self.attempt(
            "release", n, plan, lambda: dispatch.release(self.hl, self.who["disp"], n, dept)
        )

    def do_review(self, n: str, *, passed: bool) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            require(t, "review_pass" if passed else "review_fail", ("pending_review",))
            assert t.lead is not None
            if passed:
                t.state = "pending_visit"
                t.visit_attempts = 0  # a new round of return visits
                for i, a in enumerate(t.assignments):
                    if a.state == "replied":
                        set_state(t, i, "done")
                release_children(m, n)
            else:
                t.state = "in_progress"
                t.handovers += 1
                assert t.assignments[t.lead].state == "replied"
                set_state(t, t.lead, "in_progress")

        self.attempt(
            f"review {'pass' if passed else 'fail'}",
            n,
            plan,
            lambda: closing.review(self.hl, self.who["disp"], n, passed=passed, note="需补充材料"),
        )

    def do_visit(self, n: str, kind: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            action = visit_kind_action(kind, t.visit_attempts)
            require(t, action, ("pending_visit",))
            now = self.clock()
            if kind == "unreachable" and t.unreachable_at and now < t.unreachable_at + RETRY_GAP:
                raise Refused(IllegalTransition, "visit.retry_too_soon", ticket=t.number)
            if kind == "unreachable":
                t.unreachable_at = now
            # One counter per round of visits: reset when a reply passes review.
            t.visit_attempts += 1
            if action == "visit_satisfied":
                close(t, "merged" if t.parent else "visited")
            elif action == "visit_unsatisfied":
                t.state = "unsatisfied"
            elif action == "visit_give_up":
                close(t, "unreachable")
            elif action == "visit_declined":
                close(t, "declined")

        contact, resolution, satisfaction = VISITS[kind]
        self.attempt(
            f"visit {kind}",
            n,
            plan,
            lambda: visits.visit(
                self.hl,
                self.who["op"],
                n,
                visits.parse_visit(contact, resolution, satisfaction),
            ),
        )

    def do_redo(self, n: str, co_depts: tuple[str, ...]) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            require(t, "redo", ("unsatisfied",))
            if _redo_would_strand(t):
                raise Refused(
                    ValidationError, "validation.redo_no_lead", ticket=t.number, lead=t.parent or ""
                )
            t.state = "in_progress"
            picked = set(co_depts)
            for i, a in reversed(list(enumerate(t.assignments))):
                # A picked department comes back as a co-handler only, never a former lead.
                if a.state == "done" and (i == t.lead or (a.role == "co" and a.dept in picked)):
                    set_state(t, i, "in_progress")
                    t.handovers += 1
                    picked.discard(a.dept)
            if picked:
                raise Refused(ValidationError, "validation.redo_dept", ticket=t.number)

        self.attempt(
            "redo",
            n,
            plan,
            lambda: closing.redo(self.hl, self.who["disp"], n, co_depts=co_depts, note="重办"),
        )

    def do_close(self, n: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            require(t, "close", ("unsatisfied",))
            close(t, "unsatisfied_closed")

        self.attempt(
            "close",
            n,
            plan,
            lambda: closing.close(self.hl, self.who["disp"], n, note="诉求不合理"),
        )

    def do_merge(self, n: str, into: str) -> None:
        def plan(m: Model) -> None:
            child, parent = m[n], m[into]
            if parent is child or parent.parent is not None:
                raise Refused(ValidationError, "validation.merge_target", ticket=n, lead=into)
            if parent.state in FINISHED | {"merged"}:
                raise Refused(ValidationError, "validation.merge_target", ticket=n, lead=into)
            cancel_open(child)
            require(child, "merge", ("registered", "pending_dispatch", "pending_sign"))
            child.parent = into
            child.state = "merged"
            # The child's own waiting duplicates follow it to the new lead.
            for grandchild in m.values():
                if grandchild.parent == n and grandchild.state == "merged":
                    grandchild.parent = into
            if parent.state in ("pending_visit", "unsatisfied"):
                release_children(m, into)  # the lead already has its answer

        self.attempt(
            "merge", n, plan, lambda: intake.merge(self.hl, self.who["disp"], n, into, "重复件")
        )

    def do_withdraw(self, n: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            if t.state in FINISHED:
                raise illegal_ticket(t, "withdraw")
            if t.assignments:  # dispatched: the operator's withdrawal waits for a dispatcher
                if t.withdraw_requested:
                    raise Refused(ValidationError, "validation.withdraw_requested", ticket=n)
                t.withdraw_requested = True
                return
            cancel_open(t)
            close(t, "withdrawn")
            unmerge_children(m, n)

        self.attempt("withdraw", n, plan, lambda: intake.withdraw(self.hl, self.who["op"], n))

    def do_invalid(self, n: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            require(t, "invalid", BEFORE_DISPATCH)
            if t.assignments:
                raise Refused(ValidationError, "validation.invalid_after_dispatch", ticket=n)
            close(t, "invalid")
            unmerge_children(m, n)

        self.attempt("invalid", n, plan, lambda: intake.mark_invalid(self.hl, self.who["op"], n))

    def do_answer(self, n: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            require(t, "answer", BEFORE_DISPATCH)
            cancel_open(t)  # co-handlers still at work after the lead's return was requeued
            close(t, "answered")
            release_children(m, n)

        self.attempt(
            "answer", n, plan, lambda: intake.answer(self.hl, self.who["op"], n, "按知识库答复")
        )

    def do_reopen(self, n: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            require(t, "reopen", ("closed",))
            t.state, t.ending, t.visit_attempts = "pending_dispatch", None, 0
            t.unreachable_at = None
            t.handovers += 1

        self.attempt(
            "reopen",
            n,
            plan,
            lambda: closing.reopen(self.hl, self.who["disp"], n, "来电人再次反映"),
        )

    def do_archive(self, n: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            require(t, "archive", ("closed",))
            t.state = "archived"

        self.attempt("archive", n, plan, lambda: closing.archive(self.hl, self.who["sup"], n))

    def do_urge(self, n: str, dept: str | None) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            i = pick(t, dept, SUPERVISE_STATES, handler=False)
            require_assignment(t, i, "urge", URGE_STATES)

        self.attempt(
            "urge",
            n,
            plan,
            lambda: supervision.urge(self.hl, self.who["disp"], n, "请尽快", dept=dept),
        )

    def do_supervise(self, n: str, dept: str | None) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            i = pick(t, dept, SUPERVISE_STATES, handler=False)
            require_assignment(t, i, "supervise", SUPERVISE_STATES)
            t.assignments[i].open_supervisions += 1

        self.attempt(
            "supervise",
            n,
            plan,
            lambda: supervision.supervise(self.hl, self.who["sup"], n, "限期办理", dept=dept),
        )

    def do_supervise_reply(self, n: str, dept: str) -> None:
        def plan(m: Model) -> None:
            t = m[n]
            visible_to(t, dept)
            i = pick(t, dept, (), handler=True)
            a = t.assignments[i]
            if a.open_supervisions == 0:
                raise Refused(NotFound, "not_found.supervision", ticket=t.number)
            require_assignment(t, i, "supervise_reply", (*OPEN, "done"))
            a.open_supervisions -= 1

        self.attempt(
            "supervise_reply",
            n,
            plan,
            lambda: supervision.supervise_reply(self.hl, self.who[HANDLER[dept]], n, "正在办理"),
        )

    # --- rules ------------------------------------------------------------------------------------

    @rule(
        kind=st.sampled_from(["register", "queue", "dispatch"]),
        depts=st.permutations(DEPTS),
        n_co=st.integers(0, 2),
    )
    def register(self, kind: str, depts: list[str], n_co: int) -> None:
        self.do_register(kind, depts[0], tuple(depts[1 : 1 + n_co]))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def queue(self, data: st.DataObject) -> None:
        self.do_queue(self.choose(data, lambda t: t.state == "registered").number)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), depts=st.permutations(DEPTS), n_co=st.integers(0, 2))
    def dispatch(self, data: st.DataObject, depts: list[str], n_co: int) -> None:
        t = self.choose(data, lambda t: t.state in BEFORE_DISPATCH)
        self.do_dispatch(t.number, depts[0], tuple(depts[1 : 1 + n_co]))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def sign(self, data: st.DataObject) -> None:
        t = self.choose(data, lambda t: any(a.state == "pending_sign" for a in t.assignments))
        self.do_sign(t.number, self.choose_dept(data, t, lambda a: a.state == "pending_sign"))

    @precondition(lambda self: self.model)
    @rule(data=st.data(), reason=st.sampled_from(REASONS))
    def return_order(self, data: st.DataObject, reason: str) -> None:
        def returnable(a: MAssignment) -> bool:
            return a.state in ("pending_sign", "in_progress")

        t = self.choose(data, lambda t: any(returnable(a) for a in t.assignments))
        self.do_return(t.number, self.choose_dept(data, t, returnable), reason)

    @precondition(lambda self: self.model)
    @rule(
        data=st.data(),
        accept=st.booleans(),
        redispatch_to=st.none() | st.sampled_from(DEPTS),
        name_dept=st.booleans(),
    )
    def review_return(
        self, data: st.DataObject, accept: bool, redispatch_to: str | None, name_dept: bool
    ) -> None:
        t = self.choose(data, lambda t: any(a.state == "return_review" for a in t.assignments))
        dept = (
            self.choose_dept(data, t, lambda a: a.state == "return_review") if name_dept else None
        )
        self.do_review_return(t.number, accept=accept, redispatch_to=redispatch_to, dept=dept)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), days=st.integers(1, 10))
    def request_extension(self, data: st.DataObject, days: int) -> None:
        t = self.choose(data, lambda t: any(a.state == "in_progress" for a in t.assignments))
        dept = self.choose_dept(data, t, lambda a: a.state == "in_progress")
        self.do_request_extension(t.number, dept, days)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), approve=st.booleans(), name_dept=st.booleans())
    def decide_extension(self, data: st.DataObject, approve: bool, name_dept: bool) -> None:
        def waiting(a: MAssignment) -> bool:
            return a.state == "extension_review"

        t = self.choose(data, lambda t: any(waiting(a) for a in t.assignments))
        dept = self.choose_dept(data, t, waiting) if name_dept else None
        self.do_decide_extension(t.number, approve=approve, dept=dept)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def co_reply(self, data: st.DataObject) -> None:
        def replying(a: MAssignment) -> bool:
            return a.role == "co" and a.state == "in_progress"

        t = self.choose(data, lambda t: any(replying(a) for a in t.assignments))
        self.do_reply(t.number, self.choose_dept(data, t, replying))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def lead_reply(self, data: st.DataObject) -> None:
        def replying(a: MAssignment) -> bool:
            return a.role == "lead" and a.state == "in_progress"

        t = self.choose(data, lambda t: any(replying(a) for a in t.assignments))
        self.do_reply(t.number, self.choose_dept(data, t, replying))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        def releasable(a: MAssignment) -> bool:
            return a.role == "co" and a.state in OPEN

        t = self.choose(data, lambda t: any(releasable(a) for a in t.assignments))
        self.do_release(t.number, self.choose_dept(data, t, releasable))

    @precondition(lambda self: self.model)
    @rule(data=st.data(), passed=st.booleans())
    def review(self, data: st.DataObject, passed: bool) -> None:
        t = self.choose(data, lambda t: t.state == "pending_review")
        self.do_review(t.number, passed=passed)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), kind=st.sampled_from(sorted(VISITS)))
    def visit(self, data: st.DataObject, kind: str) -> None:
        self.do_visit(self.choose(data, lambda t: t.state == "pending_visit").number, kind)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), extra=st.sets(st.sampled_from(DEPTS), max_size=1))
    def redo(self, data: st.DataObject, extra: set[str]) -> None:
        t = self.choose(data, lambda t: t.state == "unsatisfied")
        done_co = sorted({a.dept for a in t.assignments if a.role == "co" and a.state == "done"})
        picked = data.draw(st.sets(st.sampled_from(done_co)) if done_co else st.just(set()))
        self.do_redo(t.number, tuple(sorted(picked | extra)))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def close_unsatisfied(self, data: st.DataObject) -> None:
        self.do_close(self.choose(data, lambda t: t.state == "unsatisfied").number)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        child = self.choose(data, lambda t: t.state in ("registered", "pending_dispatch"))
        parent = self.choose(data, lambda t: t.parent is None and t.state not in FINISHED)
        self.do_merge(child.number, parent.number)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        self.do_withdraw(self.choose(data, lambda t: t.state not in FINISHED).number)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def invalid(self, data: st.DataObject) -> None:
        self.do_invalid(self.choose(data, lambda t: t.state in BEFORE_DISPATCH).number)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        self.do_answer(self.choose(data, lambda t: t.state in BEFORE_DISPATCH).number)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def reopen(self, data: st.DataObject) -> None:
        self.do_reopen(self.choose(data, lambda t: t.state == "closed").number)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def archive(self, data: st.DataObject) -> None:
        self.do_archive(self.choose(data, lambda t: t.state == "closed").number)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), name_dept=st.booleans())
    def urge(self, data: st.DataObject, name_dept: bool) -> None:
        def urgeable(a: MAssignment) -> bool:
            return a.state in URGE_STATES

        t = self.choose(data, lambda t: any(urgeable(a) for a in t.assignments))
        self.do_urge(t.number, self.choose_dept(data, t, urgeable) if name_dept else None)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), name_dept=st.booleans())
    def supervise(self, data: st.DataObject, name_dept: bool) -> None:
        def supervisable(a: MAssignment) -> bool:
            return a.state in SUPERVISE_STATES

        t = self.choose(data, lambda t: any(supervisable(a) for a in t.assignments))
        self.do_supervise(t.number, self.choose_dept(data, t, supervisable) if name_dept else None)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def supervise_reply(self, data: st.DataObject) -> None:
        def asked(a: MAssignment) -> bool:
            return a.open_supervisions > 0 and a.state not in ENDED

        t = self.choose(data, lambda t: any(asked(a) for a in t.assignments))
        self.do_supervise_reply(t.number, self.choose_dept(data, t, asked))

    @initialize(data=st.data(), count=st.integers(1, 3))
    def seed(self, data: st.DataObject, count: int) -> None:
        """Start with 1-3 orders walked to random depths, so that short examples reach the
        later states (review, visit, redo, reopen) that single rules rarely line up for."""
        for _ in range(count):
            depts = data.draw(st.permutations(DEPTS), label="depts")
            n_co = data.draw(st.integers(0, 2), label="co-handlers")
            kind = data.draw(st.sampled_from(["queue", "dispatch"]), label="disposition")
            number = self.do_register(kind, depts[0], tuple(depts[1 : 1 + n_co]))
            self.walk(data, number, data.draw(st.integers(0, 20), label="steps"))

    @precondition(lambda self: any(t.state != "archived" for t in self.model.values()))
    @rule(data=st.data(), steps=st.integers(1, 6))
    def drive(self, data: st.DataObject, steps: int) -> None:
        """Walk one order a few steps, mostly forward along the loop."""
        t = self.choose(data, lambda t: t.state not in ("archived", "merged"))
        self.walk(data, t.number, steps)

    def walk(self, data: st.DataObject, number: str, steps: int) -> None:
        for _ in range(steps):
            before = self.model[number].state
            if not self.step_forward(data, self.model[number]):
                break
            self.check_all()
            if self.model[number].state == before and data.draw(st.booleans(), label="stop"):
                break

    def step_forward(self, data: st.DataObject, t: MTicket) -> bool:
        """One plausible next action for the order (the model still judges it)."""
        n, state = t.number, t.state

        def one_of(*options: str) -> str:
            return data.draw(st.sampled_from(options), label=f"next from {state}")

        co_open = [a for a in t.assignments if a.role == "co" and a.state in OPEN - {"replied"}]
        lead = t.assignments[t.lead] if t.lead is not None else None
        if state == "registered":
            if one_of("queue", "dispatch") == "queue":
                self.do_queue(n)
            else:
                self.do_dispatch(n, "M01", ("M02",))
        elif state == "pending_dispatch":
            depts = data.draw(st.permutations(DEPTS), label="depts")
            self.do_dispatch(n, depts[0], tuple(depts[1 : 1 + data.draw(st.integers(0, 2))]))
        elif state in DISPATCHED - {"pending_review"}:
            # The lead or a co-handler that still has to act (the lead may try to reply first).
            assert lead is not None
            self.act_on(data, n, data.draw(st.sampled_from([lead, *co_open]), label="who"))
        elif state == "pending_review":
            self.do_review(n, passed=one_of("pass", "pass", "fail") == "pass")
        elif state == "pending_visit":
            kind = one_of("unsatisfied", *VISITS)
            if kind == "unreachable" and data.draw(st.booleans(), label="call again later"):
                self.clock.advance(minutes=RETRY_GAP.total_seconds() / 60)
            self.do_visit(n, kind)
        elif state == "unsatisfied":
            if _redo_would_strand(t) or one_of("redo", "close") == "close":
                self.do_close(n)
            else:
                done_co = sorted(
                    {a.dept for a in t.assignments if a.role == "co" and a.state == "done"}
                )
                picked = data.draw(st.sets(st.sampled_from(done_co))) if done_co else set()
                if not data.draw(st.integers(0, 5), label="any dept"):
                    picked.add(data.draw(st.sampled_from(DEPTS), label="extra"))
                self.do_redo(n, tuple(sorted(picked)))
        elif state == "closed":
            if one_of("archive", "reopen") == "archive":
                self.do_archive(n)
            else:
                self.do_reopen(n)
        else:
            return False
        return True

    def act_on(self, data: st.DataObject, n: str, a: MAssignment) -> None:
        """The department's (or, for a pending decision, the hotline's) next move on ``a``."""
        options = {
            "pending_sign": ("sign", "sign", "return"),
            "in_progress": ("reply", "reply", "extension", "return"),
            "return_review": ("reject", "accept", "requeue"),
            "extension_review": ("approve", "deny"),
        }.get(a.state, ())
        if not options:
            return
        move = data.draw(st.sampled_from(options), label=f"{a.role} {a.state}")
        if move == "sign":
            self.do_sign(n, a.dept)
        elif move == "return":
            self.do_return(n, a.dept, data.draw(st.sampled_from(REASONS), label="reason"))
        elif move == "reply":
            self.do_reply(n, a.dept)
        elif move == "extension":
            self.do_request_extension(n, a.dept, data.draw(st.integers(1, 10), label="days"))
        elif move in ("reject", "accept", "requeue"):
            target = data.draw(st.sampled_from([d for d in DEPTS if d != a.dept]), label="to")
            self.do_review_return(
                n,
                accept=move != "reject",
                redispatch_to=target if move == "accept" else None,
                dept=a.dept,
            )
        else:
            self.do_decide_extension(n, approve=move == "approve", dept=a.dept)

    # --- invariants -------------------------------------------------------------------------------

    @invariant()
    def invariants_hold(self) -> None:
        self.check_all()

    def check_all(self) -> None:
        self.database_matches_the_model()
        self.audit_chain_verifies()

    def database_matches_the_model(self) -> None:
        with self.hl.reading() as s:
            tickets = {t.number: t for t in s.exec(select(Ticket))}
            by_ticket: dict[int, list[Assignment]] = defaultdict(list)
            for row in s.exec(select(Assignment).order_by(col(Assignment.id))):
                by_ticket[row.ticket_id].append(row)
        numbers = {t.id: number for number, t in tickets.items()}
        assert set(tickets) == set(self.model)
        for number, m in self.model.items():
            t = tickets[number]
            rows = by_ticket[t.id or 0]
            assert t.state == m.state, (number, t.state, m)
            assert [(self.dept_code[a.dept_id], a.role, a.state) for a in rows] == [
                (a.dept, a.role, a.state) for a in m.assignments
            ], (number, m)
            assert [(a.extension_requests, a.extension_days_granted) for a in rows] == [
                (a.extension_requests, a.extension_granted) for a in m.assignments
            ], (number, m)
            if m.lead is not None:
                assert t.lead_assignment_id == rows[m.lead].id
            assert numbers.get(t.parent_id) == m.parent
            assert t.ending == m.ending
            assert t.visit_attempts == m.visit_attempts
            assert t.handover_count == m.handovers, (number, t.handover_count, m)
            # Hand-overs are never taken back.
            assert t.handover_count >= self.handovers_seen.get(number, 0)
            self.handovers_seen[number] = t.handover_count
            # While dispatched, the order follows its lead assignment.
            if t.state in DISPATCHED:
                lead = next(a for a in rows if a.id == t.lead_assignment_id)
                assert FOLLOW.get(lead.state) == t.state, (number, t.state, lead.state)
            # A finished order says how and when it ended; an open one does not.
            if t.state in FINISHED:
                assert t.ending is not None and t.closed_at is not None, number
            else:
                assert t.ending is None and t.closed_at is None, number
            # One lead at a time.
            assert sum(1 for a in rows if a.role == "lead" and a.state in OPEN) <= 1, number

    def audit_chain_verifies(self) -> None:
        report = audit.verify(self.hl)
        assert report.ok, report
        rows = audit_deep.verify_rows(self.hl)  # every row is what its events say
        assert rows.ok, rows.mismatches


def test_lifecycle_machine(sqlite_template: Path, key_file: Path, tmp_path: Path) -> None:
    LifecycleMachine.env = MachineEnv(sqlite_template, key_file, tmp_path)
    profile = hyp_settings.default
    assert profile is not None
    try:
        run_state_machine_as_test(
            LifecycleMachine,
            settings=hyp_settings(
                profile, stateful_step_count=min(25, profile.stateful_step_count)
            ),
        )
    finally:
        LifecycleMachine.env = None
