"""What the self-service channel knows about a search before it answers by itself: features.

Raw search scores are not comparable across queries: a long question collects a larger score
than a short one, and a question about a rare word a larger one than a question about common
ones. So the decision to answer (:mod:`hotline_tui.domain.autoanswer_calibration`) reads these
numbers about the best hit, most of them relative to what the query could attain at best:

- ``score``, ``gap``, ``second_ratio``: the best hit's score, its lead over the second and the
  second's share of it (a clear winner against a close call);
- ``idf_title``, ``idf_text``, ``idf_second``: the query's terms, weighted by how rare they are
  in the index (IDF), found in the best hit's title, in its title or body, and in the second
  hit's: a share of what the query could match at best (1.0 = every term);
- ``chars_title``, ``title_in_query``: the query's characters found in the title, and the
  title's characters found in the query (a question asked as the article's title gives 1, 1);
- ``meaning``, ``meaning_gap``: the sentence-embedding cosine of the query and the best hit's
  passage, and its lead over the second's (0 where the search did not rank by meaning);
- ``query_chars``, ``terms``, ``hits``: how long the question is, how many terms it kept and
  how many articles matched (log-scaled).

Pure: the service hands in the hits' texts and the search's terms and IDF.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["FEATURES", "HitFacts", "features", "han_chars"]

FEATURES = (
    "score",
    "gap",
    "second_ratio",
    "idf_title",
    "idf_text",
    "idf_second",
    "chars_title",
    "title_in_query",
    "meaning",
    "meaning_gap",
    "query_chars",
    "terms",
    "hits",
)

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class HitFacts:
    """One hit as the features see it: its score, title, readable body and cosine."""

    score: float
    title: str
    body: str
    meaning: float | None = None


def han_chars(text: str) -> str:
    """The distinct Chinese characters of ``text``, in order."""
    return "".join(dict.fromkeys(_HAN.findall(text)))


def _share(chars: str, text: str) -> float:
    return sum(1 for ch in chars if ch in text) / len(chars) if chars else 0.0


def _idf_share(idf: Mapping[str, float], text: str) -> float:
    total = sum(idf.values())
    if total <= 0:
        return 0.0
    folded = text.lower()
    return sum(weight for term, weight in idf.items() if term.lower() in folded) / total


def features(
    question: str,
    idf: Mapping[str, float],
    hits: Sequence[HitFacts],
    total: int,
) -> tuple[float, ...]:
    """The :data:`FEATURES` of a search for ``question`` whose kept terms had ``idf`` and whose
    best hits are ``hits`` (best first; ``total`` matched in all). No hit: all zeros but the
    query's own length and terms."""
    chars = han_chars(question)
    length = math.log1p(len(chars))
    terms = float(len(idf))
    if not hits:
        values = dict.fromkeys(FEATURES, 0.0)
        values.update(query_chars=length, terms=terms)
        return tuple(values[name] for name in FEATURES)
    first = hits[0]
    second = hits[1] if len(hits) > 1 else None
    second_score = second.score if second is not None else 0.0
    meaning = first.meaning if first.meaning is not None else 0.0
    second_meaning = second.meaning if second is not None and second.meaning is not None else None
    title_chars = han_chars(first.title)
    values = {
        "score": first.score,
        "gap": first.score - second_score,
        "second_ratio": second_score / first.score if first.score > 0 else 0.0,
        "idf_title": _idf_share(idf, first.title),
        "idf_text": _idf_share(idf, f"{first.title}\n{first.body}"),
        "idf_second": _idf_share(idf, f"{second.title}\n{second.body}") if second else 0.0,
        "chars_title": _share(chars, first.title),
        "title_in_query": _share(title_chars, question),
        "meaning": meaning,
        "meaning_gap": meaning - second_meaning if second_meaning is not None else 0.0,
        "query_chars": length,
        "terms": terms,
        "hits": math.log1p(max(total, len(hits))),
    }
    return tuple(values[name] for name in FEATURES)
