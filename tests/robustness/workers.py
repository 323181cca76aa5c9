"""Worker functions for the multi-process robustness tests (importable by "spawn" children).

Each worker builds its own ``Hotline`` from the settings it is given, exactly as a separate
console process would, and reports what happened as plain data (no exceptions cross the
process boundary): successes, ``Conflict`` and ``Busy`` refusals, and anything else as text.
"""

from __future__ import annotations

import random
import time
import traceback
from collections.abc import Callable
from contextlib import closing
from typing import Any

from sqlmodel import select

from db.engine import make_engines
from db.models import Assignment, Ticket
from hotline_tui.domain.errors import Busy, Conflict
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.text import segment_for_search
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import dispatch, editing, handling, intake, supervision
from hotline_tui.services.tickets.intake import Disposition
from hotline_tui.settings import Settings
from tests.world import actors

BARRIER_TIMEOUT = 120.0


def open_core(settings: Settings) -> Hotline:
    """The worker's own core, warmed up like a console that has been running for a while.

    The Chinese segmenter loads its dictionary (about a second) on first use, and that first use
    is inside the write transaction of a registration or an edit; warming it here keeps that
    one-off cost out of the contended part of the test.
    """
    segment_for_search("预热分词")
    return Hotline(settings, make_engines(settings.db_url))


def order_input(text: str, phone: str = "13800138000") -> IntakeInput:
    return IntakeInput(
        request_type="complaint",
        description=text,
        category="T003",
        area="D1",
        caller=CallerInput(name="张三", phone=phone),
    )


def read_version(hl: Hotline, number: str, kind: str) -> int:
    """The version a user would see: the lead assignment's for urge, the order's for edit."""
    with hl.reading() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
        if kind == "edit":
            return int(ticket.version)
        lead = session.exec(
            select(Assignment).where(Assignment.id == ticket.lead_assignment_id)
        ).one()
        return int(lead.version)


def classify(exc: BaseException) -> str:
    if isinstance(exc, Conflict):
        return "conflict"
    if isinstance(exc, Busy):
        return "busy"
    return f"other: {type(exc).__module__}.{type(exc).__name__}: {exc}"


def attempt(
    hl: Hotline, who: dict[str, Actor], kind: str, number: str, seen: int | None, tag: str
) -> str:
    """One user action on ``number`` saved against version ``seen``: "ok" or the refusal."""
    try:
        if kind == "urge":
            supervision.urge(hl, who["disp"], number, f"催办 {tag}", if_version=seen)
        else:
            editing.edit(hl, who["op"], number, {"description": f"修改 {tag}"}, if_version=seen)
    except Exception as exc:
        return classify(exc)
    return "ok"


def contend(
    index: int, barrier: Any, settings: Settings, numbers: list[str], rounds: int, free_ops: int
) -> dict[str, Any]:
    """Act on the shared orders with ``if_version``, first in lock-step rounds, then freely.

    Lock-step round ``r``: every worker reads the version of order ``numbers[r % n]``, waits for
    the others at the barrier, then saves against that version: exactly one save can succeed.
    Free phase: read-then-save on random orders with no coordination at all.
    Reports every attempt as ``(phase, round, kind, number, tag, outcome)``.
    """
    attempts: list[tuple[str, int, str, str, str, str]] = []
    with closing(open_core(settings)) as hl:
        who = actors(hl)
        for r in range(rounds):
            number = numbers[r % len(numbers)]
            kind = "urge" if r % 2 == 0 else "edit"
            seen = read_version(hl, number, kind)
            barrier.wait(BARRIER_TIMEOUT)
            tag = f"w{index}-r{r}"
            outcome = attempt(hl, who, kind, number, seen, tag)
            attempts.append(("lockstep", r, kind, number, tag, outcome))
        rng = random.Random(index)
        for i in range(free_ops):
            number = rng.choice(numbers)
            kind = rng.choice(("urge", "edit"))
            seen = read_version(hl, number, kind)
            tag = f"w{index}-f{i}"
            outcome = attempt(hl, who, kind, number, seen, tag)
            attempts.append(("free", i, kind, number, tag, outcome))
    return {"attempts": attempts}


def register_mix(
    index: int, barrier: Any, settings: Settings, count: int, shared: str
) -> dict[str, Any]:
    """Register ``count`` new orders and urge ``shared`` between them, without ``if_version``."""
    registered: list[str] = []
    outcomes: list[tuple[str, str]] = []
    with closing(open_core(settings)) as hl:
        who = actors(hl)
        barrier.wait(BARRIER_TIMEOUT)
        for i in range(count):
            text, phone = f"并发受理 w{index} #{i}", f"1380013{index:02d}{i:02d}"
            try:
                registered.append(intake.register(hl, who["op"], order_input(text, phone)).number)
                outcomes.append(("register", "ok"))
            except Exception as exc:
                outcomes.append(("register", classify(exc)))
            try:
                supervision.urge(hl, who["sup"], shared, f"无版本催办 w{index} #{i}")
                outcomes.append(("urge", "ok"))
            except Exception as exc:
                outcomes.append(("urge", classify(exc)))
    return {"registered": registered, "outcomes": outcomes}


SAME_PERSON = CallerInput(name="王五", phone="13900139000")
SAME_ENTERPRISE = CallerInput(
    kind="enterprise", name="测试科技有限公司", credit_code="91110000600037341L"
)


def register_same_caller(
    index: int, barrier: Any, settings: Settings, caller_kind: str
) -> dict[str, Any]:
    """All workers register, at the same moment, a call from the same caller not yet known."""
    caller = SAME_PERSON if caller_kind == "person" else SAME_ENTERPRISE
    order = IntakeInput(request_type="consult", description=f"同一来电人 w{index}", caller=caller)
    with closing(open_core(settings)) as hl:
        who = actors(hl)
        barrier.wait(BARRIER_TIMEOUT)
        try:
            number = intake.register(hl, who["op"], order).number
            return {"number": number, "outcome": "ok"}
        except Exception as exc:
            return {"number": None, "outcome": classify(exc)}


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "contend": contend,
    "register_mix": register_mix,
    "register_same_caller": register_same_caller,
}


def serve(index: int, barrier: Any, tasks: Any, results: Any) -> None:
    """A long-lived worker process: run the tasks sent to it until it receives ``None``.

    Starting a process and loading the segmenter costs seconds of CPU; a pool that outlives one
    test pays it once for every test of the module. Each task builds its own ``Hotline`` from
    the settings it is given, so every task still runs as a separate console process would.
    """
    segment_for_search("预热分词")
    while True:
        task = tasks.get()
        if task is None:
            return
        name, args = task
        try:
            result = TASKS[name](index, barrier, *args)
            result["crash"] = ""
        except BaseException:
            result = {"crash": traceback.format_exc()}
        result["index"] = index
        results.put(result)


def write_forever(
    settings: Settings, calls: Any, registers: Any, hold_at: int = 0, holding: Any = None
) -> None:
    """Register and dispatch orders through the services until killed.

    ``calls`` counts service calls that returned (committed); ``registers`` counts committed
    registrations. Both are bumped only after the call returned, so the database holds at least
    what they say at any moment.

    With ``hold_at`` = N, the N-th transaction stops for good after its order rows and audit
    events are written and the chain head is locked, just before its commit, and sets
    ``holding``: the parent then kills the process inside an open write transaction.
    """
    if hold_at:
        original = uow_module.append_events
        appended = 0

        def append_then_hold(session: Any, events: Any, key: Any) -> None:
            nonlocal appended
            original(session, events, key)
            appended += 1
            if appended >= hold_at:
                holding.value = 1
                time.sleep(3600)

        uow_module.append_events = append_then_hold
    hl = open_core(settings)
    who = actors(hl)
    i = 0
    while True:
        text = f"崩溃测试工单 {i}"
        if i % 2 == 0:
            reg = intake.register(hl, who["op"], order_input(text))
            _bump(registers)
            _bump(calls)
            dispatch.dispatch(hl, who["disp"], reg.number, "M01", ["M02"] if i % 4 == 0 else [])
        else:
            disposition = Disposition(
                kind="dispatch", lead_dept="M01", co_depts=("M03",), note="直接派单"
            )
            reg = intake.register(hl, who["op"], order_input(text), disposition)
            _bump(registers)
        _bump(calls)
        if i % 3 == 0:
            handling.sign(hl, who["h1"], reg.number)
            _bump(calls)
        i += 1


def _bump(counter: Any) -> None:
    with counter.get_lock():
        counter.value += 1
