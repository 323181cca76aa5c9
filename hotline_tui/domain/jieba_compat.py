"""The one place that knows jieba's insides: importing it quickly, and cutting a short text
without loading its whole dictionary.

Provides:

- :func:`import_jieba` - jieba without ``pkg_resources``, which its ``_compat`` module imports
  only to open its own data files (and falls back to ``open`` without). That import alone was
  a tenth of a second of every command that segments.
- :func:`save_words` / :func:`open_words` - a copy of the loaded dictionary (word → frequency,
  the prefixes at 0, exactly jieba's ``FREQ``) in a SQLite file beside jieba's own cache, and a
  jieba ``Tokenizer`` that reads its frequencies from that file, one indexed lookup per
  candidate word. jieba loads its whole dictionary (half a million entries, most of a second)
  before it cuts anything; a search query needs a few dozen of them. The cut is jieba's own
  code over the same numbers, so its result is the same (tests compare them).

Written for jieba :data:`WRITTEN_FOR` (pinned exactly in pyproject.toml); with any other
version :func:`open_words` declines and the caller loads the dictionary as jieba does.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

__all__ = ["FILE_NAME", "WRITTEN_FOR", "import_jieba", "open_words", "save_words"]

log = logging.getLogger(__name__)

WRITTEN_FOR = "0.42.1"
FILE_NAME = "jieba.words.sqlite"
_FORMAT = "1"


def import_jieba() -> Any:
    """``import jieba``, without letting it import ``pkg_resources``."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    # None in sys.modules makes an import raise ImportError: jieba._compat then opens its data
    # files with open(). Only for the duration of this import, and only if nobody loaded it.
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def _identity(jieba: Any) -> dict[str, str]:
    """What the file must have been made from: this jieba and its default dictionary."""
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    try:
        size = str(dictionary.stat().st_size)
    except OSError:
        size = "?"
    return {"format": _FORMAT, "jieba": str(jieba.__version__), "dictionary": size}


class _Words:
    """jieba's ``FREQ`` read from the file: ``in``, ``[]`` and ``get``, as jieba uses it."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._seen: dict[str, int | None] = {}

    def get(self, word: str, default: Any = None) -> Any:
        try:
            found = self._seen[word]
        except KeyError:
            with self._lock:
                row = self._connection.execute(
                    "SELECT n FROM freq WHERE word = ?", (word,)
                ).fetchone()
            found = self._seen[word] = None if row is None else int(row[0])
        return default if found is None else found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return int(found)


def _connect(path: Path) -> tuple[sqlite3.Connection, dict[str, str]] | None:
    """The words file, read only, with its meta data; None if it cannot be read."""
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        connection.close()
        return None
    return connection, meta


def _current(jieba: Any, meta: dict[str, str]) -> bool:
    return jieba.__version__ == WRITTEN_FOR and all(
        meta.get(key) == value for key, value in _identity(jieba).items()
    )


def open_words(directory: Path) -> Any | None:
    """A jieba ``Tokenizer`` over the words file in ``directory``, or None when there is no
    file made from this jieba and dictionary (or this is not the jieba this was written for)."""
    jieba = import_jieba()
    found = _connect(directory / FILE_NAME)
    if found is None:
        return None
    connection, meta = found
    if not _current(jieba, meta):
        connection.close()
        return None
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = _Words(connection)
    tokenizer.total = int(meta["total"])
    tokenizer.initialized = True  # its dictionary is the file: nothing to load
    return tokenizer


def save_words(tokenizer: Any, directory: Path) -> None:
    """Write ``tokenizer``'s loaded dictionary to the words file in ``directory``, unless a
    current one is there. A cache: failing to write it is logged, never raised."""
    jieba = import_jieba()
    if jieba.__version__ != WRITTEN_FOR or tokenizer.dictionary is not None:
        return  # another jieba, or a custom dictionary: not what open_words would expect
    found = _connect(directory / FILE_NAME)
    if found is not None:
        found[0].close()
        if _current(jieba, found[1]):
            return
    try:
        handle, scratch = tempfile.mkstemp(dir=directory, prefix=".words-", suffix=".tmp")
        os.close(handle)
        try:
            with contextlib.closing(sqlite3.connect(scratch)) as connection, connection:
                connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
                connection.execute(
                    "CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID"
                )
                rows = {**_identity(jieba), "total": str(tokenizer.total)}
                connection.executemany("INSERT INTO meta VALUES (?, ?)", rows.items())
                connection.executemany(
                    "INSERT INTO freq VALUES (?, ?)", sorted(tokenizer.FREQ.items())
                )
            # Readable by every account on the host, like jieba's own cache (see domain.text).
            Path(scratch).chmod(0o644)
            Path(scratch).replace(directory / FILE_NAME)
        finally:
            with contextlib.suppress(OSError):
                Path(scratch).unlink()
    except (sqlite3.Error, OSError) as exc:
        log.warning("cannot write the segmenter's word file in %s: %s", directory, exc)
