"""The knowledge base's search service: one per process, over the host's Whoosh index.

A front end builds one :class:`KnowledgeBase` and calls :meth:`KnowledgeBase.start`: a
background thread loads jieba's dictionary, opens the index (building it if this host has
none) and then follows the change feed, so the console is usable at once and the first search
waits only if it must. The CLI calls :meth:`KnowledgeBase.refresh` once instead.

One process per host writes the index (the lease in :mod:`kb_index.store`): at each refresh it
reads the knowledge events of the change feed since the index's mark and re-indexes those
articles; the others only reopen when the index changes. The mark remembers the MAC of the
event it stands for, so an index built from another database (or before a restore) is noticed
and rebuilt; so is an index of an older schema version.

Search ranks by meaning too when the embedding model loads (:mod:`kb_index.semantic`). The
leader embeds the articles' passages in a second background thread, so a large import or
rebuild is searchable by words at once and by meaning as the vectors arrive; the CLI fills
them before it searches (:meth:`KnowledgeBase.fill_vectors`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, col, select

from db.models import AuditEvent, AuditHead, Department
from hotline_tui.domain.errors import ConfigError
from hotline_tui.domain.kb import ArticleStatus, kb_require
from hotline_tui.domain.kb_visibility import ArticleScope
from hotline_tui.domain.states import Role
from hotline_tui.domain.text import prepare_segmenter
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.index_docs import index_docs
from hotline_tui.services.kb.insights import log_gap, synonym_groups
from hotline_tui.services.kb.search_types import IndexStatus, KbFilters, RefreshResult, span_text
from hotline_tui.services.kb.views import local_today, scope_of
from kb_index import (
    MAX_TERMS,
    SCHEMA_VERSION,
    BuildStats,
    Filters,
    Hit,
    IndexMeta,
    IndexReader,
    IndexUnavailable,
    IndexWriter,
    Results,
    Span,
)
from kb_index.semantic import Embedder, load_embedder
from kb_index.store import INDEX_DIRECTORY
from kb_index.vectors import VECTORS_FILE, FillStats, VectorStore

__all__ = ["INDEX_DIRECTORY", "Hit", "IndexStatus", "KbFilters", "KnowledgeBase"]
__all__ += ["RefreshResult", "Results", "Span", "span_text"]

log = logging.getLogger(__name__)
# Actions that change what the index holds; feedback, usage and expiry flags do not.
INDEXED_ACTIONS = frozenset(
    {
        "kb.create",
        "kb.edit",
        "kb.import",
        "kb.submit",
        "kb.approve",
        "kb.reject",
        "kb.publish",
        "kb.retire",
    }
)
READY_TIMEOUT = 60.0
SUGGEST_TERMS = 6


class KnowledgeBase:
    """Search, refresh and rebuild of this host's knowledge index (thread-safe)."""

    def __init__(
        self,
        hl: Hotline,
        *,
        directory: Path | None = None,
        refresh_seconds: float = 5.0,
        workers: int | None = None,
        semantic: bool | None = None,
    ) -> None:
        self.hl = hl
        self.directory = directory or hl.settings.data_dir / INDEX_DIRECTORY
        self.refresh_seconds = refresh_seconds
        self.workers = workers
        self.reader = IndexReader(self.directory)
        self.writer = IndexWriter(self.directory, cache_dir=hl.settings.cache_dir / "jieba")
        self._refresh_lock = threading.Lock()
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._vector_thread: threading.Thread | None = None
        self._problem = ""
        self._dept_codes: dict[int, str] = {}
        self._semantic = hl.settings.kb_semantic if semantic is None else semantic
        self._embedder: Embedder | None = None
        self._model_lock = threading.Lock()

    # --- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Open in the background (jieba, the index, catching up), then follow the change feed
        every ``refresh_seconds`` (0: once)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="kb-index", daemon=True)
        self._thread.start()
        if self._semantic:
            self._vector_thread = threading.Thread(
                target=self._fill_loop, name="kb-vectors", daemon=True
            )
            self._vector_thread.start()

    def _run(self) -> None:
        try:
            prepare_segmenter()
            self.load_model()
            self._safe_refresh()
        finally:
            self._ready.set()
        while self.refresh_seconds > 0 and not self._stop.wait(self.refresh_seconds):
            self._safe_refresh()

    def load_model(self) -> Embedder | None:
        """The embedding model, loaded once (None when semantic ranking is off or cannot run)."""
        with self._model_lock:
            if self._semantic and self._embedder is None:
                self._embedder = load_embedder()
                self.reader.use_embedder(self._embedder)
                if self._embedder is None:
                    self._semantic = False
            return self._embedder

    def _fill_loop(self) -> None:
        # Looking for passages without a vector reads every stored article of the build: done
        # again only when the index changed since a pass that left none missing.
        self._ready.wait()
        complete_for: tuple[str, str] | None = None
        while not self._stop.is_set():
            current = self.writer.current()
            version = (current[0].name, current[1].updated_at) if current else None
            if version is not None and version != complete_for:
                try:
                    stats = self.fill_vectors(stop=self._stop.is_set)
                    if stats.pending == 0 and self.writer.lease.held:
                        complete_for = version
                except Exception:  # the console must keep running; words still rank
                    log.exception("embedding the knowledge passages failed")
            if self._stop.wait(max(self.refresh_seconds, 1.0)):
                break

    def fill_vectors(
        self,
        *,
        stop: Callable[[], bool] = lambda: False,
        progress: Callable[[int, int], None] | None = None,
    ) -> FillStats:
        """Embed the passages the current build lacks vectors for (the leader only; a
        follower, or a host without the model, has nothing to do)."""
        embedder = self.load_model()
        if embedder is None or not self.writer.try_lead():
            return FillStats(0, 0, 0.0)
        return self.writer.fill_vectors(embedder, stop=stop, progress=progress)

    def _safe_refresh(self) -> None:
        try:
            self.refresh()
            self._problem = ""
        except Exception as exc:  # the console must keep running; the status says why
            self._problem = type(exc).__name__
            log.exception("knowledge index refresh failed")

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def close(self) -> None:
        self._stop.set()
        for thread in (self._thread, self._vector_thread):
            if thread is not None:
                thread.join(timeout=5)
        self.reader.close()
        self.writer.release()

    # --- following the change feed -------------------------------------------------------------

    def _head(self, session: Session) -> tuple[int, str]:
        head = session.exec(select(AuditHead.seq, AuditHead.mac).where(AuditHead.id == 1)).one()
        return int(head[0]), str(head[1])

    def _mark_valid(self, session: Session, meta: IndexMeta, head_seq: int) -> bool:
        if meta.mark_seq == 0:
            return meta.mark_mac == ""
        if meta.mark_seq > head_seq:
            return False
        mac = session.exec(select(AuditEvent.mac).where(AuditEvent.seq == meta.mark_seq)).first()
        return mac == meta.mark_mac

    def refresh(self) -> RefreshResult:
        """Bring the index up to the change feed (if this process leads; else nothing to do:
        readers reopen by themselves when the leader commits)."""
        with self._refresh_lock:
            if not self.writer.try_lead():
                return RefreshResult(False, False, 0, 0)
            current = self.writer.current()
            with self.hl.reading() as session:
                head_seq, head_mac = self._head(session)
                if current is None or not self._mark_valid(session, current[1], head_seq):
                    stats = self._rebuild(session, head_seq, head_mac)
                    return RefreshResult(True, True, stats.documents, head_seq)
                meta = current[1]
                events = session.exec(
                    select(AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id).where(
                        col(AuditEvent.seq) > meta.mark_seq,
                        col(AuditEvent.seq) <= head_seq,
                        col(AuditEvent.entity).in_(("kb_article", "kb_synonyms")),
                    )
                ).all()
                ids = {
                    int(entity_id)
                    for action, entity, entity_id in events
                    if entity == "kb_article" and action in INDEXED_ACTIONS and entity_id
                }
                synonyms_changed = any(entity == "kb_synonyms" for _a, entity, _i in events)
                if head_seq == meta.mark_seq:
                    return RefreshResult(True, False, 0, meta.mark_seq)
                docs = index_docs(session, ids)
            found = {doc.article_id for doc in docs}
            new_meta = IndexMeta(
                schema=SCHEMA_VERSION,
                mark_seq=head_seq,
                mark_mac=head_mac,
                synonyms=synonym_groups(self.hl) if synonyms_changed else meta.synonyms,
            )
            self.writer.apply(docs, sorted(ids - found), new_meta)
            return RefreshResult(True, False, len(ids), head_seq)

    def _rebuild(self, session: Session, head_seq: int, head_mac: str) -> BuildStats:
        docs = index_docs(session)
        meta = IndexMeta(
            schema=SCHEMA_VERSION,
            mark_seq=head_seq,
            mark_mac=head_mac if head_seq else "",
            synonyms=synonym_groups(self.hl),
        )
        return self.writer.rebuild(docs, meta, workers=self.workers)

    def rebuild(self, actor: Actor) -> BuildStats:
        """``hotline kb reindex``: build the whole index again from the database."""
        kb_require(actor.role, "kb.reindex", username=actor.username)
        with self._refresh_lock:
            if not self.writer.try_lead():
                raise ConfigError("kb.index_busy", path=str(self.directory))
            with self.hl.reading() as session:
                head_seq, head_mac = self._head(session)
                return self._rebuild(session, head_seq, head_mac)

    # --- searching -----------------------------------------------------------------------------

    def _filters(self, actor: Actor, filters: KbFilters) -> Filters:
        """The index filter for ``actor``'s search: what they asked for, within what the one
        visibility rule (:mod:`hotline_tui.domain.kb_visibility`) lets them see."""
        scope = scope_of(actor)
        statuses = filters.statuses or ()
        out_of_effect = filters.include_out_of_effect
        if not scope.sees_unpublished or (actor.role is Role.HANDLER and filters.dept is None):
            # Operators only ever get what they may read out; a handler's unfiltered search is
            # the operators' view too (their own drafts are asked for by department).
            statuses, out_of_effect = (ArticleStatus.PUBLISHED.value,), False
        only_published = statuses == (ArticleStatus.PUBLISHED.value,)
        return Filters(
            statuses=tuple(statuses),
            categories=(filters.category,) if filters.category else (),
            depts=(filters.dept,) if filters.dept else (),
            in_effect_on=local_today(self.hl) if only_published and not out_of_effect else None,
            published_or_depts=None if scope.everything else self._own_depts(scope),
        )

    def _own_depts(self, scope: ArticleScope) -> tuple[str, ...]:
        """The department codes whose unpublished articles ``scope`` admits."""
        if scope.own_dept_id is None:
            return ()
        code = self._dept_codes.get(scope.own_dept_id)
        if code is None:
            with self.hl.reading() as session:
                department = session.get(Department, scope.own_dept_id)
            if department is None:
                return ()
            code = self._dept_codes[scope.own_dept_id] = department.code
        return (code,)

    def _ensure_available(self) -> None:
        if self._thread is not None and not self._ready.is_set():
            self._ready.wait(READY_TIMEOUT)  # the first search waits for the opening, once
        elif self._thread is None:
            self.load_model()
            if not self.reader.ready():
                self.refresh()

    def search(
        self,
        actor: Actor,
        text: str,
        *,
        filters: KbFilters | None = None,
        limit: int = 10,
        highlight: bool = True,
        submitted: bool = False,
        max_terms: int = MAX_TERMS,
        meaning: bool = True,
        always_meaning: bool = False,
    ) -> Results:
        """The best ``limit`` articles for ``text``, with snippets (plain-text spans).

        ``submitted``: the operator pressed Enter (not a suggestion while typing); a submitted
        search that finds nothing is logged as a knowledge gap. ``always_meaning``: keywords too
        rank by meaning (:meth:`kb_index.IndexReader.search`)."""
        kb_require(actor.role, "kb.read", username=actor.username)
        self._ensure_available()
        try:
            results = self.reader.search(
                text,
                filters=self._filters(actor, filters or KbFilters()),
                limit=limit,
                highlight_hits=highlight,
                max_terms=max_terms,
                meaning=meaning,
                always_meaning=always_meaning,
            )
        except IndexUnavailable as exc:
            raise ConfigError("kb.index_unavailable", reason=exc.reason) from exc
        if submitted and not results.hits and text.strip():
            log_gap(self.hl, actor, text, hits=0)
        return results

    def suggest(self, actor: Actor, description: str, *, limit: int = 5) -> Results:
        """Articles for an intake description as it is typed (never logged as a gap); a long
        description keeps its :data:`SUGGEST_TERMS` most informative terms. Ranked by words and
        characters: embedding a description would cost more than the 50 ms suggestions have."""
        return self.search(
            actor,
            description,
            limit=limit,
            highlight=True,
            max_terms=SUGGEST_TERMS,
            meaning=False,
        )

    def status(self) -> IndexStatus:
        try:
            meta = self.reader.meta()
            documents = self.reader.doc_count()
        except IndexUnavailable as exc:
            return IndexStatus(
                ready=False,
                leader=self.writer.lease.held,
                directory=str(self.directory),
                documents=0,
                mark_seq=0,
                built_at="",
                updated_at="",
                schema=SCHEMA_VERSION,
                problem=exc.reason,
            )
        return IndexStatus(
            ready=True,
            leader=self.writer.lease.held,
            directory=str(self.directory),
            documents=documents,
            mark_seq=meta.mark_seq,
            built_at=meta.built_at,
            updated_at=meta.updated_at,
            schema=meta.schema,
            problem=self._problem,
            semantic=self._embedder is not None,
            vectors=self._vector_count(),
        )

    def _vector_count(self) -> int:
        if self._embedder is None or not (self.directory / VECTORS_FILE).exists():
            return 0
        return VectorStore(self.directory / VECTORS_FILE, self._embedder.model_id).count()
