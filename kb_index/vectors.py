"""The passages' vectors: kept by text, filled in the background, loaded per build.

``vectors.sqlite`` beside the builds holds one vector (float16) per passage key
(:func:`kb_index.semantic.passage_key`) and the model that made them. Keyed by text, not by
article: a rebuild, a schema change or an edit that leaves the passage as it was costs no new
embedding, and a vector is never attached to the wrong text. Embedding costs about a tenth of
a second per article, far more than indexing it, so the word index never waits for it: the
writer (the process holding the lease) fills in what is missing, a batch per transaction, and
readers pick the new vectors up when the file changes (one ``stat`` per search).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kb_index.semantic import DIMENSIONS, Embedder, passage_key, passage_text

__all__ = ["VECTORS_FILE", "DenseIndex", "FillStats", "VectorStore", "fill_missing"]

VECTORS_FILE = "vectors.sqlite"
BATCH = 8


class VectorStore:
    """One SQLite file of passage vectors made by ``model_id`` (a connection per call, so any
    thread may use it; SQLite's own locking keeps a reader and the writer apart)."""

    def __init__(self, path: Path, model_id: str) -> None:
        self.path = path
        self.model_id = model_id

    @contextlib.contextmanager
    def _connect(self, *, writing: bool = False) -> Iterator[sqlite3.Connection | None]:
        """A connection, or None for a reader when the file holds another model's vectors
        (only the writer, the lease holder, creates the file or starts it again)."""
        if not writing and not self.path.exists():
            yield None
            return
        db = sqlite3.connect(self.path, timeout=10.0)
        try:
            with db:
                db.execute("CREATE TABLE IF NOT EXISTS model (id TEXT NOT NULL)")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS passage"
                    " (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID"
                )
                made_by = db.execute("SELECT id FROM model").fetchone()
                if made_by is None or made_by[0] != self.model_id:
                    if not writing:
                        yield None
                        return
                    # Another model's vectors mean nothing to this one: start again.
                    db.execute("DELETE FROM passage")
                    db.execute("DELETE FROM model")
                    db.execute("INSERT INTO model (id) VALUES (?)", (self.model_id,))
            yield db
        finally:
            db.close()

    def stamp(self) -> tuple[int, int]:
        """Changes whenever a batch is committed (what readers look at before each search)."""
        try:
            info = self.path.stat()
        except OSError:
            return (0, 0)
        return (info.st_mtime_ns, info.st_size)

    def count(self) -> int:
        with self._connect() as db:
            return (
                0 if db is None else int(db.execute("SELECT count(*) FROM passage").fetchone()[0])
            )

    def missing(self, keys: list[bytes]) -> set[bytes]:
        with self._connect(writing=True) as db:
            assert db is not None
            db.execute("CREATE TEMP TABLE wanted (key BLOB PRIMARY KEY)")
            db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in keys))
            rows = db.execute(
                "SELECT wanted.key FROM wanted LEFT JOIN passage USING (key)"
                " WHERE passage.key IS NULL"
            ).fetchall()
        return {bytes(row[0]) for row in rows}

    def put(self, items: list[tuple[bytes, npt.NDArray[np.float32]]]) -> None:
        with self._connect(writing=True) as db:
            assert db is not None
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO passage (key, vector) VALUES (?, ?)",
                    ((key, vector.astype(np.float16).tobytes()) for key, vector in items),
                )

    def load(self) -> dict[bytes, npt.NDArray[np.float16]]:
        with self._connect() as db:
            rows = [] if db is None else db.execute("SELECT key, vector FROM passage").fetchall()
        return {bytes(key): np.frombuffer(blob, dtype=np.float16) for key, blob in rows}


def passages_of(searcher: Any) -> Iterator[tuple[int, str]]:
    """(docnum, passage text) of every live document of a Whoosh ``searcher``."""
    reader = searcher.reader()
    for docnum, stored in reader.iter_docs():
        data = stored["doc"]
        yield docnum, passage_text(str(data["title"]), str(data["body"]))


@dataclass(frozen=True)
class DenseIndex:
    """The vectors of one searcher's documents, row = docnum (zeros where none is known)."""

    matrix: npt.NDArray[np.float32]
    known: npt.NDArray[np.bool_]

    @classmethod
    def load(cls, searcher: Any, store: VectorStore) -> DenseIndex:
        vectors = store.load()
        size = int(searcher.reader().doc_count_all())
        matrix = np.zeros((size, DIMENSIONS), dtype=np.float32)
        known = np.zeros(size, dtype=np.bool_)
        for docnum, text in passages_of(searcher):
            vector = vectors.get(passage_key(text))
            if vector is not None and vector.shape == (DIMENSIONS,):
                matrix[docnum] = vector
                known[docnum] = True
        return cls(matrix, known)

    def similarities(self, vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Cosine of every row with ``vector`` (both normalised). Not ``matrix @ vector``: that
        goes to OpenBLAS, whose threads then spin for a while on both cores and slow the model's
        own threads down twofold at the next query; einsum's single loop costs ~2 ms at 20,000."""
        result: npt.NDArray[np.float32] = np.einsum("ij,j->i", self.matrix, vector)
        return result

    @property
    def empty(self) -> bool:
        return not bool(self.known.any())

    def nearest(
        self, similarities: npt.NDArray[np.float32], count: int, allowed: set[int] | None
    ) -> list[int]:
        """The ``count`` documents (of ``allowed``, when given) most similar to the query."""
        scores = np.where(self.known, similarities, -np.inf)
        wanted = count if allowed is None else count * 10
        wanted = min(wanted, len(scores))
        if wanted <= 0:
            return []
        top = np.argpartition(-scores, wanted - 1)[:wanted]
        top = top[np.argsort(-scores[top])]
        found = [int(d) for d in top if np.isfinite(scores[d])]
        if allowed is not None:
            found = [d for d in found if d in allowed]
        return found[:count]


@dataclass(frozen=True)
class FillStats:
    embedded: int
    pending: int
    seconds: float


def fill_missing(
    searcher: Any,
    store: VectorStore,
    embedder: Embedder,
    *,
    stop: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] | None = None,
) -> FillStats:
    """Embed the passages of ``searcher``'s documents that ``store`` lacks, a batch per
    transaction, until none is left or ``stop()`` says so (checked between batches)."""
    started = time.perf_counter()
    texts: dict[bytes, str] = {}
    for _docnum, text in passages_of(searcher):
        texts.setdefault(passage_key(text), text)
    absent = store.missing(list(texts))
    missing = [key for key in texts if key in absent]
    done = 0
    for start in range(0, len(missing), BATCH):
        if stop():
            break
        keys = missing[start : start + BATCH]
        vectors = embedder.passages([texts[key] for key in keys])
        store.put(list(zip(keys, vectors, strict=True)))
        done += len(keys)
        if progress is not None:
            progress(done, len(missing))
    return FillStats(done, len(missing) - done, time.perf_counter() - started)
