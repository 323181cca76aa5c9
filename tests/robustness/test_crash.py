"""A writer killed with SIGKILL in the middle of its writes leaves a consistent database.

The writer is a separate process registering and dispatching orders through the services in a
loop. It is killed three times on the same database: early, once deliberately inside an open
write transaction (rows and audit events written, chain head locked, not committed), and later.
After each kill the database must be consistent, the audit chain must verify, nothing committed
may be lost, and the next writer must be able to carry on (the dead process left no lock).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from db.models import Assignment, AuditEvent, AuditHead, Ticket
from hotline_tui.domain.states import TicketState
from hotline_tui.services.admin import audit
from hotline_tui.services.tickets import dispatch, intake
from tests.robustness import workers

pytestmark = pytest.mark.slow

PROGRESS_TIMEOUT = 120.0  # generous: only reached if the writer stops making progress
NOT_DISPATCHED = (TicketState.REGISTERED.value, TicketState.PENDING_DISPATCH.value)


def run_and_kill(settings, *, after_calls: int = 0, hold_at: int = 0) -> int:
    """Start a writer and SIGKILL it; returns the registrations it saw committed.

    ``after_calls``: kill as soon as that many service calls have committed (the writer is
    almost always inside a transaction then). ``hold_at``: kill while the writer holds its
    ``hold_at``-th transaction open just before commit.
    """
    ctx = multiprocessing.get_context("spawn")
    calls, registers, holding = ctx.Value("i", 0), ctx.Value("i", 0), ctx.Value("i", 0)
    proc = ctx.Process(
        target=workers.write_forever, args=(settings, calls, registers, hold_at, holding)
    )
    proc.start()
    try:
        deadline = time.monotonic() + PROGRESS_TIMEOUT
        while not (holding.value if hold_at else calls.value >= after_calls):
            assert proc.is_alive(), f"writer died on its own (exit code {proc.exitcode})"
            assert time.monotonic() < deadline, f"writer stuck at {calls.value} calls"
            time.sleep(0.005)
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=30)
    finally:
        if proc.is_alive():
            proc.kill()
            proc.join()
    assert proc.exitcode == -signal.SIGKILL
    assert calls.value >= after_calls
    return int(registers.value)


def assert_consistent(hl) -> None:
    """The invariants a crash must not break."""
    report = audit.verify(hl)
    assert report.ok, report
    with hl.reading() as s:
        tickets = list(s.exec(select(Ticket)))
        registered = set(
            s.exec(select(AuditEvent.ticket_id).where(AuditEvent.action == "register"))
        )
        orphans = s.exec(
            select(Assignment.id)
            .outerjoin(Ticket, col(Ticket.id) == col(Assignment.ticket_id))
            .where(col(Ticket.id).is_(None))
        ).all()
        with_assignments = set(s.exec(select(Assignment.ticket_id).distinct()))
        assignment_ticket = dict(s.exec(select(Assignment.id, Assignment.ticket_id)).all())
        head = s.exec(select(AuditHead).where(AuditHead.id == 1)).one()
        last = s.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).one()
        count = s.exec(select(func.count()).select_from(AuditEvent)).one()
    missing = [t.number for t in tickets if t.id not in registered]
    assert not missing, f"orders without a register event: {missing}"
    assert not orphans, f"assignments without their order: {orphans}"
    undispatched = [
        (t.number, t.state)
        for t in tickets
        if t.id in with_assignments and t.state in NOT_DISPATCHED
    ]
    assert not undispatched, f"orders with assignments but not dispatched: {undispatched}"
    dangling = [
        t.number
        for t in tickets
        if t.lead_assignment_id is not None and assignment_ticket.get(t.lead_assignment_id) != t.id
    ]
    assert not dangling, f"orders whose lead assignment is missing: {dangling}"
    assert (head.seq, head.mac) == (last.seq, last.mac), "audit head is not the last event"
    assert count == last.seq == report.head_seq


def orders(hl) -> int:
    with hl.reading() as s:
        return int(s.exec(select(func.count()).select_from(Ticket)).one())


KILLS = [
    {"after_calls": 3},  # early: among the writer's first transactions
    {"hold_at": 25},  # inside an open write transaction, chain head locked, not committed
    {"after_calls": 60},  # later, on a database a killed writer already left behind twice
]


def test_sigkill_mid_write_leaves_a_consistent_database(hl, who, settings):
    for kill in KILLS:
        before = orders(hl)
        committed = run_and_kill(settings, **kill)
        assert committed >= 1
        assert_consistent(hl)
        added = orders(hl) - before
        if "hold_at" in kill:
            # The held transaction never committed: exactly the registrations seen committed.
            assert added == committed
        else:
            # Nothing committed is lost; at most the call in flight committed one more.
            assert committed <= added <= committed + 1
        # The dead writer left no lock behind: this process can write, and the chain verifies.
        number = intake.register(hl, who["op"], workers.order_input("崩溃后继续受理")).number
        dispatch.dispatch(hl, who["disp"], number, "M02")
        assert orders(hl) == before + added + 1
        assert_consistent(hl)
