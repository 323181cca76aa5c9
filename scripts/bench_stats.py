"""Benchmark of the measures' roll-up (issue 17): prints figures, asserts nothing.

A demo city of ``--orders`` orders (a year, ``hotline demo``) in a fresh database, then:

- the full rebuild of the roll-up (every order's facts, in batches), beside the reference
  measured in the same run: plain SQL group-bys over the raw rows for a few of the same counts
  (registrations per day and channel, parts per day and department, closed orders' hand-overs);
- the minute update after 50 new audit events (orders registered, dispatched and signed through
  the services), three times;
- ``hotline kpi --period month --by dept`` as the service computes it (figures only, no printing),
  for a supervisor, with a category excluded from 满意率, and for a handler (their department),
  beside the reference measured in the same run: the same report summed from the daily cells
  (``cells_only``, the path before the department days); then the command end to end (a new
  process: start, sign-in, query, printing), beside ``hotline --help`` (the process alone);
- the console's 统计 mode: each view's refresh, fetch and render (``bench_stats_screen.py``),
  and the same with the measures summed from the cells (the reference).

    .venv/bin/python scripts/bench_stats.py [--orders 20000] [--pg postgresql://…/db_to_create]
    .venv/bin/python scripts/bench_stats.py --db URL --data DIR   # a demo city made before
    .venv/bin/python scripts/bench_stats.py --db URL --data DIR --reads-only  # its roll-up as is

With ``--pg`` the database named in the URL is created (it must not exist) and dropped after.
With ``--db`` the city is one ``hotline demo`` made already (``--data``: its data folder, where
its audit key is): a million orders take the demo generator hours on a small machine. The
bench adds its few dozen orders to it.

The rebuild is shown with the process's CPU time beside the wall time (on a shared machine the
wall time counts the waits for a core; on PostgreSQL the server's work is not in the CPU time)
and as the time per order, so that a smaller city tells what a year of a million would take.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_stats_screen import measure_refresh, print_refresh  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import col, select  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from db.engine import make_engines  # noqa: E402
from db.models import Category, User  # noqa: E402
from hotline_tui.cli.main import app  # noqa: E402
from hotline_tui.domain.intake import CallerInput, IntakeInput  # noqa: E402
from hotline_tui.domain.kpi import Period  # noqa: E402
from hotline_tui.services.admin.users import actor_of  # noqa: E402
from hotline_tui.services.context import Actor, Hotline  # noqa: E402
from hotline_tui.services.stats import figures as figures_module  # noqa: E402
from hotline_tui.services.stats import rollup  # noqa: E402
from hotline_tui.services.stats.figures import KpiQuery, figures  # noqa: E402
from hotline_tui.services.tickets import handling, intake  # noqa: E402
from hotline_tui.services.tickets.intake import Disposition  # noqa: E402
from hotline_tui.settings import Settings  # noqa: E402

REFERENCE_SQL = (
    "SELECT substr(CAST(created_at AS TEXT), 1, 10) AS d, channel, count(*) FROM ticket"
    " GROUP BY d, channel",
    "SELECT substr(CAST(created_at AS TEXT), 1, 10) AS d, dept_id, count(*) FROM assignment"
    " GROUP BY d, dept_id",
    "SELECT substr(CAST(closed_at AS TEXT), 1, 10) AS d, sum(handover_count), count(*)"
    " FROM ticket WHERE closed_at IS NOT NULL GROUP BY d",
)


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def seed(url: str, folder: Path, orders: int) -> dict[str, str]:
    env = {
        "HOTLINE_AUDIT_KEY_FILE": str(folder / "audit.key"),
        "HOTLINE_DATA_DIR": str(folder),
        "HOTLINE_LOG_FILE": str(folder / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(folder / "cache"),
        "HOTLINE_CONFIG": str(folder / "absent.toml"),
        "HOTLINE_KB_SEMANTIC": "0",
    }
    result = CliRunner().invoke(app, ["--db", url, "demo", "--orders", str(orders)], env=env)
    if result.exit_code != 0:
        raise SystemExit(f"demo failed: {result.output}{result.stderr}")
    return env


def user(hl: Hotline, name: str) -> Actor:
    with hl.reading() as session:
        return actor_of(
            session.exec(select(User).where(User.username == name)).one(), session=session
        )


def fifty_events(hl: Hotline, op: Actor, handler: Actor, dept: str) -> None:
    """About 50 audit events: orders registered and dispatched, then signed."""
    numbers: list[str] = []
    while len(numbers) < 12:
        numbers.append(
            intake.register(
                hl, op,
                IntakeInput(request_type="complaint", description="小区门口路灯不亮，晚上出行不便",
                            caller=CallerInput(name="王五", phone="13800138000")),
                Disposition(kind="dispatch", lead_dept=dept),
            ).number
        )  # fmt: skip
    for number in numbers:
        handling.sign(hl, handler, number)


def _median_ms(work: Callable[[], object], rounds: int = 7) -> float:
    work()  # warm: the first connection, the reference rows
    return statistics.median(timed(work) for _ in range(rounds)) * 1000


def bench_kpi(hl: Hotline, sup: Actor, handler: Actor, backend: str) -> None:
    """``kpi --period month --by dept`` through the service, from the department days and,
    the reference, from the cells; plain, with a level-1 category excluded from 满意率, and as
    a handler sees it."""
    query = KpiQuery(period=Period.MONTH, by="dept")
    with hl.reading() as session:
        excluded = session.exec(
            select(Category.code).where(Category.level == 1).order_by(col(Category.id))
        ).first()
    plain = hl.settings
    cases = [("主管", sup, plain), ("主管，满意率排除 " + str(excluded), sup,
              plain.model_copy(update={"kpi_satisfaction_excluded_categories": [excluded]})),
             ("承办单位 " + str(handler.dept_code), handler, plain)]  # fmt: skip
    print(f"kpi --period month --by dept（服务层，{backend}），中位数：")
    for name, actor, settings in cases:
        hl.settings = settings
        try:
            quick = _median_ms(functools.partial(figures, hl, actor, query))
            cells = _median_ms(functools.partial(figures, hl, actor, query, cells_only=True))
            same = figures(hl, actor, query) == figures(hl, actor, query, cells_only=True)
        finally:
            hl.settings = plain
        print(f"  {name:<28} 部门日表 {quick:7.1f} ms   参照（日单元格求和）{cells:7.1f} ms"
              f"   结果相同 {'是' if same else '否'}")  # fmt: skip


def bench_command(url: str, folder: Path, key: Path) -> None:
    """``hotline kpi --period month --by dept`` end to end, a new process each time."""
    env = {**os.environ, "HOTLINE_AUDIT_KEY_FILE": str(key), "HOTLINE_DATA_DIR": str(folder),
           "HOTLINE_LOG_FILE": str(folder / "hotline.log"),
           "HOTLINE_CACHE_DIR": str(folder / "cache"),
           "HOTLINE_CONFIG": str(folder / "absent.toml"), "HOTLINE_KB_SEMANTIC": "0"}  # fmt: skip
    hotline = str(Path(sys.executable).parent / "hotline")
    command = [hotline, "--db", url, "--as", "sup1", "kpi", "--period", "month", "--by", "dept"]

    def run(argv: list[str]) -> None:
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)

    whole = _median_ms(lambda: run(command), rounds=5)
    alone = _median_ms(lambda: run([hotline, "--help"]), rounds=5)
    print(
        f"hotline kpi --period month --by dept 端到端（新进程）中位数 {whole:.0f} ms；"
        f"参照 hotline --help {alone:.0f} ms"
    )


def bench_writes(hl: Hotline, count: int, reference: float, handler: Actor) -> None:
    """The full rebuild, then the minute update after about 50 new events, three times."""
    cpu = time.process_time()
    rebuild = timed(lambda: rollup.rebuild(hl))
    cpu = time.process_time() - cpu
    per = rebuild / max(count, 1)
    print(
        f"全量重算 {rebuild:.2f} s（本进程 CPU {cpu:.2f} s），每件 {per * 1e6:.0f} µs，"
        f"按此 100 万件约 {per * 1e6:.0f} s；参照（三条原始 SQL 分组计数）{reference:.2f} s"
    )
    op = user(hl, "op1")
    for attempt in range(3):
        fifty_events(hl, op, handler, handler.dept_code or "M01")
        seconds = timed(lambda: rollup.update(hl))
        print(f"增量更新（约 50 条新事件）第 {attempt + 1} 次 {seconds * 1000:.0f} ms")


def bench(
    url: str, orders: int, folder: Path, *, existing: bool = False, reads_only: bool = False
) -> None:
    started = time.perf_counter()
    key = (
        folder / "audit.key"
        if existing
        else Path(seed(url, folder, orders)["HOTLINE_AUDIT_KEY_FILE"])
    )
    backend = make_url(url).get_backend_name()
    if not existing:
        print(f"数据库 {backend}，演示工单 {orders}，生成 {time.perf_counter() - started:.1f} s")
    settings = Settings(data_dir=folder, database_url=url, audit_key_file=key,
                        cache_dir=folder / "cache", log_file=folder / "hotline.log")  # fmt: skip
    hl = Hotline(settings, make_engines(url))
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            reference = timed(lambda: [conn.execute(text(q)).all() for q in REFERENCE_SQL])
            count = int(conn.execute(text("SELECT count(*) FROM ticket")).scalar() or 0)
        engine.dispose()
        if existing:
            print(f"数据库 {backend}，已有演示工单 {count}")
        handler = user(hl, "dept1")
        if not reads_only:
            bench_writes(hl, count, reference, handler)
        sup = user(hl, "sup1")
        bench_kpi(hl, sup, handler, backend)
        bench_command(url, folder, key)
        # The console's 统计 mode on the same city: each view's fetch + render.
        print_refresh(measure_refresh(hl, sup, rounds=10), f", month, sup1, {backend}")
        quick = figures_module.figures
        figures_module.figures = functools.partial(quick, cells_only=True)
        try:
            label = f", month, sup1, {backend}, reference: summed from the cells"
            print_refresh(measure_refresh(hl, sup, rounds=10), label)
        finally:
            figures_module.figures = quick
    finally:
        hl.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--pg", help="a PostgreSQL URL whose database is created and dropped")
    parser.add_argument("--db", help="the URL of a demo city made before (nothing is dropped)")
    parser.add_argument("--data", type=Path, help="with --db: the demo's data folder")
    parser.add_argument("--reads-only", action="store_true",
                        help="with --db: no rebuild, no new events")  # fmt: skip
    args = parser.parse_args()
    if args.db:
        if args.data is None:
            parser.error("--db needs --data (the folder with the demo's audit.key)")
        bench(args.db, 0, args.data, existing=True, reads_only=args.reads_only)
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-stats-"))
    try:
        bench(f"sqlite:///{folder / 'hotline.db'}", args.orders, folder / "sqlite")
        if args.pg:
            name = make_url(args.pg).database
            admin = create_engine(make_url(args.pg).set(database="postgres"),
                                  isolation_level="AUTOCOMMIT")  # fmt: skip
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE {name}"))
            try:
                bench(args.pg, args.orders, folder / "pg")
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                admin.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
