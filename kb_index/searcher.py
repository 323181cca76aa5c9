"""Searching the index: any text in, ranked hits with snippets out, never a syntax error.

The query is never parsed as query syntax: its text is segmented like the documents and each
term becomes a term query on the title, body, tags and synonyms fields, weighted per field
(:data:`kb_index.schema.FIELD_BOOSTS`) and summed (BM25F). So brackets, quotes, ``AND`` or a
lone ``-`` are just words or nothing. A long query (a whole description typed at intake) keeps
only its most informative terms, the rarest in the index, which is also what keeps it fast.
Synonym lists add the other members of a group with a lower weight; a query of Latin letters
also looks in the pinyin field (``yyzz`` finds 营业执照). The best candidates are then ranked
again by meaning (a sentence-embedding model, :mod:`kb_index.semantic`) and by how many of the
query's characters they hold (:mod:`kb_index.rerank`); without the model, by the characters
alone. Snippets are made for the hits returned only.

A :class:`IndexReader` follows the host's current build: before each search it looks at two
files (``CURRENT`` and the build's ``meta.json``) and reopens when the writer changed them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F

from kb_index import planner, rerank, semantic
from kb_index.analysis import SynonymMap, query_terms
from kb_index.planner import MAX_TERMS
from kb_index.results import Filters, Hit, IndexUnavailable, Results
from kb_index.schema import FAR_FUTURE, SCHEMA_VERSION, day_number
from kb_index.scoring import Ranker
from kb_index.semantic import Vector
from kb_index.snippets import Span, highlight, plain_text, snippet
from kb_index.store import META, IndexMeta, current_build, read_meta
from kb_index.vectors import VECTORS_FILE, DenseIndex, VectorStore

__all__ = [
    "MAX_TERMS",
    "Filters",
    "Hit",
    "IndexReader",
    "IndexUnavailable",
    "Results",
]

SNIPPET_WIDTH = 80
DENSE_RELOAD_SECONDS = 10.0
"""While the writer is still filling in vectors (a batch a second), a reader takes the new ones
at most this often: loading them all again costs a few hundred milliseconds at 20,000."""
# Chosen on half of the real Q&A pairs (scripts/bench_kb.py): answers vary from one line to
# pages, and a long answer that mentions a word in passing should not outrank a short one about
# it, so lengths count a little more (b) and repeats a little less (k1) than Whoosh's defaults.
BM25_B = 0.9
BM25_K1 = 1.0


@dataclass
class _Open:
    build: str
    ix: Any
    searcher: Any
    meta_stamp: tuple[int, int, int]
    meta: IndexMeta
    ranker: Ranker
    filters: dict[Filters, set[int] | None] = field(default_factory=dict)
    dense: DenseIndex | None = None  # rows are this searcher's docnums: dropped with it
    dense_stamp: tuple[int, int] = (0, 0)
    dense_loaded: float = 0.0


def _stamp(path: Path) -> tuple[int, int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, 0, 0)
    return (info.st_mtime_ns, info.st_size, info.st_ino)


class IndexReader:
    """Searches the current build under ``root``; thread-safe (one search at a time)."""

    def __init__(
        self,
        root: Path,
        *,
        b: float = BM25_B,
        k1: float = BM25_K1,
        embedder: semantic.Embedder | None = None,
    ) -> None:
        self.root = root
        self._b, self._k1 = b, k1
        self._weighting = BM25F(B=b, K1=k1)
        self._lock = threading.RLock()
        self._open: _Open | None = None
        self._pointer_stamp: tuple[int, int, int] | None = None
        self._embedder: semantic.Embedder | None = None
        self._store: VectorStore | None = None
        self._pool: ThreadPoolExecutor | None = None
        self.use_embedder(embedder)

    # --- following the writer -----------------------------------------------------------------

    def _ensure_open(self) -> _Open:
        pointer_stamp = _stamp(self.root / "CURRENT")
        current = self._open
        if current is not None and pointer_stamp == self._pointer_stamp:
            build_dir = self.root / current.build
            meta_stamp = _stamp(build_dir / META)
            if meta_stamp != current.meta_stamp:
                meta = read_meta(build_dir)
                if meta is None:
                    raise IndexUnavailable("damaged")
                if current.ix.latest_generation() != current.searcher.reader().generation():
                    # A fresh searcher, not ``Searcher.refresh()``: whoosh-reloaded's refresh
                    # reuses segment readers whose cached deletions are then out of date.
                    searcher = current.ix.searcher(weighting=self._weighting)
                    current.searcher.close()
                    current.searcher, current.ranker = searcher, self._ranker(searcher)
                    current.filters.clear()
                    current.dense = None
                current.meta, current.meta_stamp = meta, meta_stamp
            return current
        pointer = current_build(self.root)
        if pointer is None:
            raise IndexUnavailable("missing")
        if pointer.schema != SCHEMA_VERSION:
            raise IndexUnavailable("schema")
        build_dir = self.root / pointer.build
        meta_stamp = _stamp(build_dir / META)
        meta = read_meta(build_dir)
        if meta is None or meta.schema != SCHEMA_VERSION:
            raise IndexUnavailable("damaged" if meta is None else "schema")
        try:
            ix = whoosh_index.open_dir(str(build_dir))
            searcher = ix.searcher(weighting=self._weighting)
        except Exception as exc:  # Whoosh raises many kinds for a missing or torn index
            raise IndexUnavailable("damaged") from exc
        self._close_open()
        self._open = _Open(pointer.build, ix, searcher, meta_stamp, meta, self._ranker(searcher))
        self._pointer_stamp = pointer_stamp
        return self._open

    def use_embedder(self, embedder: semantic.Embedder | None) -> None:
        """Rank by meaning too with ``embedder`` (None: by words and characters only)."""
        self._embedder = embedder
        self._store = VectorStore(self.root / VECTORS_FILE, embedder.model_id) if embedder else None
        if self._open is not None:
            self._open.dense = None

    def _embedding_pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-embed")
        return self._pool

    def _dense(self, state: _Open) -> DenseIndex | None:
        """The current build's vectors (reloaded when the writer added some), or None when
        there are none to rank by."""
        stamp = self._store.stamp() if self._store is not None else (0, 0)
        if stamp == (0, 0) or self._store is None:  # no vectors file (yet)
            return None
        now = time.monotonic()
        stale = state.dense is None or (
            stamp != state.dense_stamp and now - state.dense_loaded >= DENSE_RELOAD_SECONDS
        )
        if stale:
            state.dense = DenseIndex.load(state.searcher, self._store)
            state.dense_stamp, state.dense_loaded = stamp, now
        return None if state.dense is None or state.dense.empty else state.dense

    def _ranker(self, searcher: Any) -> Ranker:
        return Ranker(searcher, b=self._b, k1=self._k1)

    def _close_open(self) -> None:
        if self._open is not None:
            self._open.searcher.close()
            self._open.ix.close()
            self._open = None

    def close(self) -> None:
        with self._lock:
            self._close_open()
            self._pointer_stamp = None
            if self._pool is not None:
                self._pool.shutdown(wait=False)
                self._pool = None

    def meta(self) -> IndexMeta:
        with self._lock:
            return self._ensure_open().meta

    def doc_count(self) -> int:
        with self._lock:
            return int(self._ensure_open().searcher.doc_count())

    def ready(self) -> bool:
        try:
            self.meta()
        except IndexUnavailable:
            return False
        return True

    # --- searching -----------------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        filters: Filters | None = None,
        limit: int = 10,
        highlight_hits: bool = True,
        synonyms: SynonymMap | None = None,
        max_terms: int = MAX_TERMS,
        engine: str = "fast",
        rerank_hits: bool = True,
        meaning: bool = True,
        always_meaning: bool = False,
    ) -> Results:
        """Rank the articles for ``text``; snippets for the ``limit`` hits returned only.

        ``engine="whoosh"`` evaluates the same plan with Whoosh's own matchers (the reference
        the fast ranker is measured and tested against); ``rerank_hits=False`` leaves BM25F's
        order as it is (the benchmark's measure of what the re-ranking adds); ``meaning=False``
        ranks a question by words and characters only (intake's suggestions, within 50 ms);
        ``always_meaning`` ranks keywords and long texts by meaning too (the self-service
        channel, which can afford the embedding where the console's keyword search cannot).
        """
        started = time.perf_counter()
        limit = max(1, limit)
        with self._lock:
            state = self._ensure_open()
            searcher = state.searcher
            synonym_map = synonyms if synonyms is not None else SynonymMap(state.meta.synonyms)
            words = query_terms(text)
            terms, cut, idf, counts = planner.pick_terms(searcher, words, max_terms)
            extra = planner.expansions(text, terms, synonym_map)
            counts.update(planner.frequencies(searcher, extra))
            grams = planner.pick_grams(searcher, text, terms, cut)
            plan = planner.plan(searcher, terms, extra, counts, grams)
            if plan.empty():
                return Results(text, tuple(terms), (), 0, cut, _ms(started), tuple(extra))
            allowed = self._allowed(state, filters or Filters())
            depth = max(limit, rerank.DEPTH, semantic.LEXICAL_DEPTH)
            # The characters of every word asked about, those the index lacks too (离异 where
            # the articles say 离婚); of a cut query, of the terms kept only.
            chars = rerank.query_chars(terms if cut else words) if rerank_hits else ""
            asked = always_meaning or semantic.wants_meaning(text, cut)
            by_meaning = self._embed(state, text) if meaning and chars and asked else None
            ranked, total = _lexical(state, plan, depth, allowed, engine)
            stored: dict[int, dict[str, Any]] = {}

            def text_of(docnum: int) -> str:
                fields = stored[docnum] = searcher.stored_fields(docnum)
                data = fields["doc"]
                return f"{data['title']}\n{data['body']}"

            cosine: Callable[[int], float | None] = semantic.no_cosine
            if by_meaning is not None:
                dense, embedding = by_meaning
                ranked, cosine = semantic.rank_by_meaning(
                    dense, embedding.result(), ranked, allowed, chars, text_of
                )
                ranked = ranked[:limit]
                total = max(total, len(ranked))
            else:
                ranked = rerank.rerank(ranked, chars, text_of)[:limit]
            marked = [*terms, *extra]
            hits = tuple(
                self._hit(
                    stored.get(docnum) or searcher.stored_fields(docnum),
                    score,
                    marked,
                    idf,
                    highlight_hits,
                    cosine(docnum),
                )
                for docnum, score in ranked
            )
        weights = tuple((term, idf[term]) for term in terms if term in idf)
        return Results(text, tuple(terms), hits, total, cut, _ms(started), tuple(extra), weights)

    def _embed(self, state: _Open, text: str) -> tuple[DenseIndex, Future[Vector]] | None:
        """The build's vectors and the query's, being embedded on another core while the words
        are ranked on this one (the model's C engine runs without the GIL); None without a
        model or vectors."""
        embedder = self._embedder
        dense = self._dense(state) if embedder is not None else None
        if dense is None or embedder is None:
            return None
        return dense, self._embedding_pool().submit(embedder.query, text[: semantic.QUERY_CHARS])

    def _allowed(self, state: _Open, filters: Filters) -> set[int] | None:
        """The documents ``filters`` admits, computed once per index version (a set lookup per
        candidate afterwards)."""
        if filters in state.filters:
            return state.filters[filters]
        parts: list[Any] = []
        if filters.statuses:
            parts.append(wq.Or([wq.Term("status", s) for s in filters.statuses]))
        if filters.categories:
            parts.append(wq.Or([wq.Term("category", c) for c in filters.categories]))
        if filters.depts:
            parts.append(wq.Or([wq.Term("dept", d) for d in filters.depts]))
        if filters.published_or_depts is not None:
            parts.append(
                wq.Or(
                    [wq.Term("status", "published")]
                    + [wq.Term("dept", d) for d in filters.published_or_depts]
                )
            )
        if filters.in_effect_on is not None:
            day = day_number(filters.in_effect_on, 0)
            parts.append(wq.NumericRange("effective", None, day))
            parts.append(wq.NumericRange("expires", day, FAR_FUTURE))
        allowed = set(state.searcher.docs_for_query(wq.And(parts))) if parts else None
        if len(state.filters) > 64:
            state.filters.clear()
        state.filters[filters] = allowed
        return allowed

    @staticmethod
    def _hit(
        stored: dict[str, Any],
        score: float,
        terms: Sequence[str],
        idf: dict[str, float],
        highlight_hits: bool,
        meaning: float | None = None,
    ) -> Hit:
        data: dict[str, Any] = stored["doc"]
        title = str(data["title"])
        body = plain_text(str(data["body"]))
        if highlight_hits:
            title_spans = highlight(title, terms)
            body_spans = snippet(body, terms, width=SNIPPET_WIDTH, weights=idf)
        else:
            title_spans = (Span(title, False),) if title else ()
            body_spans = snippet(body, (), width=SNIPPET_WIDTH)
        return Hit(
            article_id=int(stored["id"]),
            score=score,
            title=title,
            title_spans=title_spans,
            snippet=body_spans,
            tags=tuple(data.get("tags", ())),
            category_path=str(data.get("category_path", "")),
            dept=str(data.get("dept", "")),
            owner=str(data.get("owner", "")),
            status=str(data.get("status", "")),
            effective_from=data.get("effective_from"),
            expires_on=data.get("expires_on"),
            version=int(data.get("version", 0)),
            updated_at=str(data.get("updated_at", "")),
            source_key=str(data.get("source_key", "")),
            meaning=meaning,
        )


def _lexical(
    state: _Open, plan: Any, depth: int, allowed: set[int] | None, engine: str
) -> tuple[list[tuple[int, float]], int]:
    """The ``depth`` best documents for ``plan`` by words (BM25F) and how many matched."""
    if engine != "whoosh":
        return state.ranker.rank(plan, depth, allowed)
    # Every match is collected (limit=None): Whoosh's top-N collector skips blocks by an upper
    # bound that its AndMaybe/Or matchers get wrong on this plan, and drops documents that
    # belong in the top N.
    found = state.searcher.search(
        planner.whoosh_query(plan), limit=None, filter=allowed, terms=False
    )
    ranked = [(hit.docnum, float(hit.score)) for hit in found[:depth]]
    return ranked, len(found) if ranked else 0


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
