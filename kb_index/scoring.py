"""BM25F ranking over Whoosh's posting lists, a block at a time.

Whoosh evaluates a query through a tree of matcher objects, several Python calls per posting
per field: tens of milliseconds for a few thousand postings. This module reads the same posting
lists (the same index files, the same BM25F formula and statistics as ``whoosh.scoring.BM25F``)
a whole block at a time and adds the scores up in a dictionary, which is several times faster,
and keeps Lucene's "common terms" rule: a term found in a large share of the articles only adds
to the score of articles that a rarer term found.

It relies on two private details of Whoosh 2.7's W3 codec (a posting block's id and weight
arrays, a segment's field-length column); when they are not there it falls back to Whoosh's
public per-posting calls, slower but the same result.
"""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter
from typing import Any

from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

__all__ = ["Clause", "Plan", "Ranker"]

_LENGTH_OF_BYTE = [0, *(byte_to_length(b) for b in range(1, 256))]


@dataclass(frozen=True)
class Clause:
    """One term in one field, with its weight (field boost × query weight)."""

    field: str
    term: str
    boost: float


@dataclass
class Plan:
    """What to score: any ``rare`` clause (or every clause of one ``groups`` entry) makes an
    article a candidate; ``common`` clauses only add to candidates' scores."""

    rare: list[Clause] = field(default_factory=list)
    groups: list[list[Clause]] = field(default_factory=list)
    common: list[Clause] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.rare or self.groups or self.common)


@dataclass
class _Leaf:
    reader: Any
    offset: int
    deleted: frozenset[int]
    lengths: dict[str, list[int]] = field(default_factory=dict)


class Ranker:
    """Ranks documents of one opened Whoosh searcher (build one per searcher version)."""

    def __init__(self, searcher: Any, *, b: float = 0.75, k1: float = 1.2) -> None:
        self.searcher = searcher
        self.b = b
        self.k1 = k1
        top = searcher.reader()
        leaves = top.leaf_readers() if not top.is_atomic() else [(top, 0)]
        self._leaves = [_Leaf(reader, offset, _deleted(reader)) for reader, offset in leaves]
        self._deleted = {leaf.offset + d for leaf in self._leaves for d in leaf.deleted}
        self._lock = threading.Lock()

    # --- statistics and columns --------------------------------------------------------------

    def _lengths(self, leaf: _Leaf, name: str) -> list[int]:
        found = leaf.lengths.get(name)
        if found is not None:
            return found
        with self._lock:
            found = leaf.lengths.get(name)
            if found is None:
                found = leaf.lengths[name] = _load_lengths(leaf.reader, name)
        return found

    # --- postings ----------------------------------------------------------------------------

    def _add(
        self,
        scores: dict[int, float],
        clause: Clause,
        *,
        only: Sequence[int] | None = None,
    ) -> None:
        """Add ``clause``'s BM25F score to ``scores``; with ``only`` (sorted document numbers)
        to those documents alone, decoding only the posting blocks that can hold one."""
        searcher = self.searcher
        idf = searcher.idf(clause.field, clause.term) * clause.boost
        if not idf:
            return
        avgfl = searcher.avg_field_length(clause.field) or 1.0
        k1 = self.k1
        k1p = idf * (k1 + 1.0)
        base = k1 * (1.0 - self.b)
        per_length = k1 * self.b / avgfl
        get = scores.get
        for leaf in self._leaves:
            reader = leaf.reader
            if (clause.field, clause.term) not in reader:
                continue
            lengths = self._lengths(leaf, clause.field)
            offset = leaf.offset
            matcher = reader.postings(clause.field, clause.term)
            if only is not None:
                wanted = [d - offset for d in only if offset <= d < offset + len(lengths)]
                for docnum, weight in _postings_of(matcher, wanted):
                    doc = docnum + offset
                    scores[doc] = get(doc, 0.0) + weight * k1p / (
                        weight + base + per_length * lengths[docnum]
                    )
                continue
            for ids, weights in _blocks(matcher):
                if isinstance(weights, float):
                    numerator, shift = weights * k1p, weights + base
                    for docnum in ids:
                        doc = docnum + offset
                        scores[doc] = get(doc, 0.0) + numerator / (
                            shift + per_length * lengths[docnum]
                        )
                    continue
                for docnum, weight in zip(ids, weights, strict=False):
                    doc = docnum + offset
                    scores[doc] = get(doc, 0.0) + weight * k1p / (
                        weight + base + per_length * lengths[docnum]
                    )

    def _group(self, scores: dict[int, float], clauses: list[Clause]) -> None:
        """Add the scores of documents that match every clause of ``clauses``."""
        partial: dict[int, float] | None = None
        for clause in clauses:
            one: dict[int, float] = {}
            self._add(one, clause, only=None if partial is None else sorted(partial))
            partial = one if partial is None else {d: partial[d] + s for d, s in one.items()}
            if not partial:
                return
        for doc, score in (partial or {}).items():
            scores[doc] = scores.get(doc, 0.0) + score

    # --- ranking -----------------------------------------------------------------------------

    def rank(
        self, plan: Plan, limit: int, allowed: set[int] | None = None
    ) -> tuple[list[tuple[int, float]], int]:
        """The best ``limit`` (document number, score) pairs, and how many documents matched."""
        scores: dict[int, float] = {}
        for clause in plan.rare:
            self._add(scores, clause)
        for group in plan.groups:
            self._group(scores, group)
        if scores:
            candidates = sorted(scores)
            for clause in plan.common:
                self._add(scores, clause, only=candidates)
        else:
            for clause in plan.common:
                self._add(scores, clause)
        live = self._live(scores.items(), allowed)
        matched = len(live)
        return heapq.nlargest(limit, live, key=itemgetter(1)), matched

    def _live(
        self, items: Iterable[tuple[int, float]], allowed: set[int] | None
    ) -> list[tuple[int, float]]:
        deleted = self._deleted
        return [
            (doc, score)
            for doc, score in items
            if doc not in deleted and (allowed is None or doc in allowed)
        ]


def _deleted(reader: Any) -> frozenset[int]:
    if not reader.has_deletions():
        return frozenset()
    found = getattr(reader, "deleted_docs_set", None)  # a cached property in whoosh-reloaded
    if found is not None:
        return frozenset(found() if callable(found) else found)
    return frozenset(d for d in range(reader.doc_count_all()) if reader.is_deleted(d))


Weights = Sequence[float] | float


def _decoded(matcher: Any) -> tuple[Sequence[int], Weights]:
    """The current block's ids and weights (a float when every posting has the same weight)."""
    if matcher._data is None:
        matcher._read_data()
    stored_ids, stored_weights = matcher._data[0], matcher._data[1]
    # Whoosh stores ids delta-encoded; accumulate() is its delta_decode() in C.
    ids = tuple(accumulate(stored_ids))
    if stored_weights is None:
        return ids, 1.0
    if isinstance(stored_weights, float | int):
        return ids, float(stored_weights)
    return ids, stored_weights


def _fast(matcher: Any) -> bool:
    return all(
        hasattr(matcher, name) for name in ("_data", "_read_data", "_next_block", "_maxid")
    ) and not getattr(matcher, "_byteids", False)


def _unwrap(matcher: Any) -> Any:
    # With deletions Whoosh wraps the postings in a filter; the ranker drops deleted
    # documents at the end instead.
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def _blocks(matcher: Any) -> Iterator[tuple[Sequence[int], Weights]]:
    """A posting list a block at a time (deleted documents included)."""
    matcher = _unwrap(matcher)
    if _fast(matcher):
        while matcher.is_active():
            yield _decoded(matcher)
            matcher._next_block()
        return
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


def _postings_of(matcher: Any, wanted: Sequence[int]) -> Iterator[tuple[int, float]]:
    """``(docnum, weight)`` of the postings whose document is in the sorted ``wanted``; blocks
    holding none of them are skipped without being decoded (their last id is in the block
    header)."""
    if not wanted:
        return
    matcher = _unwrap(matcher)
    if not _fast(matcher):
        wanted_set = set(wanted)
        for ids, weights in _blocks(matcher):
            if isinstance(weights, float):
                yield from ((d, weights) for d in ids if d in wanted_set)
            else:
                yield from ((d, w) for d, w in zip(ids, weights, strict=False) if d in wanted_set)
        return
    start = 0
    count = len(wanted)
    while matcher.is_active() and start < count:
        last = matcher._maxid
        end = bisect_right(wanted, last, start)
        if end > start:
            ids, weights = _decoded(matcher)
            if isinstance(weights, float):
                present = set(ids)
                for doc in wanted[start:end]:
                    if doc in present:
                        yield doc, weights
            else:
                by_doc = dict(zip(ids, weights, strict=False))
                for doc in wanted[start:end]:
                    weight = by_doc.get(doc)
                    if weight is not None:
                        yield doc, weight
            start = end
        matcher._next_block()


def _load_lengths(reader: Any, name: str) -> list[int]:
    """Every document's length in field ``name`` of one segment (0 when it has none)."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN

        column = perdoc._cached_reader(f"_{name}_len", LENGTHS_COLUMN)
    if column is not None and hasattr(column, "_dbfile") and hasattr(column, "_basepos"):
        raw = bytes(column._dbfile.get(column._basepos, column._count))
        lengths = [_LENGTH_OF_BYTE[b] for b in raw]
        lengths.extend([0] * (count - len(lengths)))
        return lengths
    return [reader.doc_field_length(d, name, 0) for d in range(count)]
