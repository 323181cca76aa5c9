#!/usr/bin/env python3
"""Intake throughput and latency through the services; never asserts.

As a module, for ``bench_core.py`` (a): orders registered and dispatched per second by one or
several writer threads of this process, by the wall clock and by the CPU time this process and its
PostgreSQL backends spent (:func:`bench_intake`; prints nothing).

As a script, under load from processes: N operating-system processes, each with its own core,
engine and connection pool as an operator's ``hotline`` process has, register and dispatch orders
at full speed into a database already holding a year of orders (``--intake-base``). Printed per
backend and process count: orders per second, and p50/p95/p99/max of one order (register +
dispatch, ``intake.register`` as the intake form calls it), with one process alone and PostgreSQL
as the references measured in the same run; ``--rounds`` repeats the process counts in turn and
prints the medians.

    .venv/bin/python scripts/bench_intake.py --backend both --processes 1,8,16
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import random
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import col, select

from db.models import Category, User
from hotline_tui.demo import text as demo_text
from hotline_tui.demo.city import AREA_PARENTS, AREAS, CATALOGUE, lookup_lead
from hotline_tui.domain.errors import Busy
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.text import configure_segmenter
from hotline_tui.services.admin.users import actor_of
from hotline_tui.services.context import Actor, Hotline, open_hotline
from hotline_tui.services.tickets import intake
from hotline_tui.settings import Settings


def user(hl: Hotline, username: str) -> Actor:
    """The demo user ``username`` as an acting user."""
    with hl.reading() as session:
        found = session.execute(select(User).where(col(User.username) == username)).scalar_one()
    return actor_of(found)


@dataclass(frozen=True)
class IntakeRate:
    """Orders per second through the services: by the wall clock, and by the CPU time spent.

    The CPU figure (this process plus the PostgreSQL backends serving it) is what one order
    costs whatever else the machine is doing; on a shared machine the wall-clock figure also
    counts the time this process waited for a core.
    """

    wall: float
    client_ms: float
    server_ms: float

    @property
    def cpu(self) -> float:
        return 1000.0 / (self.client_ms + self.server_ms)


def backend_pids(hl: Hotline) -> set[int]:
    """The PostgreSQL server processes behind the write engine's pool (none for SQLite)."""
    pids: set[int] = set()
    if hl.engines.write.dialect.name != "postgresql":
        return pids

    @event.listens_for(hl.engines.write.pool, "connect")
    def _remember(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        pids.add(int(cursor.fetchone()[0]))
        cursor.close()

    hl.engines.write.dispose()  # connections opened from now on are remembered
    return pids


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a local process (the server runs on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


Call = tuple[IntakeInput, intake.Disposition]


def make_calls(hl: Hotline, rng: random.Random, count: int) -> list[Call]:
    """``count`` complaints from the demo city, each dispatched to the department its category
    and street lead to, as an operator saves them from the intake form."""
    with hl.reading() as session:
        leaves = [
            (tuple(path.split("/")), code)
            for path, code in session.execute(
                select(Category.path, Category.code).where(col(Category.level) == 3)
            )
        ]
    streets = [a for a in AREAS if a.level == "street"]
    calls = []
    for _ in range(count):
        path, code = rng.choice(leaves)
        street = rng.choice(streets)
        rule = lookup_lead(CATALOGUE, path, street.code, AREA_PARENTS)
        lead = rule.dept_code if rule else "M20"
        address = demo_text.address(rng, street.name)
        calls.append(
            (
                IntakeInput(
                    request_type="complaint",
                    description=demo_text.description(rng, path, "complaint", street.name, address),
                    caller=CallerInput(
                        name=demo_text.person_name(rng), phone=demo_text.mobile(rng)
                    ),
                    category=code,
                    area=street.code,
                    address=address,
                ),
                intake.Disposition(kind="dispatch", lead_dept=lead),
            )
        )
    return calls


def bench_intake(hl: Hotline, count: int, writers: int = 1) -> IntakeRate:
    """Orders registered and dispatched per second through ``intake.register``, by ``writers``
    threads of this process taking the calls in turn."""
    rng = random.Random(writers)  # other callers for each run on the same database
    operator = user(hl, "op1")
    calls = make_calls(hl, rng, count + 20)
    pids = backend_pids(hl)
    for call, disposition in calls[:20]:  # warm: connections, statement caches, jieba
        intake.register(hl, operator, call, disposition)
    shares = [calls[20 + index :: writers] for index in range(writers)]
    failures: list[BaseException] = []

    def take_calls(share: list[Call]) -> None:
        try:
            for call, disposition in share:
                intake.register(hl, operator, call, disposition)
        except BaseException as exc:  # reported after the run, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=take_calls, args=(share,)) for share in shares]
    server = sum(process_cpu(pid) for pid in pids)
    client = time.process_time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures:
        raise failures[0]
    return IntakeRate(
        wall=count / wall,
        client_ms=1000 * (time.process_time() - client) / count,
        server_ms=1000 * (sum(process_cpu(pid) for pid in pids) - server) / count,
    )


# ------------------------------------------------------------------------- under load: processes

WARM_CALLS = 5
START_TIMEOUT = 300.0


@dataclass
class ProcessReport:
    """What one worker process saw: each order's latency (ms), its start and end (monotonic
    seconds, comparable across processes), the orders refused as busy and the retries."""

    latencies: list[float] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0
    busy: int = 0
    retries: int = 0
    error: str = ""


class _RetryCounter(logging.Handler):
    """Counts the unit of work's "write retried" warnings instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def serve(settings: Settings, seed: int, count: int, start: Any, results: Any) -> None:
    """One operator's process (a "spawn" child): its own core and pool, warmed up with a few
    calls, then ``count`` calls registered and dispatched one after another at full speed."""
    report = ProcessReport()
    retries = _RetryCounter()
    uow_log = logging.getLogger("hotline_tui.services.uow")
    uow_log.addHandler(retries)
    uow_log.propagate = False
    try:
        configure_segmenter(settings.cache_dir / "jieba")
        hl = open_hotline(settings)
        operator = user(hl, "op1")
        calls = make_calls(hl, random.Random(seed), count + WARM_CALLS)
        for call, disposition in calls[:WARM_CALLS]:  # connections, caches, jieba
            intake.register(hl, operator, call, disposition)
        retries.count = 0
        start.wait(START_TIMEOUT)
        report.started = time.monotonic()
        for call, disposition in calls[WARM_CALLS:]:
            began = time.perf_counter()
            try:
                intake.register(hl, operator, call, disposition)
            except Busy:
                report.busy += 1
                continue
            report.latencies.append(1000 * (time.perf_counter() - began))
        report.ended = time.monotonic()
        report.retries = retries.count
        hl.close()
    except BaseException as exc:  # reported, not lost in the child
        report.error = f"{type(exc).__name__}: {exc}"
    results.put(report)


@dataclass(frozen=True)
class LoadFigures:
    """One run of N processes: orders per second over the run, and per-order latency (ms)."""

    processes: int
    orders: int
    rate: float
    p50: float
    p95: float
    p99: float
    worst: float
    busy: int
    retries: int


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def bench_processes(settings: Settings, processes: int, count: int, seed: int) -> LoadFigures:
    """``processes`` spawned processes each register and dispatch ``count`` orders."""
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(processes)
    results = ctx.Queue()
    children = [
        ctx.Process(target=serve, args=(settings, seed * 1000 + index, count, start, results))
        for index in range(processes)
    ]
    for child in children:
        child.start()
    reports: list[ProcessReport] = [results.get(timeout=START_TIMEOUT * 2) for _ in children]
    for child in children:
        child.join()
    errors = [r.error for r in reports if r.error]
    if errors:
        raise SystemExit(f"{len(errors)} of {processes} processes failed: {errors[0]}")
    latencies = [ms for r in reports for ms in r.latencies]
    wall = max(r.ended for r in reports) - min(r.started for r in reports)
    return LoadFigures(
        processes=processes,
        orders=len(latencies),
        rate=len(latencies) / wall,
        p50=quantile(latencies, 0.50),
        p95=quantile(latencies, 0.95),
        p99=quantile(latencies, 0.99),
        worst=max(latencies),
        busy=sum(r.busy for r in reports),
        retries=sum(r.retries for r in reports),
    )


def describe(figures: LoadFigures) -> str:
    return (
        f"{figures.rate:6.1f} orders/s  p50 {figures.p50:6.1f}  p95 {figures.p95:6.1f}"
        f"  p99 {figures.p99:6.1f}  max {figures.worst:7.1f} ms"
        f"  ({figures.orders} orders, {figures.busy} busy, {figures.retries} retried)"
    )


def median_figures(runs: list[LoadFigures]) -> LoadFigures:
    def med(name: str) -> float:
        return float(statistics.median(getattr(run, name) for run in runs))

    return LoadFigures(
        processes=runs[0].processes,
        orders=sum(run.orders for run in runs),
        rate=med("rate"),
        p50=med("p50"),
        p95=med("p95"),
        p99=med("p99"),
        worst=med("worst"),
        busy=sum(run.busy for run in runs),
        retries=sum(run.retries for run in runs),
    )


def main() -> None:
    # bench_core imports this module: its helpers are taken when run as a script, not before.
    from bench_common import PG_DEFAULT, Report, fresh_database, open_core

    from hotline_tui.demo.generator import generate

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "pg", "both"], default="both")
    parser.add_argument(
        "--processes",
        type=lambda value: [int(part) for part in value.split(",")],
        default=[1, 8, 16],
        help="process counts, comma-separated (default 1,8,16)",
    )
    parser.add_argument("--orders", type=int, default=150, help="orders per process and run")
    parser.add_argument("--rounds", type=int, default=1, help="runs of every process count")
    parser.add_argument(
        "--intake-base", type=int, default=20000, help="orders generated into the database first"
    )
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--pg-url", default=os.environ.get("HOTLINE_BENCH_PG", PG_DEFAULT))
    args = parser.parse_args()
    backends = ["sqlite", "pg"] if args.backend == "both" else [args.backend]
    load = os.getloadavg()
    print(
        f"bench_intake {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs;"
        f" load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    report = Report()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        folder = Path(tmp)
        configure_segmenter(folder / "cache" / "jieba")
        for backend in backends:
            print(f"[{backend}]", flush=True)
            with fresh_database(backend, args.pg_url, folder) as url:
                hl = open_core(url, folder)
                summary = generate(hl, seed=args.seed, orders=args.intake_base)
                report.add(backend, "orders in the database before the runs", f"{summary.orders:,}")
                settings = hl.settings
                hl.close()
                runs: dict[int, list[LoadFigures]] = {n: [] for n in args.processes}
                for round_no in range(args.rounds):
                    for n in args.processes:
                        figures = bench_processes(settings, n, args.orders, round_no * 100 + n)
                        runs[n].append(figures)
                        who = "1 process" if n == 1 else f"{n} processes"
                        label = f"register+dispatch, {who}" + (
                            f" (round {round_no + 1})" if args.rounds > 1 else ""
                        )
                        report.add(
                            backend, label, describe(figures), f"load {os.getloadavg()[0]:.1f}"
                        )
                if args.rounds > 1:
                    for n, figures_of in runs.items():
                        who = "1 process" if n == 1 else f"{n} processes"
                        report.add(
                            backend,
                            f"register+dispatch, {who}, median of {args.rounds}",
                            describe(median_figures(figures_of)),
                        )
    report.print()


if __name__ == "__main__":
    main()
