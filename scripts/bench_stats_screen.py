"""Benchmark of the console's 统计 mode (issue 17): prints figures, asserts nothing.

1. **Refresh**: for each view (tiles, league, heat, hours), what F9 costs: the worker's fetch
   (:meth:`StatsGateway.load`, the services over the roll-up and, for the hours, the orders)
   plus building the table and its lines' strips; p50 and p95 over ``--rounds``, beside a
   reference timed in the same run: a plain SQL group-by (category × area) over the period's
   raw orders, what the heat table would cost without the roll-up. Goal: p95 ≤ 200 ms at
   1,000,000 orders.
2. **Bytes per repaint** of the 8×8 heat table (level-1 categories × streets, the year) through
   a real pseudo-terminal at 80×24, ``--low-bandwidth`` and default: F9 reads the table again
   and repaints it; the bytes written on the table's rows (cursor-addressed writes attributed to
   their rows) and in all; a cursor move. Beside it, the reference: the same table's lines
   rendered by rich to a 16-colour and to a truecolour Console. Goal (low-bandwidth): ≤ 1.5 KB.

    .venv/bin/python scripts/bench_stats_screen.py [--orders 20000] [--db URL] [--rounds 30]
        [--period month] [--part refresh|bytes|all]

Without ``--db`` a demo city of ``--orders`` orders is made in a temporary SQLite database.
``measure_refresh(hl, actor, …)`` and ``print_refresh(…)`` are for ``bench_stats.py``.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from rich.color import Color  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.style import Style  # noqa: E402
from rich.text import Text  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlmodel import col  # noqa: E402
from sqlmodel import select as model_select  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from db.engine import make_engines  # noqa: E402
from db.models import Ticket, User  # noqa: E402
from hotline_tui.cli.main import app as cli_app  # noqa: E402
from hotline_tui.domain.kpi import Period, period_end, period_start  # noqa: E402
from hotline_tui.domain.kpi_facts import local_day  # noqa: E402
from hotline_tui.domain.moments import SHANGHAI  # noqa: E402
from hotline_tui.services.admin.users import actor_of  # noqa: E402
from hotline_tui.services.context import Actor, Hotline  # noqa: E402
from hotline_tui.settings import Settings  # noqa: E402
from hotline_tui.ui.screens.stats import build_table  # noqa: E402
from hotline_tui.ui.stats_draw import Table, line_text  # noqa: E402
from hotline_tui.ui.stats_gateway import PANES, StatsGateway  # noqa: E402
from hotline_tui.ui.widgets.number_table import row_strip  # noqa: E402

__all__ = ["measure_refresh", "print_refresh"]

F9, F10 = "\x1b[20~", "\x1b[21~"
RIGHT = "\x1b[C"
CUP = re.compile(rb"\x1b\[(\d+);(\d+)H")
TABLE_TOP = 3  # the screen's row (1-based) of the table's first line: top bar, title line


class _Core:
    def __init__(self, hl: Hotline, actor: Actor) -> None:
        self.hl, self.actor = hl, actor


def _ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _timed(work: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        out.append(time.perf_counter() - started)
    return out


def measure_refresh(
    hl: Hotline, actor: Actor, rounds: int = 30, period: Period = Period.MONTH
) -> dict[str, tuple[float, float]]:
    """p50 and p95 in ms of each view's refresh (fetch + table + strips) for the period holding
    today, and of the reference (a raw group-by over the period's orders), by name."""
    gateway = StatsGateway(_Core(hl, actor))
    out: dict[str, tuple[float, float]] = {}
    for pane in PANES:

        def refresh(pane: str = pane) -> None:
            table = build_table(gateway.load(pane, period, None))
            for row in table.rows:
                row_strip(row)

        refresh()  # warm: imports, the first connection
        out[pane] = _ms(_timed(refresh, rounds))
        if pane == "tiles":  # the sparklines' past periods read too (a fresh gateway)
            fresh = StatsGateway(_Core(hl, actor))

            def first_load(fresh: StatsGateway = fresh) -> None:
                build_table(fresh.load("tiles", period, None))

            out["tiles, first load"] = _ms(_timed(first_load, 1))
    first = period_start(local_day(hl.now()), period)
    start = datetime.combine(first, day_time(0), tzinfo=SHANGHAI)
    end = datetime.combine(period_end(first, period) + timedelta(days=1), day_time(0),
                           tzinfo=SHANGHAI)  # fmt: skip
    statement = (
        select(col(Ticket.category_id), col(Ticket.area_id), func.count())
        .where(col(Ticket.created_at) >= start, col(Ticket.created_at) < end)
        .group_by(col(Ticket.category_id), col(Ticket.area_id))
    )

    def raw() -> None:
        with hl.engines.read.connect() as conn:
            conn.execute(statement).all()

    raw()
    out["reference: raw group-by"] = _ms(_timed(raw, rounds))
    return out


def print_refresh(figures: dict[str, tuple[float, float]], label: str = "") -> None:
    print(f"统计 screen refresh (fetch + render), ms{label}:  goal p95 ≤ 200 at 1M orders")
    for name, (p50, p95) in figures.items():
        print(f"  {name:<24} p50 {p50:8.1f}   p95 {p95:8.1f}")


# ---------------------------------------------------------------- bytes


def _rows_of(output: bytes) -> dict[int, int]:
    """Bytes of ``output`` by the screen row they were written on (0: before any cursor
    address, e.g. the synchronised-output brackets)."""
    out: dict[int, int] = {}
    row, last = 0, 0
    for found in CUP.finditer(output):
        out[row] = out.get(row, 0) + found.start() - last
        row, last = int(found.group(1)), found.start()
    out[row] = out.get(row, 0) + len(output) - last
    return out


def _truecolour(style: Style) -> Style:
    def rgb(color: Color | None) -> Color | None:
        return Color.from_triplet(color.get_truecolor()) if color is not None else None

    return Style(color=rgb(style.color), bgcolor=rgb(style.bgcolor), bold=style.bold,
                 dim=style.dim)  # fmt: skip


def rich_reference(table: Table, system: str) -> int:
    """Bytes of ``table``'s lines written by rich to a ``system`` Console at 80 columns."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, color_system=system, force_terminal=True,  # type: ignore[arg-type]
                      legacy_windows=False)  # fmt: skip
    for row in table.rows:
        text = Text()
        for segment in row_strip(row):
            style = segment.style or Style()
            text.append(segment.text, _truecolour(style) if system == "truecolor" else style)
        console.print(text, no_wrap=True, crop=True)
    return len(buffer.getvalue().encode())


def measure_bytes(
    db: str, env: dict[str, str], low: bool, header: str, repeats: int = 5
) -> dict[str, Any]:
    """Bytes per F9 (on the table's rows, and in all) and per cursor move on the heat table
    whose header line is ``header``."""
    from bench_pty import Terminal, console_argv, mean, terminal_env

    term = Terminal(console_argv("sup1", low, db), terminal_env(env))
    try:
        term.settle(quiet=1.0, timeout=30)
        for key, shown in (
            (F10, "指标 │"),
            ("3", "分类"),
            ("p", "按季"),
            ("p", "按年"),
            ("a", header),
        ):
            since = time.monotonic()
            term.send(key)
            term.wait_shown(shown, since, timeout=60)
            term.settle(quiet=0.5)
        table_rows = 0
        totals, on_table = [], []
        for _ in range(repeats):
            before = len(term.output())
            term.send(F9)
            term.wait_for(b"\x1b", after=before, timeout=5)
            term.settle(quiet=0.5)
            written = term.output()[before:]
            rows = _rows_of(written)
            table_rows = max(table_rows, sum(1 for r in rows if r >= TABLE_TOP))
            totals.append(len(written))
            on_table.append(sum(n for r, n in rows.items() if TABLE_TOP <= r < TABLE_TOP + 10))
        moves = term.measure([RIGHT] * 5)
        return {"f9": mean(totals), "table": mean(on_table), "move": mean(moves)}
    finally:
        term.close()


def heat_reference(hl: Hotline, actor: Actor) -> tuple[Table, dict[str, int]]:
    gateway = StatsGateway(_Core(hl, actor))
    table = build_table(gateway.load("heat", Period.YEAR, None, "street"))
    return table, {s: rich_reference(table, s) for s in ("standard", "truecolor")}


# ---------------------------------------------------------------- setup


def seed(folder: Path, orders: int) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{folder / 'demo.db'}"
    env = _env(folder)
    started = time.perf_counter()
    result = CliRunner().invoke(cli_app, ["--db", url, "demo", "--orders", str(orders)], env=env)
    if result.exit_code != 0:
        raise SystemExit(f"demo failed: {result.output}{result.stderr}")
    print(f"demo city of {orders} orders made in {time.perf_counter() - started:.1f} s")
    return url, env


def _env(folder: Path) -> dict[str, str]:
    return {
        "HOTLINE_AUDIT_KEY_FILE": str(folder / "audit.key"),
        "HOTLINE_DATA_DIR": str(folder),
        "HOTLINE_LOG_FILE": str(folder / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(folder / "cache"),
        "HOTLINE_CONFIG": str(folder / "absent.toml"),
        "HOTLINE_KB_SEMANTIC": "0",
        "HOTLINE_CONSOLE_SCHEDULER": "off",
    }


def open_core(url: str, folder: Path) -> tuple[Hotline, Actor]:
    settings = Settings(data_dir=folder, database_url=url, audit_key_file=folder / "audit.key",
                        cache_dir=folder / "cache", log_file=folder / "hotline.log")  # fmt: skip
    hl = Hotline(settings, make_engines(settings.db_url))
    with hl.reading() as session:
        user = session.exec(model_select(User).where(col(User.username) == "sup1")).one()
        return hl, actor_of(user, session=session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--db", help="an existing demo database (its data dir: --data-dir)")
    parser.add_argument("--data-dir", help="the data dir of --db (audit key, logs)")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--period", default="month", choices=[p.value for p in Period])
    parser.add_argument("--part", default="all", choices=["refresh", "bytes", "all"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-stats-screen-") as tmp:
        folder = Path(args.data_dir or tmp)
        if args.db:
            url, env = args.db, _env(folder)
        else:
            url, env = seed(folder, args.orders)
        hl, actor = open_core(url, folder)
        try:
            if args.part in ("refresh", "all"):
                figures = measure_refresh(hl, actor, args.rounds, Period(args.period))
                print_refresh(figures, f", {args.period}, sup1")
            if args.part in ("bytes", "all"):
                table, reference = heat_reference(hl, actor)
                shape = f"{len(table.body)}×{len(table.header[0]) - 2}"
                width = len(line_text(table.rows[0]))
                print(f"heat table {shape} (+ header and legend: {len(table.rows)} lines of "
                      f"{width} characters), bytes per repaint:")  # fmt: skip
                print(f"  reference, rich 16 colours      {reference['standard']:7d}")
                print(f"  reference, rich truecolour      {reference['truecolor']:7d}")
                for low in (True, False):
                    got = measure_bytes(url, env, low, line_text(table.header[0]).rstrip())
                    mode = "low-bandwidth" if low else "default"
                    print(f"  console {mode:<13} F9: table rows {got['table']:7.0f}  all "
                          f"{got['f9']:7.0f}   cursor move {got['move']:5.0f}")  # fmt: skip
                print("  goal (low-bandwidth, table rows): ≤ 1536")
        finally:
            hl.close()


if __name__ == "__main__":
    main()
