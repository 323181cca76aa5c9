"""The scheduler's jobs, and one tick: under the lease, run every job due at ``now``.

What is due is decided from stored state alone (``scheduler_job`` and the due times), never from
what this process remembers, so a restart, an outage or ``hotline scheduler run --once`` from
cron all behave alike, and a test calls :func:`run_due` with any ``now``:

- ``scan`` (every tick): the deadline flags and the escalation ladder
  (:mod:`hotline_tui.services.scheduling.escalation`). Missed minutes are not replayed: one scan
  takes everything that fell due meanwhile. Each scan stores where it left off (its ``mark``); the
  next one searches only what changed since, and in full every hour.
- ``stats`` (every tick): the measures' daily roll-up takes in the orders the change feed names
  since its mark, and those whose due times passed (:mod:`hotline_tui.services.stats.rollup`).
- daily, at a local time (Asia/Shanghai): ``kpi_snapshot`` (of the previous day),
  ``kb_expiry``, ``calendar_coverage``, ``audit_checkpoint``, ``audit_deep``
  (:mod:`hotline_tui.services.scheduling.daily`). A daily job's *period* is the date of its
  latest slot at or before ``now``; it runs when its stored period is older — after days of
  downtime, once, for the latest period.

A failing job is recorded (``ok = false``) and tried again at the next tick; the others run.
The console may call :func:`run_once` in-process (single-host setup); it returns at once,
doing nothing, while another scheduler holds the lease.
"""

from __future__ import annotations

import json
import logging
import threading
import time as monotonic_time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from db.models import SchedulerJob
from hotline_tui.domain.workcal import SHANGHAI
from hotline_tui.services.admin.copies import check_not_future
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.scheduling import daily as scheduler_daily
from hotline_tui.services.scheduling import escalation
from hotline_tui.services.scheduling.escalation_find import ScanMark
from hotline_tui.services.scheduling.lease import (
    DEFAULT_LEASE_SECONDS,
    Lease,
    LeaseLost,
    acquire,
    db_clock,
    holder_id,
    release,
)

__all__ = [
    "JOBS",
    "SCAN",
    "STATS",
    "JobRun",
    "JobSpec",
    "LeaseKeeper",
    "TickReport",
    "due_jobs",
    "period_of",
    "run_due",
    "run_once",
    "tick",
]

log = logging.getLogger(__name__)
SCAN = "scan"
STATS = "stats"


@dataclass(frozen=True)
class JobSpec:
    """A job: every tick (``daily_at`` None) or once a day from a local time of day."""

    name: str
    daily_at: time | None = None


JOBS: tuple[JobSpec, ...] = (
    JobSpec(SCAN),
    JobSpec(STATS),
    JobSpec("kpi_snapshot", time(0, 5)),
    JobSpec("kb_expiry", time(0, 10)),
    JobSpec("calendar_coverage", time(0, 15)),
    JobSpec("audit_checkpoint", time(0, 20)),
    JobSpec("audit_deep", time(0, 25)),
)


@dataclass(frozen=True)
class JobRun:
    """One run of a job: its period, outcome, figures, and how long it took."""

    name: str
    period: str | None
    ok: bool
    duration_ms: int
    result: dict[str, Any]


@dataclass(frozen=True)
class TickReport:
    """A tick: the lease as it stood, whether this process held it, the jobs it ran."""

    now: datetime
    lease: Lease | None
    held: bool
    runs: list[JobRun] = field(default_factory=list)


def period_of(job: JobSpec, now: datetime) -> str | None:
    """The date of the job's latest daily slot at or before ``now`` (local), ISO; None for
    the every-tick scan."""
    if job.daily_at is None:
        return None
    local = now.astimezone(SHANGHAI)
    day = local.date() if local.time() >= job.daily_at else local.date() - timedelta(days=1)
    return day.isoformat()


def due_jobs(hl: Hotline, now: datetime, *, only: Sequence[str] | None = None) -> list[JobSpec]:
    """The jobs to run at ``now``, from their stored periods."""
    with hl.reading() as session:
        done = dict(session.execute(select(col(SchedulerJob.name), col(SchedulerJob.period))).all())
    due = []
    for job in JOBS:
        if only is not None and job.name not in only:
            continue
        period = period_of(job, now)
        # A stored period later than today's can only come from a run stamped in the future
        # (a host clock or a drill gone wrong): run again rather than wait for that day.
        if period is None or done.get(job.name) is None or str(done[job.name]) != period:
            due.append(job)
    return due


class LeaseKeeper:
    """Holds the lease for one scheduler process: takes it, renews it, notices losing it."""

    def __init__(
        self, hl: Hotline, holder: str | None = None, seconds: float = DEFAULT_LEASE_SECONDS
    ) -> None:
        self.hl = hl
        self.holder = holder or holder_id()
        self.seconds = seconds
        self.lease: Lease | None = None
        self._renewed = 0.0
        self._lock = threading.Lock()

    @property
    def held(self) -> bool:
        return self.lease is not None and self.lease.held

    def ensure(self) -> Lease:
        """Take or renew the lease (whoever holds it is in the answer)."""
        with self._lock:
            before = self.held
            self.lease = acquire(self.hl, self.holder, seconds=self.seconds)
            self._renewed = monotonic_time.monotonic()
            if self.lease.held and not before:
                log.info("scheduler lease taken by %s (token %d)", self.holder, self.lease.token)
            elif before and not self.lease.held:
                log.warning("scheduler lease lost to %s", self.lease.holder)
            return self.lease

    def keep(self) -> None:
        """Between batches of a long run: renew when a third of the lease has passed; raise
        :class:`LeaseLost` if another scheduler has it now."""
        if monotonic_time.monotonic() - self._renewed >= self.seconds / 3:
            self.ensure()
        if not self.held:
            raise LeaseLost(self.lease.holder if self.lease else None)

    def release(self) -> None:
        with self._lock:
            if self.held:
                release(self.hl, self.holder)
            self.lease = None


def _run_job(
    hl: Hotline,
    job: JobSpec,
    now: datetime,
    holder: str,
    keep: Callable[[], None] | None,
    actor: Actor | None,
) -> dict[str, Any]:
    if job.name == SCAN:

        def on_batch(_step: str, _taken: int) -> None:
            if keep is not None:
                keep()

        since = _last_mark(hl)
        report = escalation.scan(
            hl, now, since=since, actor=actor, holder=holder, on_batch=on_batch
        )
        return {
            "working_time": report.working_time,
            "full": report.full,
            "found": report.found,
            "taken": report.taken,
            "batches": report.batches,
            "mark": report.mark.to_json() if report.mark else None,
        }
    if job.name == STATS:
        from hotline_tui.services.stats import rollup

        done = rollup.keep_current(hl, now, keep=keep)
        return {"seq": done.seq, "events": done.events, "orders": done.orders}
    if job.name == "kpi_snapshot":
        day = date.fromisoformat(period_of(job, now) or "") - timedelta(days=1)
        return scheduler_daily.kpi_snapshot(hl, day, now)
    if job.name == "kb_expiry":
        return scheduler_daily.kb_expiry(hl, now)
    if job.name == "calendar_coverage":
        return scheduler_daily.calendar_coverage(hl, now)
    if job.name == "audit_deep":
        return scheduler_daily.audit_deep(hl, now)
    return scheduler_daily.audit_checkpoint(hl, now)


def _last_mark(hl: Hotline) -> ScanMark | None:
    """Where the last successful scan left off (None: search in full)."""
    with hl.reading() as session:
        row = session.execute(
            select(col(SchedulerJob.ok), col(SchedulerJob.result)).where(
                col(SchedulerJob.name) == SCAN
            )
        ).one_or_none()
    if row is None or not row[0]:
        return None
    try:
        stored = json.loads(row[1] or "{}")
    except ValueError:
        return None
    return ScanMark.from_json(stored.get("mark")) if isinstance(stored, dict) else None


def _record(hl: Hotline, run: JobRun, now: datetime, holder: str) -> None:
    """Store the run; a daily job's period advances only when it succeeded."""
    insert = pg_insert if hl.dialect == "postgresql" else sqlite_insert
    with hl.engines.write.begin() as conn:
        finished = db_clock(conn)
        values: dict[str, Any] = {
            "as_of": now,
            "finished_at": finished,
            "duration_ms": run.duration_ms,
            "holder": holder,
            "ok": run.ok,
            "result": json.dumps(run.result, ensure_ascii=False, default=str),
        }
        if run.ok:
            values["period"] = run.period
        statement = insert(SchedulerJob).values(name=run.name, runs=1, **values)
        table = SchedulerJob.__table__  # type: ignore[attr-defined]
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["name"], set_={**values, "runs": table.c.runs + 1}
            )
        )


def run_due(
    hl: Hotline,
    now: datetime,
    *,
    holder: str = "",
    only: Sequence[str] | None = None,
    keep: Callable[[], None] | None = None,
    actor: Actor | None = None,
) -> list[JobRun]:
    """Run every job due at ``now`` (the caller holds the lease, or does not care).

    ``keep`` is called after every batch of a long scan (the lease keeper renews there);
    ``actor`` acts for the scheduler (default: the ``system`` user)."""
    runs = []
    for job in due_jobs(hl, now, only=only):
        started = monotonic_time.perf_counter()
        try:
            result, ok = _run_job(hl, job, now, holder, keep, actor), True
        except LeaseLost:
            raise
        except Exception as exc:  # a job's failure is recorded; the other jobs still run
            log.exception("scheduler job %s failed", job.name)
            result, ok = {"error": f"{type(exc).__name__}: {exc}"[:500]}, False
        elapsed = round((monotonic_time.perf_counter() - started) * 1000)
        run = JobRun(job.name, period_of(job, now), ok, elapsed, result)
        _record(hl, run, now, holder)
        runs.append(run)
    return runs


def tick(
    hl: Hotline,
    keeper: LeaseKeeper,
    now: datetime | None = None,
    *,
    only: Sequence[str] | None = None,
    actor: Actor | None = None,
) -> TickReport:
    """Take or renew the lease; if this process holds it, run the due jobs."""
    now = now or hl.now()
    lease = keeper.ensure()
    if not lease.held:
        return TickReport(now, lease, False)
    # What a tick writes is stamped with ``now``: on the live database, never beyond its own
    # clock (a host clock running ahead, or a drill's --now).
    check_not_future(hl, now, lease.db_now)
    try:
        runs = run_due(hl, now, holder=keeper.holder, only=only, keep=keeper.keep, actor=actor)
    except LeaseLost as lost:  # the lease went elsewhere, or the process is stopping
        log.warning("scheduler stopped mid-run (%s): lease %s", type(lost).__name__, keeper.lease)
        return TickReport(now, keeper.lease, False)
    return TickReport(now, keeper.lease, True, runs)


def run_once(
    hl: Hotline,
    now: datetime | None = None,
    *,
    holder: str | None = None,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
    only: Sequence[str] | None = None,
    actor: Actor | None = None,
) -> TickReport:
    """One tick, then give the lease back (``hotline scheduler run --once``, the console)."""
    keeper = LeaseKeeper(hl, holder, lease_seconds)
    try:
        return tick(hl, keeper, now, only=only, actor=actor)
    finally:
        keeper.release()
