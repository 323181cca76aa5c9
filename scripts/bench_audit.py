#!/usr/bin/env python3
"""Benchmark of audit verification: the chain walk, the deep check, the daily sample, and the
check that every order has its registration event on a database of a million orders.

Prints figures and never asserts on time. For each backend (a fresh SQLite file, or a fresh
PostgreSQL database ``hl_bench_<random>`` dropped afterwards):

(a) ``--orders`` orders made by the demo generator (valid events), then the wall time of
    ``audit verify`` (chain walk, checkpoints, registration check), of ``audit verify --deep``
    and of the scheduler's daily sample (``audit_deep``), each with its rate;
(b) the orders and their events copied ``--multiply`` times under new ids and numbers (copied
    events keep their MACs, so only the queries below are timed on them, not a verification),
    then the registration check (orders without their registration event, registration events
    without their order: two anti-joins) with the partial index ``ix_audit_event_register``,
    and beside it, on the same database in the same run, the same check without that index
    (dropped and made again) and a plain ``count(*)`` of the orders as the floor; each the
    faster of two runs, after ``VACUUM ANALYZE`` (PostgreSQL) or ``ANALYZE`` (SQLite).

    .venv/bin/python scripts/bench_audit.py --backend both --orders 20000 --multiply 50
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_common import PG_DEFAULT, Report, fresh_database, open_core  # noqa: E402
from bench_scale import multiply_orders  # noqa: E402

from hotline_tui.demo.generator import generate  # noqa: E402
from hotline_tui.domain.audit_chain import VerifyReport  # noqa: E402
from hotline_tui.services.admin import (  # noqa: E402
    audit,
    audit_deep,
)
from hotline_tui.services.context import Hotline  # noqa: E402
from hotline_tui.services.scheduling import daily as scheduler_daily  # noqa: E402

EVENT_COLUMNS = (
    "at, actor_id, actor, os_user, action, entity, entity_version, assignment_id, dept_id,"
    " from_state, to_state, note, data, key_id, prev_mac, mac"
)
SHIFTED_COLUMNS = EVENT_COLUMNS.replace("assignment_id", "assignment_id + :da")


def seconds(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def copy_events(hl: Hotline, times: int, tickets: int, parts: int) -> int:
    """Copy the events of the first ``tickets`` orders for each copy ``multiply_orders`` made
    (seq, ticket and part ids shifted the same way); returns the events there are now."""
    with hl.engines.write.begin() as conn:
        head = int(conn.execute(text("SELECT max(seq) FROM audit_event")).scalar() or 0)
        for copy in range(1, times):
            conn.execute(
                text(
                    f"INSERT INTO audit_event (seq, ticket_id, entity_id, {EVENT_COLUMNS})"
                    " SELECT seq + :ds, ticket_id + :dt,"
                    " CASE entity WHEN 'ticket' THEN entity_id + :dt"
                    " WHEN 'assignment' THEN entity_id + :da ELSE entity_id END,"
                    f" {SHIFTED_COLUMNS}"
                    " FROM audit_event WHERE seq <= :head AND ticket_id <= :top"
                ),
                {
                    "ds": head * copy,
                    "dt": tickets * copy,
                    "da": parts * copy,
                    "head": head,
                    "top": tickets,
                },
            )
            if copy % 10 == 0 or copy == times - 1:
                print(f"    … events of copy {copy} of {times - 1}", flush=True)
        return int(conn.execute(text("SELECT count(*) FROM audit_event")).scalar() or 0)


def registration_check(hl: Hotline) -> tuple[int, int]:
    with hl.reading() as session:
        missing, _ = audit.unregistered_orders(session)
        gone, _ = audit.vanished_orders(session)
    return missing, gone


def run_backend(backend: str, args: argparse.Namespace, folder: Path, report: Report) -> None:
    print(f"[{backend}]", flush=True)
    with fresh_database(backend, args.pg_url, folder) as url:
        hl = open_core(url, folder)
        try:
            summary = generate(hl, seed=args.seed, orders=args.orders)
            report.add(
                backend, "orders / events (generator)", f"{summary.orders:,} / {summary.events:,}"
            )
            audit.checkpoint(hl)
            took, verified = seconds(lambda: audit.verify(hl))
            assert isinstance(verified, VerifyReport) and verified.ok, verified
            report.add(
                backend,
                "audit verify (walk + checkpoints + orders)",
                f"{took:7.2f} s  ({verified.checked / took:,.0f} events/s)",
            )
            took, deep = seconds(lambda: audit_deep.verify_rows(hl))
            assert isinstance(deep, audit_deep.DeepReport), deep
            assert deep.ok, deep.mismatches[:3]
            report.add(
                backend,
                "audit verify --deep (rows against events)",
                f"{took:7.2f} s  ({deep.orders / took:,.0f} orders/s)",
            )
            took, daily = seconds(lambda: scheduler_daily.audit_deep(hl, hl.now()))
            assert isinstance(daily, dict)
            report.add(
                backend,
                "daily deep sample (changed + 1,000 drawn)",
                f"{took:7.2f} s  ({daily['orders']:,} orders)",
            )
            if args.multiply > 1:
                with hl.reading() as session:
                    tickets = int(session.execute(text("SELECT max(id) FROM ticket")).scalar_one())
                    parts = int(
                        session.execute(text("SELECT max(id) FROM assignment")).scalar_one()
                    )
                total, took = multiply_orders(hl, args.multiply)
                events = copy_events(hl, args.multiply, tickets, parts)
                report.add(backend, "orders / events after copying", f"{total:,} / {events:,}")
                bench_registration(hl, backend, report)
        finally:
            hl.close()


def best_of_two(work: Callable[[], object]) -> tuple[float, object]:
    """The faster of two runs: the second finds the pages the first read in the cache."""
    first, result = seconds(work)
    second, _ = seconds(work)
    return min(first, second), result


def bench_registration(hl: Hotline, backend: str, report: Report) -> None:
    # As autovacuum leaves a live database: statistics, and PostgreSQL's visibility map
    # (without it an index-only scan still reads the table).
    with hl.engines.write.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if backend == "pg" else "ANALYZE"))
    took, counted = best_of_two(lambda: registration_check(hl))
    report.add(backend, "registration check, partial index", f"{took:7.2f} s  {counted}")
    with hl.engines.write.begin() as conn:
        conn.execute(text("DROP INDEX ix_audit_event_register"))
    took, counted = best_of_two(lambda: registration_check(hl))
    report.add(backend, "  reference: the same without that index", f"{took:7.2f} s  {counted}")
    with hl.engines.write.begin() as conn:
        conn.execute(
            text(
                "CREATE INDEX ix_audit_event_register ON audit_event (ticket_id)"
                " WHERE action = 'register'"
            )
        )
    with hl.reading() as session:
        took, _ = best_of_two(lambda: session.execute(text("SELECT count(*) FROM ticket")).scalar())
    report.add(backend, "  reference: count(*) of the orders", f"{took:7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "pg", "both"), default="sqlite")
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--multiply", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    report = Report()
    backends = ("sqlite", "pg") if args.backend == "both" else (args.backend,)
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            folder = Path(tmp) / backend  # its own key and checkpoint file
            folder.mkdir()
            run_backend(backend, args, folder, report)
    report.print()


if __name__ == "__main__":
    main()
