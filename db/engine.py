"""Engines for SQLite (embedded default) and PostgreSQL (a whole city).

SQLite: WAL journal, a busy timeout, foreign keys on, and write transactions that start with
``BEGIN IMMEDIATE`` so that concurrent writers queue for the lock instead of failing half-way
(a plain ``BEGIN`` takes the write lock only at the first write and then fails with "database is
locked" or loses an update). Writers of the host take the lock in turn and a committed write is
fsynced after the lock is let go (:mod:`db.sqlite_writes`). Reads use their own sessions with a
plain ``BEGIN``.

PostgreSQL: psycopg 3 with a small pool per process, so that hundreds of console processes stay
within the server's connection limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from db.sqlite_writes import COMMITTED, WriterQueue, begin_write, end_write

WRITE_OPTION = "hotline_write"


@dataclass(frozen=True)
class Engines:
    """A read engine and a write view of it (same pool; writes begin IMMEDIATE on SQLite)."""

    read: Engine
    write: Engine

    @property
    def dialect(self) -> str:
        return self.read.dialect.name

    def dispose(self) -> None:
        self.read.dispose()


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and pick the psycopg 3 driver for it."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for another backend or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engines(
    url: str, *, busy_timeout_ms: int = 5000, pool_size: int = 2, max_overflow: int = 2
) -> Engines:
    """Create the engines for ``url`` (``sqlite:///path`` or ``postgresql://…``)."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, busy_timeout_ms)
    else:
        engine = create_engine(
            url,
            # A writer waiting on a row or the audit head gives up after the busy timeout (and
            # the unit of work retries, then reports Busy) instead of hanging behind a stuck one.
            connect_args={"options": f"-c lock_timeout={int(busy_timeout_ms)}"},
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=True,
            pool_recycle=1800,
        )
    return Engines(read=engine, write=engine.execution_options(**{WRITE_OPTION: True}))


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    parsed = make_url(url)
    database = None  # a file, named absolutely: the WAL beside it is fsynced after commits
    if (
        parsed.database
        and parsed.database != ":memory:"
        and not parsed.database.startswith("file:")
    ):
        database = Path(parsed.database).absolute()
        database.parent.mkdir(parents=True, exist_ok=True)
    queue = WriterQueue(database, busy_timeout_ms / 1000) if database is not None else None
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # NORMAL: a commit does not wait for the disk while holding the write lock. The WAL is
        # fsynced when the connection comes back to the pool after a committed write (before
        # the service returns), so a committed order survives a power loss all the same.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            begin_write(connection, queue, busy_timeout_ms)
        else:
            connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "commit")
    def _on_commit(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.connection.info[COMMITTED] = True

    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        end_write(record, database)

    return engine
