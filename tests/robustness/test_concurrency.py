"""Eight processes acting on the same orders: no lost updates, structured refusals, one chain.

Every worker is a separate process ("spawn": nothing is inherited) with its own ``Hotline`` and
connection pool, like eight console sessions on one host. On SQLite the writers queue on
``BEGIN IMMEDIATE``; on PostgreSQL on the order's row lock and then the audit head's.
"""

from __future__ import annotations

import multiprocessing
import queue
import sqlite3
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from db.engine import make_engines
from db.models import Assignment, AuditEvent, Supervision, Ticket
from hotline_tui.domain.errors import Busy
from hotline_tui.services.admin import audit
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets import dispatch, intake
from tests.conftest import make_settings
from tests.robustness import workers
from tests.world import actors

pytestmark = pytest.mark.slow

WORKERS = 8
ORDERS = 3
ROUNDS = 12  # lock-step rounds: each order gets ROUNDS / ORDERS contested saves
FREE_OPS = 10  # uncoordinated read-then-save attempts per worker
REGISTERS = 10  # new orders per worker in the mixed test
RESULT_TIMEOUT = 180.0


class Pool:
    """WORKERS spawned processes ("spawn": nothing inherited) serving tasks, one per worker."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.barrier = ctx.Barrier(WORKERS)
        self.results = ctx.Queue()
        self.tasks = [ctx.Queue() for _ in range(WORKERS)]
        self.procs = [
            ctx.Process(
                target=workers.serve,
                args=(i, self.barrier, self.tasks[i], self.results),
                daemon=True,
            )
            for i in range(WORKERS)
        ]
        for proc in self.procs:
            proc.start()

    def run(self, name: str, args_for: Any) -> list[dict[str, Any]]:
        """Send task ``name`` to every worker at once; return their reports, crash-free."""
        for i, tasks in enumerate(self.tasks):
            tasks.put((name, args_for(i)))
        collected: list[dict[str, Any]] = []
        try:
            for _ in self.procs:
                collected.append(self.results.get(timeout=RESULT_TIMEOUT))
        except queue.Empty:
            dead = [i for i, p in enumerate(self.procs) if not p.is_alive()]
            pytest.fail(f"only {len(collected)} of {WORKERS} workers reported (dead: {dead})")
        crashes = [r for r in collected if r["crash"]]
        if crashes:
            self.barrier.reset()
        for r in crashes:
            pytest.fail(f"worker {r['index']} crashed:\n{r['crash']}")
        assert sorted(r["index"] for r in collected) == list(range(WORKERS))
        return collected

    def close(self) -> None:
        for tasks in self.tasks:
            tasks.put(None)
        for proc in self.procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
                proc.join()


@pytest.fixture(scope="module")
def pool() -> Iterator[Pool]:
    workers_pool = Pool()
    yield workers_pool
    workers_pool.close()


def snapshot(hl, numbers):
    """Per order: (id, order version, lead assignment version, urge_count, description)."""
    with hl.reading() as s:
        out = {}
        for number in numbers:
            t = s.exec(select(Ticket).where(Ticket.number == number)).one()
            lead = s.get(Assignment, t.lead_assignment_id)
            assert lead is not None
            out[number] = (t.id, t.version, lead.version, t.urge_count, t.description)
        return out


def count_events(hl, ticket_id, action):
    with hl.reading() as s:
        return s.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.ticket_id == ticket_id, AuditEvent.action == action)
        ).one()


def assert_chain_intact(hl):
    report = audit.verify(hl)
    assert report.ok, report
    with hl.reading() as s:
        seqs = list(s.exec(select(AuditEvent.seq).order_by(col(AuditEvent.seq))))
    assert seqs == list(range(1, len(seqs) + 1)), "sequence numbers are not gap-free"
    assert report.head_seq == len(seqs)


def test_eight_processes_with_if_version_lose_no_update(pool, hl, who, settings):
    numbers = []
    for i in range(ORDERS):
        reg = intake.register(hl, who["op"], workers.order_input(f"并发测试工单 {i}"))
        dispatch.dispatch(hl, who["disp"], reg.number, "M01")
        numbers.append(reg.number)
    before = snapshot(hl, numbers)
    events_before = audit.verify(hl).head_seq

    results = pool.run("contend", lambda i: (settings, numbers, ROUNDS, FREE_OPS))
    attempts = [a for r in results for a in r["attempts"]]
    per_worker = {r["index"]: Counter(a[5] for a in r["attempts"]) for r in results}
    print("per worker:", {i: dict(c) for i, c in sorted(per_worker.items())})  # shown with -rP
    assert all(sum(c.values()) == ROUNDS + FREE_OPS for c in per_worker.values())

    # Every refusal is structured: a version conflict or (at worst) Busy, never a raw
    # OperationalError / "database is locked".
    outcomes = Counter(a[5] for a in attempts)
    print("outcomes:", dict(outcomes))  # shown with -rP
    assert set(outcomes) <= {"ok", "conflict", "busy"}, outcomes

    # Lock-step rounds: all eight saved against the same version, so exactly one won and the
    # other seven were refused.
    for r in range(ROUNDS):
        in_round = [a[5] for a in attempts if a[0] == "lockstep" and a[1] == r]
        assert len(in_round) == WORKERS
        assert in_round.count("ok") == 1, (r, in_round)
    assert outcomes["conflict"] >= ROUNDS * (WORKERS - 1) - outcomes["busy"]

    # No lost update: every successful save is in the row, in the counters and in the trail,
    # and no refused save left a trace.
    after = snapshot(hl, numbers)
    added_events = 0
    for number in numbers:
        ticket_id, version0, lead0, urges0, _ = before[number]
        _, version1, lead1, urges1, description = after[number]
        ok = [a for a in attempts if a[3] == number and a[5] == "ok"]
        urges = sum(1 for a in ok if a[2] == "urge")
        edits = [a for a in ok if a[2] == "edit"]
        assert urges >= 1 and edits, (number, Counter(a[2] for a in ok))
        assert urges1 - urges0 == urges, number
        assert lead1 - lead0 == urges, number
        assert version1 - version0 == len(edits), number
        assert count_events(hl, ticket_id, "urge") == urges
        assert count_events(hl, ticket_id, "edit") == len(edits)
        with hl.reading() as s:
            notes = set(
                s.exec(
                    select(Supervision.note).where(
                        Supervision.ticket_id == ticket_id, Supervision.kind == "urge"
                    )
                )
            )
        assert notes == {f"催办 {a[4]}" for a in ok if a[2] == "urge"}
        # The description is the one written by a successful edit, never a refused one.
        assert description in {f"修改 {a[4]}" for a in edits}
        added_events += urges + len(edits)

    # One chain, not forked: gap-free, every successful action recorded exactly once.
    assert_chain_intact(hl)
    assert audit.verify(hl).head_seq == events_before + added_events


def test_eight_processes_registering_and_urging_without_if_version(pool, hl, who, settings):
    shared = intake.register(hl, who["op"], workers.order_input("共享催办工单")).number
    dispatch.dispatch(hl, who["disp"], shared, "M02")
    with hl.reading() as s:
        tickets_before = s.exec(select(func.count()).select_from(Ticket)).one()
    urges_before = snapshot(hl, [shared])[shared][3]

    results = pool.run("register_mix", lambda i: (settings, REGISTERS, shared))
    outcomes = Counter(o for r in results for o in r["outcomes"])
    print("outcomes:", dict(outcomes))  # shown with -rP
    assert {o for _, o in outcomes} <= {"ok", "busy"}, outcomes  # no if_version: no conflicts
    numbers = [n for r in results for n in r["registered"]]
    assert len(numbers) == outcomes[("register", "ok")]
    assert len(set(numbers)) == len(numbers), "duplicate order numbers"

    with hl.reading() as s:
        stored = list(s.exec(select(Ticket).where(col(Ticket.number).in_(numbers))))
        tickets_after = s.exec(select(func.count()).select_from(Ticket)).one()
        registered_ids = set(
            s.exec(select(AuditEvent.ticket_id).where(AuditEvent.action == "register"))
        )
    assert len(stored) == len(numbers)
    assert tickets_after - tickets_before == len(numbers)
    assert {t.id for t in stored} <= registered_ids
    for t in stored:
        assert count_events(hl, t.id, "register") == 1

    urges = outcomes[("urge", "ok")]
    assert snapshot(hl, [shared])[shared][3] - urges_before == urges
    assert count_events(hl, snapshot(hl, [shared])[shared][0], "urge") == urges
    assert_chain_intact(hl)


@pytest.mark.parametrize("caller_kind", ["person", "enterprise"])
def test_eight_simultaneous_calls_from_one_new_caller_make_one_caller(
    pool, hl, settings, caller_kind, request
):
    results = pool.run("register_same_caller", lambda i: (settings, caller_kind))
    # A concurrent insert of the same enterprise is retried, never a raw IntegrityError.
    assert [r["outcome"] for r in results] == ["ok"] * WORKERS
    numbers = [r["number"] for r in results]
    assert len(set(numbers)) == WORKERS
    with hl.reading() as s:
        callers = set(s.exec(select(Ticket.caller_id).where(col(Ticket.number).in_(numbers))))
    assert len(callers) == 1, f"{len(callers)} caller records for one {caller_kind}"
    assert_chain_intact(hl)


def test_a_lock_held_too_long_is_a_busy_error_not_database_is_locked(
    sqlite_url, key_file, tmp_path
):
    """SQLite: a writer that never gets the lock fails with the structured Busy error."""
    settings = make_settings(tmp_path, key_file, sqlite_url).model_copy(update={"write_retries": 2})
    core = Hotline(settings, make_engines(sqlite_url, busy_timeout_ms=20))
    who = actors(core)
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process's long write transaction
        with pytest.raises(Busy) as busy:
            intake.register(core, who["op"], workers.order_input("等待写锁的工单"))
        assert busy.value.code == "db.busy" and busy.value.params == {"attempts": 2}
        holder.execute("ROLLBACK")
        assert audit.verify(core).ok
        intake.register(core, who["op"], workers.order_input("写锁释放之后"))
    finally:
        holder.close()
        core.close()
