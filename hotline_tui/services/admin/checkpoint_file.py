"""The checkpoint file on disk: read it, append to it, copy it, each under a file lock.

Writers take an exclusive ``flock`` on the file for the whole of read-last, read-head, append,
so two checkpoints taken at once (the scheduler and an administrator) cannot both chain to the
same record; readers and the backup take a shared one, so they never see half a line. The file
is only ever appended to (it may be made append-only with ``chattr +a``).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from hotline_tui.domain.audit_checkpoints import CheckpointFile, CheckpointRecord, parse


@contextmanager
def locked(path: Path, *, exclusive: bool) -> Iterator[IO[str] | None]:
    """The file opened for appending under an exclusive lock, or for reading under a shared
    one (None if it does not exist yet and only reading was asked for)."""
    if exclusive:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle: IO[str] = path.open("a", encoding="utf-8")
    else:
        try:
            handle = path.open(encoding="utf-8")
        except FileNotFoundError:
            yield None
            return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield handle
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def read(path: Path, key: bytes) -> CheckpointFile:
    """Every record of the file, authenticated (see :func:`audit_checkpoints.parse`)."""
    with locked(path, exclusive=False) as handle:
        return parse(handle.read().splitlines() if handle is not None else [], key)


def read_locked(path: Path, key: bytes) -> CheckpointFile:
    """The same, for a caller that holds the exclusive lock (its handle only appends)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    return parse(lines, key)


def append(handle: IO[str], record: CheckpointRecord) -> None:
    """Write one record durably (the caller holds the exclusive lock)."""
    handle.write(record.to_line() + "\n")
    handle.flush()
    os.fsync(handle.fileno())


def copy(path: Path, target: Path) -> bool:
    """Copy the file as it stands between two appends, created 0600 (False: there is none)."""
    with locked(path, exclusive=False) as handle:
        if handle is None:
            return False
        data = handle.read()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(data)
    return True
