#!/usr/bin/env python3
"""Benchmark of the scheduler's minute scan over a million orders, 100,000 of them open.

Prints figures and never asserts on time. For each backend (a fresh SQLite file, or a fresh
PostgreSQL database dropped afterwards) it loads the orders with ``bench_deadlines.load`` (rows
written directly: one lead assignment each, the open ones due from ten days ago to ten days
ahead, so about half are overdue) as of a working morning, and then times:

1. the *catch-up*: the first scan of a database no scheduler has seen — every flag and every
   rung of the ladder for every late order, through the services (one 催办 or 督办 is a locked,
   audited transition): a one-off, reported for what it costs;
2. a *full scan with nothing new*: every step's indexed query over every open assignment
   finds no candidate (the scheduler's hourly reconciliation, and its first scan after a start);
3. *minute by minute*: the usual scan, one minute apart, each searching since the last one
   (the deadlines passed in that minute and the assignments the change feed touched) and taking
   what fell due; goal for 2 and 3: at most 1 s;
4. the pieces: each step's finding query alone, the lease renewal, the daily KPI snapshot.

    .venv/bin/python scripts/bench_scheduler.py --backend both
    .venv/bin/python scripts/bench_scheduler.py --backend sqlite --orders 100000 --open 10000
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_common import PG_DEFAULT, Report, fresh_database, open_core, percentiles  # noqa: E402
from bench_deadlines import load, timed  # noqa: E402
from sqlalchemy import text  # noqa: E402

from hotline_tui.domain.escalation import Step  # noqa: E402
from hotline_tui.domain.workcal import SHANGHAI  # noqa: E402
from hotline_tui.services.admin.users import system_actor  # noqa: E402
from hotline_tui.services.context import Hotline  # noqa: E402
from hotline_tui.services.scheduling import daily as scheduler_daily  # noqa: E402
from hotline_tui.services.scheduling import escalation  # noqa: E402
from hotline_tui.services.scheduling.lease import acquire  # noqa: E402
from hotline_tui.services.tickets.timelimits import calendar_for  # noqa: E402

GOAL_S = 1.0


def host_load() -> str:
    """The host's load average when a figure was taken (a shared machine's figures vary)."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


def working_morning(hl: Hotline) -> datetime:
    """10:00 of the next working day (the ladder runs in working time only)."""
    cal = calendar_for(hl)
    day = datetime.now(UTC).astimezone(SHANGHAI).date() + timedelta(days=1)
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI).astimezone(UTC)


def run_backend(backend: str, args: argparse.Namespace, folder: Path, report: Report) -> None:
    print(f"[{backend}]", flush=True)
    with fresh_database(backend, args.pg_url, folder) as url:
        hl = open_core(url, folder)
        try:
            now = working_morning(hl)
            loaded = load(hl, args.orders, args.open, now, args.seed)
            report.add(
                backend, f"load {args.orders:,} orders ({args.open:,} open)", f"{loaded:.1f} s"
            )
            actor = system_actor(hl)
            started = time.perf_counter()
            first = escalation.scan(hl, now, actor=actor, holder="bench", batch_size=500)
            took = time.perf_counter() - started
            steps = ", ".join(f"{k} {v:,}" for k, v in first.taken.items() if v)
            report.add(backend, "catch-up scan (first ever)", f"{took:.1f} s", steps)
            if hl.dialect == "postgresql":  # what autovacuum would do after the catch-up
                with hl.engines.write.connect().execution_options(
                    isolation_level="AUTOCOMMIT"
                ) as conn:
                    conn.execute(text("VACUUM ANALYZE"))
            else:
                # The catch-up left its writes in the WAL: every read looks pages up there until a
                # checkpoint folds them back (a live database checkpoints as it goes).
                wal = Path(f"{hl.engines.read.url.database}-wal")
                size = wal.stat().st_size / 2**20 if wal.exists() else 0.0
                samples = timed(
                    args.runs, lambda: escalation.scan(hl, now, actor=actor, holder="bench")
                )
                report.add(
                    backend,
                    "full scan, nothing new, before a checkpoint (ms)",
                    percentiles(samples),
                    f"WAL {size:.0f} MB; {host_load()}",
                )
                raw = hl.engines.read.raw_connection()  # outside a transaction
                try:
                    raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    raw.close()
            samples = timed(
                args.runs, lambda: escalation.scan(hl, now, actor=actor, holder="bench")
            )
            verdict = "ok" if max(samples) <= GOAL_S * 1000 else "MISSED"
            report.add(
                backend,
                "full scan, nothing new (ms)",
                percentiles(samples),
                f"max <= {GOAL_S:.0f} s: {verdict}; {host_load()}",
            )
            mark = escalation.scan(hl, now, actor=actor, holder="bench").mark
            minute_samples, taken, full = [], 0, 0
            for minute in range(1, args.minutes + 1):
                at = now + timedelta(minutes=minute)
                started = time.perf_counter()
                result = escalation.scan(hl, at, since=mark, actor=actor, holder="bench")
                minute_samples.append((time.perf_counter() - started) * 1000)
                taken, full, mark = taken + result.total_taken, full + result.full, result.mark
            verdict = "ok" if max(minute_samples) <= GOAL_S * 1000 else "MISSED"
            report.add(
                backend,
                f"scan each minute since the last, {args.minutes} min (ms)",
                percentiles(minute_samples),
                f"{taken:,} steps taken, {full} full; max <= {GOAL_S:.0f} s: {verdict}; "
                + host_load(),
            )
            for step in Step:
                samples = timed(args.runs, functools.partial(escalation.find, hl, step, now))
                report.add(backend, f"  find {step.value} (ms)", percentiles(samples))
            samples = timed(args.runs, lambda: acquire(hl, "bench", seconds=60))
            report.add(backend, "lease renewal (ms)", percentiles(samples))
            day = (now - timedelta(days=1)).astimezone(SHANGHAI).date()
            started = time.perf_counter()
            scheduler_daily.kpi_snapshot(hl, day, now)
            report.add(
                backend, "daily KPI snapshot", f"{(time.perf_counter() - started) * 1000:.0f} ms"
            )
        finally:
            hl.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "pg", "both"], default="sqlite")
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    args = parser.parse_args()
    report = Report()
    backends = ["sqlite", "pg"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        for backend in backends:
            run_backend(backend, args, Path(tmp), report)
    report.print()


if __name__ == "__main__":
    main()
