"""How writers of one SQLite file take the write lock in turn, and make their commits durable.

SQLite has one write lock per database. Its own busy handler (what Python's ``timeout`` and
``PRAGMA busy_timeout`` use) retries in growing sleeps (1, 2, 5, 10 … then 100 ms steps): a
writer that has waited a while sleeps through many releases and loses the lock to newcomers, so
under eight writer processes a few orders waited seconds while most took milliseconds. Here:

- **The host's writer queue.** A writer first takes an exclusive ``flock`` on a file beside the
  database (``hotline.db-writers``), waits for SQLite's lock while holding it, and lets it go
  the moment it has the lock. So at most one of this host's writers is polling for the lock;
  the others sleep in the kernel and are woken one at a time, in the order they came (Linux
  queues a blocked ``flock`` behind the waiter it conflicts with). A writer that has just
  committed queues behind them. The queue only orders this project's writers; anything else
  (``sqlite3``, a backup) meets them at SQLite's lock, below.
- **BEGIN IMMEDIATE, retried finely.** The connection's busy timeout is set to zero for the
  ``BEGIN IMMEDIATE`` and the statement retried from Python in steps growing from 0.1 to 1 ms
  (with jitter) until the busy timeout is spent; then SQLite's "database is locked" goes up as
  before and the unit of work turns it into ``Busy``.
- **Durable commits, fsync outside the lock.** The database runs with ``synchronous=NORMAL``:
  SQLite's commit appends to the WAL without an fsync, so the write lock is not held through a
  disk flush (4-8 ms on the test machine's disk, the whole of a short write transaction several
  times over). When the connection goes back to the pool after a committed write, the WAL file is
  fsynced before the service call returns: an order whose number the operator was shown
  survives a power loss, as with ``synchronous=FULL``, and concurrent writers' flushes overlap.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

COMMITTED = "hotline_committed"
FIRST_RETRY_S = 0.0001
LONGEST_RETRY_S = 0.001
SQLITE_BUSY = 5


class WriterQueue:
    """Writers of one SQLite file on this host wait for their turn on an flock'd file."""

    def __init__(self, database: Path, timeout_s: float) -> None:
        self.path = Path(f"{database}-writers")
        self.timeout_s = timeout_s

    def acquire(self) -> int | None:
        """A file descriptor holding the turn, or None: the file cannot be opened (a read-only
        directory), or the turn did not come within the timeout (SQLite's lock decides)."""
        try:
            # Read-only is enough for flock: operators of one site need only read the file.
            fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o664)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            pass
        return fd if _wait_for_turn(fd, self.timeout_s) else None


def _wait_for_turn(fd: int, timeout_s: float) -> bool:
    """Block in the kernel for the flock, at most ``timeout_s``.

    ``flock`` itself has no timeout, so a helper thread waits; a turn that comes after the
    caller gave up is let go at once (the descriptor is closed).
    """
    got = threading.Event()
    guard = threading.Lock()
    abandoned = False

    def wait() -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        with guard:
            if abandoned:
                os.close(fd)
            else:
                got.set()

    threading.Thread(target=wait, name="hotline-write-turn", daemon=True).start()
    if got.wait(timeout_s):
        return True
    with guard:
        if got.is_set():
            return True
        abandoned = True
    return False


def begin_write(connection: Any, queue: WriterQueue | None, busy_timeout_ms: int) -> None:
    """Wait for the host's turn, then for SQLite's write lock (``BEGIN IMMEDIATE``), and pass
    the turn on: the next writer in line waits for the lock while this one holds it."""
    turn = queue.acquire() if queue is not None else None
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + busy_timeout_ms / 1000
        wait = FIRST_RETRY_S
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode != SQLITE_BUSY or time.monotonic() >= deadline:
                    break
            time.sleep(wait * random.uniform(0.5, 1.5))  # noqa: S311  (jitter, not crypto)
            wait = min(wait * 1.5, LONGEST_RETRY_S)
        # Once more through SQLAlchemy, so that the error goes up wrapped as every other one.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if turn is not None:
            os.close(turn)


def end_write(record: Any, database: Path | None) -> None:
    """The connection is back in the pool: make a committed write durable (the WAL fsynced)
    before the caller learns that it succeeded."""
    if record.info.pop(COMMITTED, False) and database is not None:
        sync_wal(database)


def sync_wal(database: Path) -> None:
    """fsync the database's WAL file (no file: everything was checkpointed and synced)."""
    try:
        fd = os.open(f"{database}-wal", os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
