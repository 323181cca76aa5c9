"""The one writer of a host's index: full rebuilds and incremental updates, under the lease.

The services decide *what* goes in (articles read from the database, the change-feed mark);
this module decides *how*: a rebuild goes to a new build directory that becomes current only
when complete; an update commits into the current build, then records the new mark in its
``meta.json`` (an update applied twice is harmless: documents are replaced by id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index

from kb_index.builder import BuildStats, build_index
from kb_index.documents import analyse_many, field_values
from kb_index.schema import SCHEMA_VERSION, IndexDoc
from kb_index.semantic import Embedder
from kb_index.store import (
    IndexMeta,
    Lease,
    Pointer,
    current_build,
    new_build_dir,
    prune_builds,
    read_meta,
    switch_current,
    write_meta,
)
from kb_index.vectors import VECTORS_FILE, FillStats, VectorStore, fill_missing

__all__ = ["IndexWriter", "NotLeader"]

WRITE_TIMEOUT = 10.0


class NotLeader(Exception):
    """This process does not hold the host's writer lease."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class IndexWriter:
    """Rebuilds and updates the index under ``root`` while holding the host's lease."""

    def __init__(self, root: Path, *, cache_dir: Path | None = None) -> None:
        self.root = root
        self.cache_dir = cache_dir
        self.lease = Lease(root)

    def try_lead(self) -> bool:
        return self.lease.try_acquire()

    def release(self) -> None:
        self.lease.release()

    def _require(self) -> None:
        if not self.lease.held:
            raise NotLeader(str(self.root))

    def current(self) -> tuple[Path, IndexMeta] | None:
        """The current build and its meta, if it is usable by this version of the code."""
        pointer = current_build(self.root)
        if pointer is None or pointer.schema != SCHEMA_VERSION:
            return None
        build = self.root / pointer.build
        meta = read_meta(build)
        if meta is None or meta.schema != SCHEMA_VERSION or not whoosh_index.exists_in(str(build)):
            return None
        return build, meta

    def rebuild(
        self, docs: Iterable[IndexDoc], meta: IndexMeta, *, workers: int | None = None
    ) -> BuildStats:
        """Build the whole index anew from ``docs`` and make it current."""
        self._require()
        previous = _pointer_name(self.root)
        build = new_build_dir(self.root)
        try:
            stats = build_index(build, docs, workers=workers, cache_dir=self.cache_dir)
            stamp = _now()
            write_meta(
                build,
                replace(
                    meta,
                    schema=SCHEMA_VERSION,
                    documents=stats.documents,
                    built_at=stamp,
                    updated_at=stamp,
                ),
            )
        except BaseException:
            prune_builds(self.root, keep=(previous,))
            raise
        switch_current(self.root, Pointer(build=build.name, schema=SCHEMA_VERSION))
        prune_builds(self.root, keep=(build.name, previous))
        return stats

    def apply(self, upserts: list[IndexDoc], deletes: list[int], meta: IndexMeta) -> IndexMeta:
        """Replace ``upserts``, remove ``deletes``, and record ``meta`` (the new mark)."""
        self._require()
        found = self.current()
        if found is None:
            raise FileNotFoundError(str(self.root))
        build, old = found
        documents = old.documents
        if upserts or deletes:
            analysed = analyse_many(upserts)
            ix = whoosh_index.open_dir(str(build))
            try:
                writer = ix.writer(timeout=WRITE_TIMEOUT)
                try:
                    for article_id in {*deletes, *(d.article_id for d in upserts)}:
                        writer.delete_by_term("id", str(article_id))
                    for item in analysed:
                        writer.add_document(**field_values(item))
                    writer.commit()
                except BaseException:
                    writer.cancel()
                    raise
                with ix.searcher() as searcher:
                    documents = int(searcher.doc_count())
            finally:
                ix.close()
        new = replace(
            meta,
            schema=SCHEMA_VERSION,
            documents=documents,
            built_at=old.built_at,
            updated_at=_now(),
        )
        write_meta(build, new)
        return new

    def fill_vectors(
        self,
        embedder: Embedder,
        *,
        stop: Callable[[], bool] = lambda: False,
        progress: Callable[[int, int], None] | None = None,
    ) -> FillStats:
        """Embed the current build's passages that have no vector yet (see
        :mod:`kb_index.vectors`); ``stop()`` is asked between batches."""
        self._require()
        found = self.current()
        if found is None:
            return FillStats(0, 0, 0.0)
        store = VectorStore(self.root / VECTORS_FILE, embedder.model_id)
        ix = whoosh_index.open_dir(str(found[0]))
        try:
            with ix.searcher() as searcher:
                return fill_missing(searcher, store, embedder, stop=stop, progress=progress)
        finally:
            ix.close()


def _pointer_name(root: Path) -> str:
    pointer = current_build(root)
    return pointer.build if pointer else ""
