#!/usr/bin/env python3
"""Benchmark of the time-limit boards: the overdue query over a million orders.

Prints figures and never asserts on time. For each backend (a fresh SQLite file, or a fresh
PostgreSQL database ``hl_bench_<random>`` dropped afterwards) it migrates, seeds the demo city and
users, loads ``--orders`` orders of which ``--open`` are still open — each with one lead
assignment and stored due times, the open ones spread from ten working days overdue to ten days
ahead — and then times, over ``--runs`` runs, the boards the console and the scheduler read:

- overdue counts per department (``deadlines.counts``, one grouped statement);
- the first 50 overdue orders of the whole city, and of one department (``deadlines.rows``);
- near-due counts, sign-overdue counts.

The rows are written straight into the tables with executemany: this measures the queries, not
the generator (``bench_core.py`` measures that). Goal: the overdue query at most 100 ms.

    .venv/bin/python scripts/bench_deadlines.py --backend both
    .venv/bin/python scripts/bench_deadlines.py --backend sqlite --orders 200000 --open 20000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlmodel import col

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_common import PG_DEFAULT, Report, fresh_database, open_core, percentiles  # noqa: E402
from bench_intake import user  # noqa: E402

from db.models import Assignment, Department, Ticket, User  # noqa: E402
from hotline_tui.domain.states import AssignmentState, Ending, TicketState  # noqa: E402
from hotline_tui.services.context import Hotline  # noqa: E402
from hotline_tui.services.tickets import deadlines  # noqa: E402
from hotline_tui.services.tickets.deadlines import Board  # noqa: E402

GOAL_MS = 100.0
CHUNK = 20_000
OPEN_STATES = [
    (TicketState.PENDING_SIGN, AssignmentState.PENDING_SIGN, 0.15),
    (TicketState.IN_PROGRESS, AssignmentState.IN_PROGRESS, 0.7),
    (TicketState.RETURN_REVIEW, AssignmentState.RETURN_REVIEW, 0.05),
    (TicketState.EXTENSION_REVIEW, AssignmentState.EXTENSION_REVIEW, 0.1),
]


def _rows(
    rng: random.Random, first: int, count: int, open_every: int, now: datetime, ids: dict[str, Any]
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(ticket, assignment) rows for ids ``first`` … ``first + count - 1``."""
    for ticket_id in range(first, first + count):
        created = now - timedelta(days=365 * (1 - ticket_id / ids["total"]) + rng.random())
        is_open = ticket_id % open_every == 0
        if is_open:
            ticket_state, assignment_state, _ = rng.choices(
                OPEN_STATES, weights=[w for *_, w in OPEN_STATES]
            )[0]
            due = now + timedelta(days=rng.uniform(-10, 10))
        else:
            ticket_state, assignment_state = TicketState.CLOSED, AssignmentState.DONE
            due = created + timedelta(days=7)
        started = due - timedelta(days=7)
        ticket = {
            "id": ticket_id,
            "number": f"{created:%Y%m%d}{ticket_id:07d}",
            "state": ticket_state.value,
            "ending": None if is_open else Ending.VISITED.value,
            "request_type": "complaint",
            "urgency": "normal",
            "channel": "phone",
            "description": "基准测试工单",
            "search_text": "",
            "contact_phone": f"139{ticket_id:08d}",
            "created_at": created,
            "registered_by": ids["operator"],
            "updated_at": created,
            "closed_at": None if is_open else due,
            "lead_assignment_id": ticket_id,
        }
        assignment = {
            "id": ticket_id,
            "ticket_id": ticket_id,
            "dept_id": rng.choice(ids["depts"]),
            "role": "lead",
            "state": assignment_state.value,
            "created_at": started,
            "dispatched_by": ids["operator"],
            "signed_at": None if assignment_state is AssignmentState.PENDING_SIGN else started,
            "sign_due_at": started + timedelta(days=1),
            "due_at": due,
            "warn_at": due - timedelta(days=1.4),
            "clock_started_at": started,
            "time_limit": "5wd",
            "sign_limit": "1wd",
        }
        yield ticket, assignment


def load(hl: Hotline, orders: int, open_orders: int, now: datetime, seed: int) -> float:
    """Write the orders and their assignments; the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    with hl.engines.write.connect() as conn:
        depts = [int(i or 0) for i in conn.execute(select(col(Department.id))).scalars()]
        operator = conn.execute(
            select(col(User.id)).where(col(User.username) == "op1")
        ).scalar_one()
    ids = {"depts": depts, "operator": operator, "total": orders}
    open_every = max(1, orders // max(1, open_orders))
    ticket_table, assignment_table = Ticket.__table__, Assignment.__table__  # type: ignore[attr-defined]
    for first in range(1, orders + 1, CHUNK):
        pairs = list(_rows(rng, first, min(CHUNK, orders - first + 1), open_every, now, ids))
        with hl.engines.write.begin() as conn:
            conn.execute(insert(ticket_table), [t for t, _ in pairs])
            conn.execute(insert(assignment_table), [a for _, a in pairs])
        if first // CHUNK % 10 == 0:
            print(f"    … {first + len(pairs) - 1:,} orders", flush=True)
    # What autovacuum does on a live server (it is off on the test server): statistics for the
    # planner and, on PostgreSQL, the visibility map that lets the boards read only the index.
    if hl.dialect == "postgresql":
        with hl.engines.write.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    with hl.engines.write.connect() as conn:
        if hl.dialect == "postgresql":
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('ticket', 'id'), :n)"), {"n": orders}
            )
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('assignment', 'id'), :n)"), {"n": orders}
            )
        conn.execute(text("ANALYZE"))
        conn.commit()
    return time.perf_counter() - started


def timed(runs: int, query: Callable[[], object]) -> list[float]:
    query()  # warm the caches and the statement cache once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        query()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run_backend(backend: str, args: argparse.Namespace, folder: Path, report: Report) -> None:
    print(f"[{backend}]", flush=True)
    with fresh_database(backend, args.pg_url, folder) as url:
        hl = open_core(url, folder)
        try:
            now = datetime.now(UTC)
            seconds = load(hl, args.orders, args.open, now, args.seed)
            report.add(
                backend, f"load {args.orders:,} orders ({args.open:,} open)", f"{seconds:8.1f} s"
            )
            sup = user(hl, "sup1")
            overdue = deadlines.counts(hl, sup, now=now, boards=(Board.OVERDUE,))
            total = sum(c.count for c in overdue)
            busiest = max(overdue, key=lambda c: c.count).dept if overdue else None
            report.add(backend, "overdue orders found", f"{total:,} in {len(overdue)} departments")
            queries: list[tuple[str, Callable[[], object]]] = [
                (
                    "overdue counts by department",
                    lambda: deadlines.counts(hl, sup, now=now, boards=(Board.OVERDUE,)),
                ),
                (
                    "first 50 overdue, whole city",
                    lambda: deadlines.rows(hl, sup, "overdue", now=now, limit=50),
                ),
                (
                    f"first 50 overdue, department {busiest}",
                    lambda: deadlines.rows(hl, sup, "overdue", now=now, dept=busiest, limit=50),
                ),
                (
                    "near-due counts by department",
                    lambda: deadlines.counts(hl, sup, now=now, boards=(Board.NEAR_DUE,)),
                ),
                (
                    "sign-overdue counts by department",
                    lambda: deadlines.counts(hl, sup, now=now, boards=(Board.SIGN_OVERDUE,)),
                ),
            ]
            for name, query in queries:
                samples = timed(args.runs, query)
                p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
                verdict = "ok" if p95 <= GOAL_MS else "MISSED"
                report.add(
                    backend, name, percentiles(samples), f"p95 <= {GOAL_MS:.0f} ms: {verdict}"
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
    parser.add_argument("--runs", type=int, default=50)
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
