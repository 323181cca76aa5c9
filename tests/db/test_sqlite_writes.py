"""SQLite writers: the host's writer queue, a lock wait in fine steps, durable commits.

Every test waits for conditions, never for durations: a held lock is released by the test
itself (from inside the writer's retry), and an abandoned turn is waited for by trying it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from db import sqlite_writes
from db.engine import Engines, make_engines


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "w.db"


@pytest.fixture
def engines(database: Path) -> Iterator[Engines]:
    made = make_engines(f"sqlite:///{database}", busy_timeout_ms=5000)
    with made.read.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    yield made
    made.dispose()


def turn_is_free(database: Path) -> bool:
    """Whether another writer could take the host's turn now."""
    fd = os.open(f"{database}-writers", os.O_RDONLY | os.O_CREAT, 0o664)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_writer_holds_the_host_turn_while_it_waits_and_passes_it_on_with_the_lock(
    engines, database, monkeypatch
):
    """SQLite's own busy handler sleeps in steps growing to 100 ms; a writer here waits in its
    turn, in steps of at most a millisecond or so, and lets the next one in line wait next."""
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another program's write, outside the host's queue
    slept: list[float] = []
    turn_held: list[bool] = []

    def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        turn_held.append(not turn_is_free(database))
        if len(slept) == 12:
            holder.execute("ROLLBACK")

    monkeypatch.setattr(time, "sleep", fake_sleep)
    try:
        with engines.write.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (2)"))
            assert turn_is_free(database)  # holding the lock, not the turn
    finally:
        holder.close()
    assert len(slept) == 12 and all(turn_held)
    assert max(slept) <= sqlite_writes.LONGEST_RETRY_S * 1.5
    with engines.read.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 1


def test_reads_do_not_queue(engines, database):
    stuck = os.open(f"{database}-writers", os.O_RDONLY | os.O_CREAT, 0o664)
    fcntl.flock(stuck, fcntl.LOCK_EX)
    try:
        with engines.read.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        os.close(stuck)


def test_a_lock_held_past_the_busy_timeout_is_still_database_is_locked(database):
    made = make_engines(f"sqlite:///{database}", busy_timeout_ms=30)
    with made.read.connect() as conn:  # the file in WAL mode, the pool's connection open
        conn.execute(text("SELECT 1"))
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Exception, match="locked"), made.write.begin() as conn:
            conn.execute(text("SELECT 1"))
        with made.read.connect() as conn:  # the connection's busy timeout is restored
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        made.dispose()
    assert turn_is_free(database)


def test_a_turn_that_does_not_come_leaves_the_writer_to_sqlite_and_is_let_go_later(database):
    made = make_engines(f"sqlite:///{database}", busy_timeout_ms=30)
    stuck = os.open(f"{database}-writers", os.O_RDONLY | os.O_CREAT, 0o664)
    fcntl.flock(stuck, fcntl.LOCK_EX)  # a writer of this host that does not let go
    try:
        with made.write.begin() as conn:  # SQLite's lock is free: the write goes through
            conn.execute(text("CREATE TABLE u (x INTEGER)"))
    finally:
        os.close(stuck)
        made.dispose()
    # The waiter given up on takes the turn when it comes and lets it go at once.
    for _ in range(10_000):
        if turn_is_free(database):
            break
        os.sched_yield()
    assert turn_is_free(database)


def test_a_committed_write_syncs_the_wal_before_returning(engines, database, monkeypatch):
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    with engines.write.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (3)"))
    assert synced == [f"{database}-wal"]
    with engines.write.connect() as conn:
        conn.begin()
        conn.execute(text("INSERT INTO t VALUES (4)"))
        conn.rollback()
    with engines.read.connect() as conn:
        conn.begin()
        conn.execute(text("SELECT count(*) FROM t"))
        conn.commit()
    assert synced == [f"{database}-wal"]  # a rollback or a read has nothing to sync
