"""Where the index lives on a host, which build is current, and which process may write.

Layout of the index directory (one per host, in the site data location)::

    lease.lock       the writer lease: an exclusive ``flock`` held by the one writing process
    CURRENT          JSON naming the current build directory and its schema version
    ix-<stamp>/      a Whoosh index, with meta.json: the change-feed mark it reflects

A rebuild writes a new ``ix-*`` directory and then replaces ``CURRENT`` atomically, so readers
never see a half-built index: they keep searching the old build until they notice the switch.
Incremental updates commit into the current build and then rewrite its ``meta.json``; readers
reopen when either file changes (two ``stat`` calls per search).

The lease is an advisory lock on ``lease.lock``: the kernel drops it when its process ends, even
by SIGKILL, so a crashed writer never blocks the host; the next process that asks takes over.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "INDEX_DIRECTORY",
    "IndexMeta",
    "Lease",
    "Pointer",
    "current_build",
    "new_build_dir",
    "prune_builds",
    "read_meta",
    "switch_current",
    "write_json_atomic",
    "write_meta",
]

INDEX_DIRECTORY = "kb_index"
"""The index directory's name in the data directory (the settings' ``data_dir``)."""
CURRENT = "CURRENT"
META = "meta.json"
LEASE = "lease.lock"
BUILD_PREFIX = "ix-"


@dataclass(frozen=True)
class Pointer:
    """What ``CURRENT`` says: the build directory (a name inside the root) and its schema."""

    build: str
    schema: int


@dataclass(frozen=True)
class IndexMeta:
    """What a build reflects: the change feed up to ``mark_seq`` (whose MAC was ``mark_mac``,
    so a restored or different database is recognised), and the synonym lists in force."""

    schema: int
    mark_seq: int = 0
    mark_mac: str = ""
    synonyms: list[list[str]] = field(default_factory=list)
    documents: int = 0
    built_at: str = ""
    updated_at: str = ""


def _mode(directory: Path) -> int:
    """The permissions new files and directories take from the index directory: on a shared
    host the administrator makes it group-readable (or group-writable, so that any operator's
    process may take the writer lease); tempfile's private 0600/0700 would lock others out."""
    try:
        return directory.stat().st_mode & 0o777
    except OSError:
        return 0o755


def write_json_atomic(path: Path, value: Any) -> None:
    """Write JSON next to ``path`` and rename it over ``path`` (readers see old or new)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(value, out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        Path(temp).chmod(_mode(path.parent) & 0o666)
        Path(temp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise


def current_build(root: Path) -> Pointer | None:
    """The build ``CURRENT`` names, if any (and if it is readable)."""
    try:
        data = json.loads((root / CURRENT).read_text(encoding="utf-8"))
        pointer = Pointer(build=str(data["build"]), schema=int(data["schema"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if "/" in pointer.build or not pointer.build.startswith(BUILD_PREFIX):
        return None
    return pointer


def switch_current(root: Path, pointer: Pointer) -> None:
    write_json_atomic(root / CURRENT, asdict(pointer))


def new_build_dir(root: Path) -> Path:
    """A fresh, empty build directory under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d%H%M%S")
    path = Path(tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{stamp}-", dir=root))
    path.chmod(_mode(root))
    return path


def prune_builds(root: Path, keep: Iterable[str]) -> None:
    """Delete every build directory but those in ``keep``. The build that was current until a
    rebuild is kept until the next one: a reader in the middle of a search may still open one
    of its files (Whoosh opens some lazily); the next search reopens the new build."""
    kept = set(keep)
    for entry in root.glob(f"{BUILD_PREFIX}*"):
        if entry.name not in kept and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def read_meta(build: Path) -> IndexMeta | None:
    try:
        data = json.loads((build / META).read_text(encoding="utf-8"))
        return IndexMeta(
            schema=int(data["schema"]),
            mark_seq=int(data.get("mark_seq", 0)),
            mark_mac=str(data.get("mark_mac", "")),
            synonyms=[[str(t) for t in group] for group in data.get("synonyms", [])],
            documents=int(data.get("documents", 0)),
            built_at=str(data.get("built_at", "")),
            updated_at=str(data.get("updated_at", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_meta(build: Path, meta: IndexMeta) -> None:
    write_json_atomic(build / META, asdict(meta))


class Lease:
    """The host's writer lease: whoever holds the lock on ``lease.lock`` writes the index."""

    def __init__(self, root: Path) -> None:
        self.path = root / LEASE
        self._handle: Any = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def try_acquire(self) -> bool:
        """Take the lease if nobody holds it; False (never an error) when it cannot."""
        if self._handle is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("a+", encoding="utf-8")
        except OSError:
            return False  # a read-only site location: this process only reads
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        # Who holds it, for people looking at the directory (the lock is what counts).
        handle.seek(0)
        handle.truncate()
        handle.write(f"{socket.gethostname()} {os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
