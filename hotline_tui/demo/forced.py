"""Forced plans: a few orders whose turns are fixed, so that even a small demo shows every state
and every ending of the loop and every side path (returns, extensions, supervision, redo...).

Open states are reached by recent orders that stop there (with short delays, so that they get
there before the end of the period); endings and side paths by older orders that run to the end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hotline_tui.demo import text
from hotline_tui.demo.plans import (
    INVALID_CALLS,
    WITHDRAW_NOTES,
    OrderPlan,
    reached,
    unreached,
)
from hotline_tui.demo.simulation import window
from hotline_tui.demo.world import DemoWorld
from hotline_tui.domain.states import CallerKind, TicketState, VisitContact
from hotline_tui.services.tickets.visits import VisitResult


@dataclass(frozen=True)
class Forced:
    """A forced plan: when it should arrive, and how it differs from a natural one."""

    name: str
    low: timedelta  # arrival between end - low …
    high: timedelta  # … and end - high
    changes: dict[str, object]


def _forced() -> list[Forced]:
    recent = (timedelta(days=18), timedelta(days=9))
    old = (timedelta(days=330), timedelta(days=60))
    stops: list[tuple[str, dict[str, object]]] = [
        ("pending_sign", {}),
        ("in_progress", {}),
        ("return_review", {"lead_return": "reject"}),
        ("extension_review", {"extension": "approve"}),
        ("pending_review", {}),
        ("pending_visit", {}),
        ("unsatisfied", {"visits": ["unsatisfied"]}),
        ("in_progress", {"duplicates": 1}),  # its duplicate stays merged
    ]
    forced = [
        Forced(
            "registered",
            timedelta(hours=8),
            timedelta(0),
            {"disposition": "register", "stop": TicketState.REGISTERED.value},
        ),
        Forced(
            "pending_dispatch",
            timedelta(days=1),
            timedelta(0),
            {"stop": TicketState.PENDING_DISPATCH.value},
        ),
    ]
    forced += [
        Forced(f"stop:{state}", *recent, {"stop": state, "fast": True, **extra})
        for state, extra in stops
    ]
    features: list[tuple[str, dict[str, object]]] = [
        ("unsatisfied_closed", {"visits": ["unsatisfied"], "redo": [False]}),
        ("unreachable", {"visits": ["unreachable"] * 9}),
        ("declined", {"visits": ["declined"]}),
        ("withdrawn_midway", {"withdraw_midway": True}),
        ("withdrawn_at_intake", {"disposition": "withdraw"}),
        ("invalid_abusive", {"disposition": "invalid", "abusive": True}),
        ("co_return_redispatch", {"co": 1, "co_return": "redispatch"}),
        ("co_return_reject", {"co": 1, "co_return": "reject"}),
        ("lead_return_redispatch", {"lead_return": "redispatch"}),
        ("lead_return_requeue", {"lead_return": "requeue"}),
        ("lead_return_reject", {"lead_return": "reject", "return_after_sign": True}),
        ("extension_approve", {"extension": "approve"}),
        ("extension_deny", {"extension": "deny"}),
        ("urge", {"urge": True}),
        ("supervise", {"supervise": True}),
        ("escalate", {"escalate": True}),
        ("consult", {"consult": True, "co": 1}),
        ("review_fail", {"review_fails": 1}),
        (
            "redo_with_co",
            {"co": 1, "visits": ["unsatisfied", "satisfied"], "redo": [True], "redo_co": True},
        ),
        ("reopen", {"reopen": True}),
        ("release", {"co": 1, "release_co": True}),
        ("duplicate", {"duplicates": 1}),
        ("duplicate_of_withdrawn", {"duplicates": 1, "withdraw_midway": True}),
    ]
    forced += [Forced(name, *old, extra) for name, extra in features]
    return forced


FORCED = _forced()


def forced_plans(rng: random.Random, times: list[datetime], end: datetime) -> dict[int, Forced]:
    """Which arrivals (by index) get which forced plan; a few copies of each for large demos."""
    copies = min(3, 1 + len(times) // 20000)
    chosen: dict[int, Forced] = {}
    for forced in FORCED:
        for _ in range(copies):
            span = window(times, end - forced.low, end - forced.high)
            free = [i for i in span if i not in chosen]
            if not free:
                free = [i for i in range(len(times) - 1, -1, -1) if i not in chosen][:1]
            if free:
                chosen[rng.choice(free)] = forced
    return chosen


def apply_forced(world: DemoWorld, plan: OrderPlan, forced: Forced) -> OrderPlan:
    """Turn a natural plan into the forced one (a dispatched complaint unless told otherwise)."""
    rng = plan.rng
    changes = dict(forced.changes)
    disposition = str(changes.pop("disposition", "queue"))
    base = replace(
        plan,
        disposition="queue",
        lead_return=None,
        co_return=None,
        extension=None,
        urge=False,
        supervise=False,
        escalate=False,
        consult=False,
        review_fails=0,
        withdraw_midway=False,
        release_co=False,
        duplicates=0,
        reopen=False,
        visits=[reached(rng, 0.0)],
        redo=[False],
        redo_co=False,
        co=(),
    )
    if plan.intake.request_type in ("consult", "other", "praise") or disposition == "invalid":
        request_type = "other" if disposition == "invalid" else "complaint"
        base.intake = replace(
            plan.intake,
            request_type=request_type,
            title=plan.intake.title[:-2] + text.REQUEST_TYPE_LABELS[request_type],
        )
    if disposition == "invalid":
        base.intake = replace(
            base.intake,
            description=INVALID_CALLS[3],
            category=None,
            title="",
            address="",
            caller=replace(
                base.intake.caller,
                kind=CallerKind.PERSON.value,
                name=base.intake.caller.name or "匿名",
                phone=base.intake.caller.phone or text.mobile(rng),
            ),
        )
        base.text = "来电人辱骂话务员。"
    elif disposition == "withdraw":
        base.text = WITHDRAW_NOTES[0]
    base.lead = world.lead(base.leaf, base.street)[0]
    base.disposition = disposition
    visits = changes.pop("visits", None)
    if isinstance(visits, list):
        base.visits = [_named_visit(rng, str(v)) for v in visits][: _visit_cap(world, visits)]
    if changes.pop("co", None):
        base.co = (world.other_municipal(rng, base.lead),)
    for name, value in changes.items():  # lists are consumed by the flow: copy them
        setattr(base, name, list(value) if isinstance(value, list) else value)
    return base


def _visit_cap(world: DemoWorld, visits: list[object]) -> int:
    return world.visit_max_attempts if "unreachable" in visits else len(visits)


def _named_visit(rng: random.Random, name: str) -> VisitResult:
    if name == "unsatisfied":
        return reached(rng, unsatisfied_share=1.0)
    if name == "satisfied":
        return reached(rng, unsatisfied_share=0.0)
    return unreached(VisitContact(name))
