"""Scheduler processes for the multi-process tests (importable by "spawn" children).

Each process builds its own core (its own engine and pool) with a fake clock and walks the same
timeline of instants, in step with the others (a barrier per instant): with the lease it ticks
(takes or renews the lease, runs the scan if it holds it; ``wait_for_lease``: first wait until
it can take it, as a restarted scheduler does); without it, it scans regardless, as two
schedulers started by mistake would. ``die_at_act`` kills the process with SIGKILL from inside
the ``die_at_act``-th act — after its claim row is inserted, inside the open transaction.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from datetime import datetime
from typing import Any

from db.engine import make_engines
from hotline_tui.services.context import Hotline
from hotline_tui.services.scheduling import escalation
from hotline_tui.services.scheduling import jobs as scheduler
from hotline_tui.settings import Settings

BARRIER_TIMEOUT = 120.0


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _die_inside(act_number: int) -> None:
    """Make the ``act_number``-th act of this process kill it, mid-transaction."""
    original = escalation._act
    calls = {"n": 0}

    def act(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == act_number:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)

    escalation._act = act


def walk(
    settings: Settings,
    timeline: list[str],
    holder: str,
    use_lease: bool,
    barrier: Any,
    results: Any,
    batch_size: int = 5,
    die_at_act: int = 0,
    lease_seconds: float = 60.0,
    wait_for_lease: float = 0.0,
) -> None:
    """Tick (or scan) at every instant of ``timeline``; report one line per instant."""
    instants = [datetime.fromisoformat(at) for at in timeline]
    clock = Clock(instants[0])
    hl = Hotline(settings, make_engines(settings.db_url), clock=clock)
    escalation.BATCH = batch_size
    if die_at_act:
        _die_inside(die_at_act)
    keeper = scheduler.LeaseKeeper(hl, holder, seconds=lease_seconds)
    try:
        deadline = time.monotonic() + wait_for_lease
        while wait_for_lease and not keeper.ensure().held:  # a restart after a crash
            assert time.monotonic() < deadline, f"lease still held by {keeper.lease}"
            time.sleep(0.1)
        for now in instants:
            clock.now = now
            if barrier is not None:
                barrier.wait(BARRIER_TIMEOUT)
            try:
                if use_lease:
                    report = scheduler.tick(hl, keeper, now, only=["scan"])
                    taken = sum(sum(run.result.get("taken", {}).values()) for run in report.runs)
                    results.put((holder, now.isoformat(), "held" if report.held else "idle", taken))
                else:
                    scan = escalation.scan(hl, now, holder=holder)
                    results.put((holder, now.isoformat(), "scan", scan.total_taken))
            except Exception:
                results.put((holder, now.isoformat(), "error", traceback.format_exc()))
    finally:
        keeper.release()
        hl.close()
