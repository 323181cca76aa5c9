"""Fixtures: a migrated template database per backend (SQLite file, PostgreSQL template
database), copied for each test; a controllable clock; the test world's actors.

PostgreSQL tests use the server at ``HOTLINE_TEST_PG`` (default 127.0.0.1:5432, user postgres).
Outside CI they skip when no server answers; under ``CI=true`` that is a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hyp_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.engine import make_engines
from hotline_tui.services.admin.audit_key import create_key
from hotline_tui.services.admin.install import initialise
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.settings import Settings
from tests.world import actors, seed_world

PG_URL = os.environ.get("HOTLINE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Knowledge search by meaning embeds every article in the background: a test's ranking would
# change while it runs. Off for every process the tests start; the semantic tests turn it on.
os.environ.setdefault("HOTLINE_KB_SEMANTIC", "0")

hyp_settings.register_profile(
    "ci",
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hyp_settings.register_profile(
    "dev",
    max_examples=40,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hyp_settings.load_profile("ci" if IN_CI else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


class FakeClock:
    """A clock that stands still until told to move (deterministic timelines)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 3, 2, 1, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


def make_settings(data_dir: Path, key_file: Path, url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=url,
        audit_key_file=key_file,
        cache_dir=data_dir / "cache",
        log_file=data_dir / "hotline.log",
        write_retries=8,
        kb_semantic=False,  # tests/kb_index/test_semantic*.py turn it on where it is the point
    )


def pg_admin_url(database: str = "postgres") -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


def pg_available() -> bool:
    try:
        engine = create_engine(pg_admin_url(), connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def pg_execute(statement: str) -> None:
    engine = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "audit.key"
    create_key(path)
    return path


def _build_template(settings: Settings) -> None:
    hl = Hotline(settings, make_engines(settings.db_url))
    initialise(hl)
    seed_world(hl)
    hl.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory, key_file: Path) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    _build_template(make_settings(folder, key_file, f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_template(key_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not pg_available():
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable at {PG_URL} (CI=true: this is a failure)")
        pytest.skip("PostgreSQL not reachable (set HOTLINE_TEST_PG)")
    name = f"hl_tpl_{uuid.uuid4().hex[:10]}"
    pg_execute(f"CREATE DATABASE {name}")
    folder = tmp_path_factory.mktemp("pgtemplate")
    _build_template(make_settings(folder, key_file, pg_admin_url(name)))
    yield name
    pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "hotline.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    name = f"hl_t_{uuid.uuid4().hex[:12]}"
    pg_execute(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield pg_admin_url(name)
    pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Run the test on SQLite and on PostgreSQL."""
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture
def settings(tmp_path: Path, key_file: Path, db_url: str) -> Settings:
    return make_settings(tmp_path, key_file, db_url)


@pytest.fixture
def hl(settings: Settings, clock: FakeClock) -> Iterator[Hotline]:
    core = Hotline(settings, make_engines(settings.db_url), clock=clock)
    yield core
    core.close()


@pytest.fixture
def who(hl: Hotline) -> dict[str, Actor]:
    """The test world's users by username (op, disp, h1, h2, h3, sup, adm, system)."""
    return actors(hl)
