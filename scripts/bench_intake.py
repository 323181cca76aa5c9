"""Intake throughput through the services, for ``bench_core.py`` (a): orders registered and
dispatched per second by one or several writer threads of this process, by the wall clock and by
the CPU time this process and its PostgreSQL backends spent. Prints nothing; asserts nothing.
"""

from __future__ import annotations

import os
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import col, select

from db.models import Category, User
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.demo import text as demo_text
from hotline_tui.services.demo.city import AREA_PARENTS, AREAS, CATALOGUE, lookup_lead
from hotline_tui.services.tickets import intake
from hotline_tui.services.users import actor_of


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


def bench_intake(hl: Hotline, count: int, writers: int = 1) -> IntakeRate:
    """Orders registered and dispatched per second through ``intake.register``, by ``writers``
    threads of this process taking the calls in turn."""
    rng = random.Random(writers)  # other callers for each run on the same database
    operator = user(hl, "op1")
    with hl.reading() as session:
        leaves = [
            (tuple(path.split("/")), code)
            for path, code in session.execute(
                select(Category.path, Category.code).where(col(Category.level) == 3)
            )
        ]
    streets = [a for a in AREAS if a.level == "street"]
    calls = []
    for _ in range(count + 20):
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
    pids = backend_pids(hl)
    for call, disposition in calls[:20]:  # warm: connections, statement caches, jieba
        intake.register(hl, operator, call, disposition)
    shares = [calls[20 + index :: writers] for index in range(writers)]
    failures: list[BaseException] = []

    def take_calls(share: list[tuple[IntakeInput, intake.Disposition]]) -> None:
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
