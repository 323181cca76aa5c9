"""Re-ranking BM25F's best candidates by how many of the query's characters each one holds.

A question and its answer often name the same thing with different words that share a
character: 离异 / 离婚, 降雪 / 下雪, 时限 / 时效. Neither the words nor the character bigrams
match then, but the characters do. Indexing single characters would make every posting list
long (a character is in thousands of articles) and slow every search down; looking at the few
best candidates' text costs a fraction of a millisecond, and that is where the order matters.

Each of the best :data:`DEPTH` candidates (their stored text is read for the hits shown
anyway) gains ``COVERAGE_WEIGHT × top score × coverage``, where coverage is the share of the
distinct Chinese characters of the query's words (stop words left out; of a query cut to its
most informative terms, those terms) found anywhere in the article's title or body. An article
holding all of them gains 0.4 of the best BM25F score: enough to reorder neighbours, not to
lift an article that matched one word past one that matched them all.

Both numbers were chosen on the tuning half of the real Q&A pairs (``scripts/bench_kb.py``):
recall@1 0.576 → 0.591, recall@5 0.807 → 0.817, MRR@10 0.674 → 0.683 there (held-out half:
0.609 → 0.628, 0.845 → 0.847, 0.709 → 0.720). Semantic models learned from the indexed
articles themselves (LSA over words and bigrams, 100-400 dimensions, fused linearly or by
reciprocal rank) and a thesaurus (Cilin's synonym groups) were tried the same way and added
nothing measurable: a few thousand answers are too few to learn what the words mean. A model
trained on far more text does: where it runs, :mod:`kb_index.semantic` ranks the candidates,
with this coverage as one of its three parts, and :func:`rerank` is the ranking without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

__all__ = ["COVERAGE_WEIGHT", "DEPTH", "coverage", "query_chars", "rerank"]

DEPTH = 10
COVERAGE_WEIGHT = 0.4

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def query_chars(terms: Sequence[str]) -> str:
    """The distinct Chinese characters of ``terms``, in order."""
    return "".join(dict.fromkeys(ch for term in terms for ch in term if _HAN.match(ch)))


def coverage(chars: str, text: str) -> float:
    """The share of ``chars`` found in ``text`` (0 when there are none to look for)."""
    if not chars:
        return 0.0
    return sum(1 for ch in chars if ch in text) / len(chars)


def rerank(
    ranked: Sequence[tuple[int, float]], chars: str, text_of: Callable[[int], str]
) -> list[tuple[int, float]]:
    """``ranked`` (best first) with the first :data:`DEPTH` candidates' coverage of ``chars``
    added to their scores and those re-sorted (ties keep BM25F's order); the rest follow as they
    were, below them (a bonus only raises a score). So the first hits are the same whatever the
    limit. A query without Chinese characters (pinyin, Latin words) keeps its order and scores.
    """
    if not chars or len(ranked) < 2 or ranked[0][1] <= 0:
        return list(ranked)
    bonus = COVERAGE_WEIGHT * ranked[0][1]
    head = [(doc, score + bonus * coverage(chars, text_of(doc))) for doc, score in ranked[:DEPTH]]
    head.sort(key=lambda item: item[1], reverse=True)
    return [*head, *ranked[DEPTH:]]
