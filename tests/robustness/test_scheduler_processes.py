"""Three scheduler processes on one database, a fake clock, SQLite and PostgreSQL.

Orders dispatched on Monday 2026-03-02 09:30 (a consultation: warned Wednesday 13:48, due
Thursday 09:30); half of them signed, half left waiting to be signed. Every process walks the
same timeline, in step: Wednesday before and after the warning, Thursday around the deadline,
then nothing for three hours, Friday morning (督办), a week later (通报).

- With the lease, one process acts and the other two idle; without it (three schedulers started
  by mistake) all three race for the same steps. Either way each step is taken exactly once per
  assignment and deadline: one claim row, one audit event, one 督办, one count on the order.
- A scheduler killed (SIGKILL) inside a transaction, after inserting its claim, leaves nothing
  half done; restarted, it takes every step that was due, once.
- After the three-hour outage one scan catches up (no replay per missed minute).
"""

from __future__ import annotations

import multiprocessing
import queue
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from db.engine import make_engines
from db.models import Assignment, AuditEvent, EscalationStep, SchedulerJob, Supervision, Ticket
from hotline_tui.services.admin import audit
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets import handling
from tests.robustness import scheduler_workers
from tests.services.tickets.helpers import new_order

pytestmark = pytest.mark.slow

SH = ZoneInfo("Asia/Shanghai")
ORDERS = 24
JOIN_TIMEOUT = 240.0


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SH).astimezone(UTC)


TIMELINE = [
    local(4, 13, 0),  # nothing yet
    local(4, 14, 0),  # yellow + 催办 (signed ones); sign overdue since Tuesday (unsigned)
    local(5, 9, 29),
    local(5, 9, 30),  # red
    local(5, 9, 31),
    local(5, 12, 31),  # back after three hours down (lunch: no ladder)
    local(6, 9, 0),  # 督办
    local(6, 9, 1),
    local(13, 9, 0),  # 通报 (督办 Friday 09:00 + 5 wd = Thursday 17:30)
]
EXPECTED_SIGNED = ["near_due", "urge", "overdue", "supervise", "notice"]
EXPECTED_UNSIGNED = ["sign_overdue", "near_due", "urge", "overdue", "supervise", "notice"]


@pytest.fixture
def orders(settings, clock) -> list[str]:
    hl = Hotline(settings, make_engines(settings.db_url), clock=clock)
    from tests.world import actors

    who = actors(hl)
    numbers = [new_order(hl, who, lead="M01", phone=f"1380013{i:04d}") for i in range(ORDERS)]
    for number in numbers[::2]:
        handling.sign(hl, who["h1"], number)
    hl.close()
    return numbers


def run_processes(settings, count: int, *, use_lease: bool, **kwargs) -> list[tuple[Any, ...]]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(count) if count > 1 else None
    results = ctx.Queue()
    timeline = [at.isoformat() for at in kwargs.pop("timeline", TIMELINE)]
    procs = [
        ctx.Process(
            target=scheduler_workers.walk,
            args=(settings, timeline, f"proc-{i}", use_lease, barrier, results),
            kwargs=kwargs,
        )
        for i in range(count)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(JOIN_TIMEOUT)
    lines = []
    while True:
        try:
            lines.append(results.get(timeout=1))
        except queue.Empty:
            break
    for proc in procs:
        if proc.is_alive():
            proc.kill()
    return lines


def assert_exactly_once(settings) -> None:
    """Every expected step once per assignment, each with one act behind it."""
    hl = Hotline(settings, make_engines(settings.db_url))
    try:
        assert audit.verify(hl, use_checkpoint=False).ok
        with hl.reading() as s:
            steps = list(s.exec(select(EscalationStep).order_by(col(EscalationStep.seq))))
            signed = {a.id: a.signed_at is not None for a in s.exec(select(Assignment))}
            events = Counter(
                (e.assignment_id, e.action)
                for e in s.exec(
                    select(AuditEvent).where(col(AuditEvent.assignment_id).is_not(None))
                )
            )
            supervisions = Counter(
                (sv.assignment_id, sv.kind) for sv in s.exec(select(Supervision))
            )
            urge_counts = [t.urge_count for t in s.exec(select(Ticket))]
        per_assignment: dict[int, list[str]] = {}
        for row in steps:
            per_assignment.setdefault(row.assignment_id, []).append(row.step)
            assert row.seq is not None
        assert len(per_assignment) == ORDERS
        for assignment_id, taken in per_assignment.items():
            expected = EXPECTED_SIGNED if signed[assignment_id] else EXPECTED_UNSIGNED
            assert sorted(taken) == sorted(expected), (assignment_id, taken)
            assert events[(assignment_id, "urge")] == 1
            assert events[(assignment_id, "supervise")] == 1
            assert events[(assignment_id, "public_notice")] == 1
            assert events[(assignment_id, "deadline.overdue")] == 1
            assert supervisions[(assignment_id, "supervise")] == 1
            assert supervisions[(assignment_id, "urge")] == 1
        assert urge_counts == [1] * ORDERS
        # The seq on each step is its own event's.
        assert len({row.seq for row in steps}) == len(steps)
    finally:
        hl.close()


def test_three_schedulers_with_the_lease_one_acts_and_each_step_happens_once(settings, orders):
    lines = run_processes(settings, 3, use_lease=True)
    assert not [line for line in lines if line[2] == "error"], lines
    held = [line for line in lines if line[2] == "held"]
    assert len(held) == len(TIMELINE) and len({line[0] for line in held}) == 1
    assert len([line for line in lines if line[2] == "idle"]) == 2 * len(TIMELINE)
    assert_exactly_once(settings)
    hl = Hotline(settings, make_engines(settings.db_url))
    with hl.reading() as s:
        scan = s.exec(select(SchedulerJob).where(SchedulerJob.name == "scan")).one()
    hl.close()
    # One run per instant: the three hours down are caught up by one scan, not 180.
    assert scan.runs == len(TIMELINE)


def test_three_schedulers_without_a_lease_still_take_each_step_once(settings, orders):
    lines = run_processes(settings, 3, use_lease=False)
    assert not [line for line in lines if line[2] == "error"], lines
    by_instant: Counter[str] = Counter()
    for _holder, at, _kind, taken in lines:
        by_instant[at] += taken
    assert sum(by_instant.values()) == ORDERS // 2 * 5 + ORDERS // 2 * 6
    assert_exactly_once(settings)


def test_a_scheduler_killed_mid_transaction_and_restarted_misses_nothing(settings, orders):
    # Killed in its 7th act: the second batch of the first step it takes, claim rows inserted,
    # the transaction open. Its lease (2 s, on the database's clock) is left to expire.
    lines = run_processes(settings, 1, use_lease=True, die_at_act=7, lease_seconds=2.0)
    assert not [line for line in lines if line[2] == "error"], lines
    hl = Hotline(settings, make_engines(settings.db_url))
    with hl.reading() as s:
        partial = len(s.exec(select(EscalationStep)).all())
        supervisions = len(s.exec(select(Supervision)).all())
    hl.close()
    assert 0 < partial < ORDERS * 5 and supervisions == 0
    # The restarted scheduler (a new process, a new name) takes over once the lease expired.
    lines = run_processes(settings, 1, use_lease=True, lease_seconds=2.0, wait_for_lease=30.0)
    assert not [line for line in lines if line[2] == "error"], lines
    assert {line[2] for line in lines} == {"held"}
    assert_exactly_once(settings)
