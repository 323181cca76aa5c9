#!/usr/bin/env python3
"""Benchmark of the core: intake throughput, query latency on a large database, demo wall time.

Prints figures and never asserts on time. For each backend (a fresh SQLite file in a temporary
directory, or a fresh PostgreSQL database ``hl_bench_<random>`` that is dropped afterwards):

(a) orders registered and dispatched per second through the public service
    (``intake.register`` with ``Disposition(kind="dispatch")``) into a database that holds a year
    of orders (``--intake-base``, generated first), in one process: by one writer
    (one operator's calls one after another), and by several writer threads sharing the
    process's connection pool (``--writers 1,4``), as a server process taking many operators'
    calls would (one after another on the same database; measured by ``bench_intake.py``);
(b) the time to load N orders with the demo generator, then p50/p95/max over ``--runs`` runs of a
    department's queues (in_progress, to_sign), the hotline's (returns, to_dispatch), and of
    order search by phone, number and a two-character word (执照);
(c) the wall time of ``hotline demo`` (20,000 orders) as a user runs it.

Goals reported against: at least 300 orders/s for (a), at most 20 ms p95 for each query.

    .venv/bin/python scripts/bench_core.py --backend both --quick
    .venv/bin/python scripts/bench_core.py --backend sqlite --orders 1000000
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_common import (  # noqa: E402
    PG_DEFAULT,
    Report,
    fresh_database,
    open_core,
    p95,
    percentiles,
    timed,
)
from bench_intake import IntakeRate, bench_intake, user  # noqa: E402
from bench_scale import copy_orders, multiply_orders  # noqa: E402

from db.models import Ticket  # noqa: E402
from hotline_tui.demo.generator import generate  # noqa: E402
from hotline_tui.domain.text import configure_segmenter  # noqa: E402
from hotline_tui.services.context import Hotline  # noqa: E402
from hotline_tui.services.tickets import (  # noqa: E402
    queries,
    worklists,
)

GOAL_RATE = 300.0
GOAL_P95_MS = 20.0


def bench_queries(hl: Hotline, report: Report, backend: str, runs: int, phone: str | None) -> None:
    handler = user(hl, "dept1")
    operator = user(hl, "op1")
    with hl.reading() as session:
        top = session.exec(select(col(Ticket.id)).order_by(col(Ticket.id).desc()).limit(1)).one()
        rng = random.Random(2)
        ids = [rng.randint(1, top or 1) for _ in range(runs)]
        numbers = list(session.exec(select(Ticket.number).where(col(Ticket.id).in_(ids))))
    numbers = (numbers * (runs // max(1, len(numbers)) + 1))[:runs]
    checks: list[tuple[str, Callable[[int], object]]] = [
        (
            "queue in_progress (dept1, 市监局)",
            lambda _i: worklists.work_queue(hl, handler, "in_progress"),
        ),
        ("queue to_sign (dept1, 市监局)", lambda _i: worklists.work_queue(hl, handler, "to_sign")),
        ("queue returns (hotline)", lambda _i: worklists.work_queue(hl, operator, "returns")),
        (
            "queue to_dispatch (hotline)",
            lambda _i: worklists.work_queue(hl, operator, "to_dispatch"),
        ),
        (
            "find by phone (repeat caller)",
            lambda _i: queries.find(hl, operator, queries.FindQuery(phone=phone)),
        ),
        (
            "find by number",
            lambda i: queries.find(hl, operator, queries.FindQuery(number=numbers[i])),
        ),
        (
            "find by word 执照",
            lambda _i: queries.find(hl, operator, queries.FindQuery(words="执照")),
        ),
    ]
    for name, query in checks:
        query(0)  # warm the caches once
        samples = timed(runs, query)
        verdict = "ok" if p95(samples) <= GOAL_P95_MS else "MISSED"
        report.add(backend, name, percentiles(samples), f"p95 <= {GOAL_P95_MS:.0f} ms: {verdict}")


def bench_demo_command(url: str, folder: Path, orders: int) -> float:
    """Wall time of ``hotline demo`` as a user runs it (a new process, a fresh database)."""
    env = dict(os.environ)
    env.update(
        {
            "HOTLINE_DATA_DIR": str(folder / "demo"),
            "HOTLINE_AUDIT_KEY_FILE": str(folder / "demo" / "audit.key"),
            "HOTLINE_LOG_FILE": str(folder / "demo" / "hotline.log"),
            "HOTLINE_CACHE_DIR": str(folder / "cache"),
            "HOTLINE_CONFIG": str(folder / "absent.toml"),
        }
    )
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "hotline_tui.cli.main",
            "--db",
            url,
            "demo",
            "--orders",
            str(orders),
            "--json",
        ],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


# ------------------------------------------------------------------------------------------ main


def run_backend(backend: str, args: argparse.Namespace, folder: Path, report: Report) -> None:
    print(f"[{backend}]", flush=True)
    if args.intake:
        bench_intake_rate(backend, args, folder, report)
    if args.orders:
        bench_load(backend, args, folder, report)
    if args.demo:
        with fresh_database(backend, args.pg_url, folder) as url:
            seconds = bench_demo_command(url, folder, args.demo)
            report.add(
                backend,
                f"hotline demo ({args.demo:,} orders), wall",
                f"{seconds:8.1f} s",
                "minutes, not hours",
            )


def bench_intake_rate(backend: str, args: argparse.Namespace, folder: Path, report: Report) -> None:
    """(a): orders registered and dispatched per second, on a database holding a year of orders.

    Not on an empty one: a fresh database grows a hundredfold in the first seconds of the run,
    faster than PostgreSQL's autovacuum refreshes the planner's statistics, and plans made for
    tables of twenty rows (a scan of every caller to find one phone number, and the same in the
    foreign-key checks) make each call dearer than the one before. A running hotline's tables
    are large and analysed, which the demo generator's orders (analysed when it ends) stand for.
    """
    with fresh_database(backend, args.pg_url, folder) as url:
        hl = open_core(url, folder, pool_size=max(2, *args.writers))
        try:
            if args.intake_base:
                summary = generate(hl, seed=args.seed, orders=args.intake_base)
                report.add(
                    backend,
                    "orders in the database before the intake runs (generator)",
                    f"{summary.orders:8,}",
                )
            for writers in args.writers:
                rate = bench_intake(hl, args.intake, writers)
                report_intake(report, backend, args.intake, writers, rate)
        finally:
            hl.close()


def report_intake(report: Report, backend: str, count: int, writers: int, rate: IntakeRate) -> None:
    who = "1 writer" if writers == 1 else f"{writers} writer threads"
    report.add(
        backend,
        f"register+dispatch ({count} via services, {who}), wall",
        f"{rate.wall:8.1f} orders/s",
        f">= {GOAL_RATE:.0f}/s: {'ok' if rate.wall >= GOAL_RATE else 'MISSED'}"
        f" (load {os.getloadavg()[0]:.1f})",
    )
    report.add(
        backend,
        f"register+dispatch ({who}), CPU per order (client + server)",
        f"{rate.client_ms:5.2f} + {rate.server_ms:4.2f} ms = {rate.cpu:6.1f} orders/s",
        f">= {GOAL_RATE:.0f}/s: {'ok' if rate.cpu >= GOAL_RATE else 'MISSED'}",
    )


def bench_load(backend: str, args: argparse.Namespace, folder: Path, report: Report) -> None:
    """(b): load ``args.orders`` orders with the generator, then time the queries."""
    with fresh_database(backend, args.pg_url, folder) as url:
        if args.existing and backend == "sqlite":
            shutil.copyfile(args.existing, make_url(url).database or "")
        hl = open_core(url, folder)
        try:
            if args.existing:
                bench_existing(hl, report, backend, args)
                return
            last = [time.perf_counter()]

            def progress(done: int) -> None:
                if time.perf_counter() - last[0] > 30:
                    last[0] = time.perf_counter()
                    print(f"    … {done:,} of {args.orders:,} orders", flush=True)

            summary = generate(hl, seed=args.seed, orders=args.orders, progress=progress)
            report.add(
                backend,
                f"load {summary.orders:,} orders (generator)",
                f"{summary.seconds:8.1f} s  ({summary.orders / summary.seconds:,.0f}/s,"
                f" {summary.events:,} events)",
            )
            if args.multiply > 1:
                report_multiplied(hl, report, backend, args.multiply)
            bench_queries(hl, report, backend, args.runs, summary.repeat_phone)
        finally:
            hl.close()


def bench_existing(hl: Hotline, report: Report, backend: str, args: argparse.Namespace) -> None:
    """(b) on a database made before (``hotline demo --orders N``): on SQLite a copy of the
    file, on PostgreSQL its orders copied into this database."""
    if backend == "pg":
        copy_orders(args.existing, hl)
    if args.multiply > 1:
        report_multiplied(hl, report, backend, args.multiply)
    with hl.reading() as session:
        phone = session.execute(
            text(
                "SELECT contact_phone FROM ticket WHERE contact_phone IS NOT NULL"
                " GROUP BY contact_phone ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar()
    bench_queries(hl, report, backend, args.runs, phone)


def report_multiplied(hl: Hotline, report: Report, backend: str, times: int) -> None:
    total, seconds = multiply_orders(hl, times)
    report.add(
        backend,
        f"orders copied x{times} (stand-in for a generated load)",
        f"{total:,} orders in {seconds:6.1f} s",
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "pg", "both"], default="sqlite")
    parser.add_argument(
        "--orders",
        type=int,
        default=None,
        help="orders to load for the query benchmark (default 1,000,000; 0 skips it)",
    )
    parser.add_argument("--quick", action="store_true", help="50,000 orders instead")
    parser.add_argument("--intake", type=int, default=2000, help="orders for (a); 0 skips it")
    parser.add_argument(
        "--writers",
        type=lambda value: [int(part) for part in value.split(",")],
        default=[1, 4],
        help="writer thread counts for (a), comma-separated (default 1,4)",
    )
    parser.add_argument(
        "--intake-base",
        type=int,
        default=20000,
        help="orders generated into the database before (a) is timed (0: an empty database)",
    )
    parser.add_argument("--runs", type=int, default=200, help="runs per query")
    parser.add_argument("--demo", type=int, default=20000, help="orders for (c); 0 skips it")
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument(
        "--multiply",
        type=int,
        default=1,
        help="copy the loaded orders this many times over before timing the queries",
    )
    parser.add_argument(
        "--existing",
        metavar="SQLITE_FILE",
        help="time the queries on the orders of a database made before (e.g. by hotline demo)"
        " instead of generating them; they are copied into the benchmark's fresh database",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("HOTLINE_BENCH_PG", PG_DEFAULT),
        help="a PostgreSQL server URL (a database is created and dropped)",
    )
    args = parser.parse_args()
    if args.orders is None:
        args.orders = 50_000 if args.quick else 1_000_000
    backends = ["sqlite", "pg"] if args.backend == "both" else [args.backend]
    load = os.getloadavg()
    print(
        f"bench_core {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()};"
        f" {os.cpu_count()} CPUs; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    report = Report()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        folder = Path(tmp)
        configure_segmenter(folder / "cache" / "jieba")
        for backend in backends:
            run_backend(backend, args, folder, report)
    report.print()


if __name__ == "__main__":
    main()
