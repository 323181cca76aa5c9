"""APScheduler 3 wiring: a tick at the top of every minute and a lease renewal, in Asia/Shanghai.

Two jobs, both in the ``Asia/Shanghai`` time zone whatever the host's (DESIGN.md §4):

- ``tick``: cron ``second=0`` (every minute), also once at start — takes or renews the lease and,
  if this process holds it, runs the due jobs (:func:`hotline_tui.services.scheduling.jobs.tick`);
- ``lease``: every third of the lease — renews it while a long tick runs, and lets an idle
  scheduler take over within a lease period after the holder died.

Both coalesce and run one instance at a time: a tick that overruns the next minute is not
stacked, and minutes missed while the process was down are not replayed (the next tick catches
up from stored state). A job that raises is logged and the loop goes on.

``stop()`` ends a running scan at its next batch boundary (each batch is its own committed
transaction, so nothing is half done; the next scheduler finds the rest), so a console that runs
the scheduler in-process quits within a batch, not after a whole catch-up.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from hotline_tui.domain.workcal import SHANGHAI
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.scheduling import jobs
from hotline_tui.services.scheduling.lease import DEFAULT_LEASE_SECONDS, LeaseLost

__all__ = ["SchedulerProcess", "Stopped", "run_forever", "run_in_foreground", "start_background"]

log = logging.getLogger(__name__)
TickListener = Callable[[jobs.TickReport], None]


class Stopped(LeaseLost):
    """The process is stopping: the scan ends after the batch it just committed."""


class _StoppableKeeper(jobs.LeaseKeeper):
    """A lease keeper whose between-batches check also notices a stop request."""

    def __init__(
        self, hl: Hotline, holder: str | None, seconds: float, stopping: threading.Event
    ) -> None:
        super().__init__(hl, holder, seconds)
        self.stopping = stopping

    def keep(self) -> None:
        if self.stopping.is_set():
            raise Stopped(self.holder)
        super().keep()


class SchedulerProcess:
    """One scheduler: its lease keeper, its APScheduler, its last tick."""

    def __init__(
        self,
        hl: Hotline,
        *,
        holder: str | None = None,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        tick_seconds: float | None = None,
        on_tick: TickListener | None = None,
        actor: Actor | None = None,
    ) -> None:
        self.hl = hl
        self.actor = actor
        self.stopping = threading.Event()
        self.keeper: jobs.LeaseKeeper = _StoppableKeeper(hl, holder, lease_seconds, self.stopping)
        self.tick_seconds = tick_seconds
        self.on_tick = on_tick
        self.last: jobs.TickReport | None = None
        self.scheduler: BaseScheduler | None = None
        self._ticking = threading.Lock()

    @property
    def holder(self) -> str:
        return self.keeper.holder

    def tick(self) -> jobs.TickReport | None:
        """One tick now (the ``tick`` job; also callable directly)."""
        if self.stopping.is_set() or not self._ticking.acquire(blocking=False):
            return None  # stopping, or the previous tick still runs
        try:
            self.last = jobs.tick(self.hl, self.keeper, actor=self.actor)
        except Exception:  # logged; the next tick tries again
            log.exception("scheduler tick failed")
            return None
        finally:
            self._ticking.release()
        if self.on_tick is not None:
            self.on_tick(self.last)
        return self.last

    def renew(self) -> None:
        """The ``lease`` job: renew (or take over an expired lease)."""
        try:
            self.keeper.ensure()
        except Exception:
            log.exception("scheduler lease renewal failed")

    def build(self, *, blocking: bool) -> BaseScheduler:
        kind = BlockingScheduler if blocking else BackgroundScheduler
        scheduler = kind(
            timezone=SHANGHAI,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        )
        trigger = (
            IntervalTrigger(seconds=self.tick_seconds, timezone=SHANGHAI)
            if self.tick_seconds
            else CronTrigger(second=0, timezone=SHANGHAI)
        )
        scheduler.add_job(self.tick, trigger, id="tick", next_run_time=datetime.now(SHANGHAI))
        every = max(1.0, self.keeper.seconds / 3)
        scheduler.add_job(self.renew, IntervalTrigger(seconds=every, timezone=SHANGHAI), id="lease")
        self.scheduler = scheduler
        return scheduler

    def stop(self) -> None:
        """Stop the clockwork (a running scan ends at its next batch boundary) and hand the
        lease back (the next scheduler need not wait)."""
        self.stopping.set()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        try:
            self.keeper.release()
        except Exception:
            log.exception("scheduler lease release failed")


def run_forever(process: SchedulerProcess) -> None:
    """Block running the scheduler until SIGTERM or SIGINT, then release the lease."""
    scheduler = process.build(blocking=True)

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        if scheduler.running:
            scheduler.shutdown(wait=False)

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    log.info("scheduler %s started", process.holder)
    try:
        scheduler.start()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        process.scheduler = None
        process.stop()
        log.info("scheduler %s stopped", process.holder)


def run_in_foreground(
    hl: Hotline,
    *,
    actor: Actor,
    lease_seconds: float,
    tick_seconds: float | None,
    on_tick: TickListener,
    announce: Callable[[str], None],
) -> None:
    """``hotline scheduler run``: one scheduler in this process until SIGTERM or SIGINT;
    ``announce`` gets its holder name before it starts."""
    process = SchedulerProcess(
        hl, lease_seconds=lease_seconds, tick_seconds=tick_seconds, on_tick=on_tick, actor=actor
    )
    announce(process.holder)
    run_forever(process)


def start_background(
    hl: Hotline,
    *,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
    on_tick: TickListener | None = None,
    actor: Actor | None = None,
) -> SchedulerProcess:
    """Run the scheduler in this process's background threads (the single-host console).

    It only works while no other scheduler holds the lease; ``stop()`` it on exit.
    """
    process = SchedulerProcess(hl, lease_seconds=lease_seconds, on_tick=on_tick, actor=actor)
    process.build(blocking=False).start()
    return process
