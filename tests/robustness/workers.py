"""Worker functions for the multi-process robustness tests (importable by "spawn" children).

Each worker builds its own ``Hotline`` from the settings it is given, exactly as a separate
console process would, and reports what happened as plain data (no exceptions cross the
process boundary): successes, ``Conflict`` and ``Busy`` refusals, and anything else as text.
"""

from __future__ import annotations

import random
import traceback
from typing import Any

from sqlmodel import select

from db.engine import make_engines
from db.models import Assignment, Ticket
from hotline_tui.domain.errors import Busy, Conflict
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import dispatch, handling, intake, supervision
from hotline_tui.services.tickets.intake import Disposition
from hotline_tui.settings import Settings
from tests.world import actors

BARRIER_TIMEOUT = 120.0


def open_core(settings: Settings) -> Hotline:
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
            intake.edit(hl, who["op"], number, {"description": f"修改 {tag}"}, if_version=seen)
    except Exception as exc:  # noqa: BLE001  (classified and reported to the parent)
        return classify(exc)
    return "ok"


def contend(
    settings: Settings,
    index: int,
    numbers: list[str],
    rounds: int,
    free_ops: int,
    barrier: Any,
    results: Any,
) -> None:
    """Act on the shared orders with ``if_version``, first in lock-step rounds, then freely.

    Lock-step round ``r``: every worker reads the version of order ``numbers[r % n]``, waits for
    the others at the barrier, then saves against that version: exactly one save can succeed.
    Free phase: read-then-save on random orders with no coordination at all.
    Reports every attempt as ``(phase, round, kind, number, tag, outcome)``.
    """
    attempts: list[tuple[str, int, str, str, str, str]] = []
    crash = ""
    hl: Hotline | None = None
    try:
        hl = open_core(settings)
        who = actors(hl)
        for r in range(rounds):
            number = numbers[r % len(numbers)]
            kind = "urge" if r % 2 == 0 else "edit"
            seen = read_version(hl, number, kind)
            barrier.wait(BARRIER_TIMEOUT)
            tag = f"w{index}-r{r}"
            attempts.append(("lockstep", r, kind, number, tag, attempt(hl, who, kind, number, seen, tag)))
        rng = random.Random(index)  # noqa: S311  (test data, not crypto)
        for i in range(free_ops):
            number = rng.choice(numbers)
            kind = rng.choice(("urge", "edit"))
            seen = read_version(hl, number, kind)
            tag = f"w{index}-f{i}"
            attempts.append(("free", i, kind, number, tag, attempt(hl, who, kind, number, seen, tag)))
    except BaseException:  # noqa: BLE001  (reported, never lost)
        crash = traceback.format_exc()
    finally:
        if hl is not None:
            hl.close()
        results.put({"index": index, "attempts": attempts, "crash": crash})


def register_mix(
    settings: Settings, index: int, count: int, shared: str, barrier: Any, results: Any
) -> None:
    """Register ``count`` new orders and urge ``shared`` between them, without ``if_version``."""
    registered: list[str] = []
    outcomes: list[tuple[str, str]] = []
    crash = ""
    hl: Hotline | None = None
    try:
        hl = open_core(settings)
        who = actors(hl)
        barrier.wait(BARRIER_TIMEOUT)
        for i in range(count):
            try:
                reg = intake.register(
                    hl, who["op"], order_input(f"并发受理 w{index} #{i}", f"1380013{index:02d}{i:02d}")
                )
                registered.append(reg.number)
                outcomes.append(("register", "ok"))
            except Exception as exc:  # noqa: BLE001
                outcomes.append(("register", classify(exc)))
            try:
                supervision.urge(hl, who["sup"], shared, f"无版本催办 w{index} #{i}")
                outcomes.append(("urge", "ok"))
            except Exception as exc:  # noqa: BLE001
                outcomes.append(("urge", classify(exc)))
    except BaseException:  # noqa: BLE001
        crash = traceback.format_exc()
    finally:
        if hl is not None:
            hl.close()
        results.put(
            {"index": index, "registered": registered, "outcomes": outcomes, "crash": crash}
        )


def write_forever(settings: Settings, calls: Any, registers: Any) -> None:
    """Register and dispatch orders through the services until killed.

    ``calls`` counts service calls that returned (committed); ``registers`` counts committed
    registrations. Both are bumped only after the call returned, so the database holds at least
    what they say at any moment.
    """
    hl = open_core(settings)
    who = actors(hl)
    i = 0
    while True:
        text = f"崩溃测试工单 {i}"
        if i % 2 == 0:
            reg = intake.register(hl, who["op"], order_input(text))
            with registers.get_lock():
                registers.value += 1
            with calls.get_lock():
                calls.value += 1
            dispatch.dispatch(hl, who["disp"], reg.number, "M01", ["M02"] if i % 4 == 0 else [])
        else:
            reg = intake.register(
                hl,
                who["op"],
                order_input(text),
                Disposition(kind="dispatch", lead_dept="M01", co_depts=("M03",), note="直接派单"),
            )
            with registers.get_lock():
                registers.value += 1
        with calls.get_lock():
            calls.value += 1
        if i % 3 == 0:
            handling.sign(hl, who["h1"], reg.number)
            with calls.get_lock():
                calls.value += 1
        i += 1
