"""What the core benchmarks share: the table of figures they print, a fresh database on either
backend (dropped afterwards), the core over it with the demo city and users, and latency
percentiles. Used by ``bench_core.py`` and the benchmarks beside it."""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.engine import make_engines  # noqa: E402
from hotline_tui.demo.generator import ensure_demo_users  # noqa: E402
from hotline_tui.demo.seed import seed_city  # noqa: E402
from hotline_tui.services.admin import install as admin  # noqa: E402
from hotline_tui.services.admin.users import system_actor  # noqa: E402
from hotline_tui.services.context import Hotline  # noqa: E402
from hotline_tui.settings import Settings  # noqa: E402

__all__ = ["PG_DEFAULT", "Report", "fresh_database", "open_core", "p95", "percentiles", "timed"]

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"


class Report:
    """Rows of (backend, measure, figure, goal), printed as one table at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, backend: str, measure: str, figure: str, goal: str = "") -> None:
        self.rows.append((backend, measure, figure, goal))
        print(f"  {backend:7s} {measure:40s} {figure}", flush=True)

    def print(self) -> None:
        header = ("backend", "measure", "figure", "goal")
        widths = [max(_width(r[i]) for r in [header, *self.rows]) for i in range(4)]
        rule = "-+-".join("-" * w for w in widths)
        print()
        print(" | ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)))
        print(rule)
        for row in self.rows:
            print(" | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)))


def _width(value: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in value)


def _pad(value: str, width: int) -> str:
    return value + " " * (width - _width(value))


@contextlib.contextmanager
def fresh_database(backend: str, pg_url: str, folder: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        path = folder / f"bench-{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = f"hl_bench_{uuid.uuid4().hex[:10]}"
    admin_url = make_url(pg_url).set(drivername="postgresql+psycopg")
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        engine.dispose()


def open_core(url: str, folder: Path, pool_size: int = 2) -> Hotline:
    settings = Settings(
        data_dir=folder,
        database_url=url,
        audit_key_file=folder / "audit.key",
        cache_dir=folder / "cache",
        log_file=folder / "hotline.log",
    )
    hl = Hotline(settings, make_engines(url, pool_size=pool_size, max_overflow=2))
    admin.initialise(hl)
    system = system_actor(hl)
    seed_city(hl, system)
    ensure_demo_users(hl, system)
    return hl


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def percentiles(samples: list[float]) -> str:
    return (
        f"p50 {statistics.median(samples):6.2f}  p95 {p95(samples):6.2f}"
        f"  max {max(samples):7.2f} ms"
    )


def timed(runs: int, query: Callable[[int], object]) -> list[float]:
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        query(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples
