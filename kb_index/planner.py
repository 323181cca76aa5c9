"""From a query's text to what is scored: the terms kept, their synonyms and pinyin, and which
terms are common (only adding to the score of documents a rarer term found).

Nothing here parses query syntax: the text is segmented like the documents (see
:mod:`kb_index.analysis`) and every term becomes a :class:`~kb_index.scoring.Clause` per field
that holds it, weighted per field (:data:`kb_index.schema.FIELD_BOOSTS`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from whoosh import query as wq

from kb_index.analysis import (
    SynonymMap,
    char_bigrams,
    is_pinyin_query,
    is_single_han,
    query_terms,
    split_pinyin,
    word_parts,
)
from kb_index.schema import FIELD_BOOSTS, TEXT_FIELDS
from kb_index.scoring import Clause, Plan

__all__ = [
    "MAX_TERMS",
    "expansions",
    "frequencies",
    "pick_grams",
    "pick_terms",
    "plan",
    "whoosh_query",
]

MAX_TERMS = 10
"""A query keeps at most this many terms (the rarest): more would slow it, not improve it."""
SYNONYM_WEIGHT = 0.6
PINYIN_PREFIX_WEIGHT = 0.8
PINYIN_PREFIX_MAX = 30
COMMON_FRACTION = 0.05
UBIQUITOUS_FRACTION = 0.4
COMMON_MIN_DOCS = 50


def frequencies(searcher: Any, terms: Sequence[str]) -> dict[str, dict[str, int]]:
    reader = searcher.reader()
    return {t: {name: reader.doc_frequency(name, t) for name in TEXT_FIELDS} for t in terms}


def pick_terms(
    searcher: Any, words: list[str], max_terms: int
) -> tuple[list[str], bool, dict[str, float], dict[str, dict[str, int]]]:
    """The terms to search with, whether the query was cut, their IDF and frequencies.

    A word the index does not hold is replaced by its parts that it does hold. Of a long
    query (more than ``max_terms`` terms) single characters go first, then the commonest
    terms: the rarest are the most informative, and the cheapest to score.
    """
    total = max(1, searcher.doc_count_all())
    counts = frequencies(searcher, words)
    terms: list[str] = []
    for word in words:
        if max(counts[word].values()) or is_pinyin_query(word):
            terms.append(word)
            continue
        parts = [p for p in word_parts(word) if p not in counts]
        counts.update(frequencies(searcher, parts))
        terms.extend(p for p in parts if max(counts[p].values()))
    terms = list(dict.fromkeys(terms))
    idf: dict[str, float] = {}
    for term in terms:
        df = max(counts[term].values())
        idf[term] = math.log(1 + (total - df + 0.5) / (df + 0.5))
    if len(terms) <= max_terms:
        return terms, False, idf, counts
    ranked = sorted(terms, key=lambda t: (not is_single_han(t), idf[t]), reverse=True)
    keep = set(ranked[:max_terms])
    return [t for t in terms if t in keep], True, idf, counts


def pick_grams(searcher: Any, text: str, terms: Sequence[str], cut: bool) -> dict[str, int]:
    """The query's character bigrams that the index holds, with their document frequency.

    Those of the whole text, bigrams across two words included (they act as a little phrase
    match); when the query was cut to its most informative terms, only those terms' bigrams,
    so a long description's filler does not come back in through its bigrams. At most
    ``2 × len(terms)`` are kept, the rarest.
    """
    source = char_bigrams(" ".join(terms)) if cut else char_bigrams(text)
    reader = searcher.reader()
    found = {g: reader.doc_frequency("grams", g) for g in dict.fromkeys(source)}
    found = {g: df for g, df in found.items() if df}
    cap = max(4, 2 * len(terms))
    if len(found) > cap:
        found = dict(sorted(found.items(), key=lambda item: item[1])[:cap])
    return found


def expansions(text: str, terms: Sequence[str], synonyms: SynonymMap) -> list[str]:
    if not len(synonyms):
        return []
    extra: list[str] = []
    for phrase in synonyms.expansions(text):
        extra.extend(query_terms(phrase))
    return [t for t in dict.fromkeys(extra) if t not in terms]


def plan(
    searcher: Any,
    terms: Sequence[str],
    extra: Sequence[str],
    counts: dict[str, dict[str, int]],
    grams: dict[str, int] | None = None,
) -> Plan:
    """One clause per term and field that holds it; pinyin clauses for Latin words.

    Common terms only add to the score of documents that match a rarer term (Lucene's
    "common terms" idea): a word in most articles (办理, 青川) cannot tell them apart, and
    scoring all its postings is what makes a plain setup slow.
    """
    total = max(1, searcher.doc_count_all())
    common_from = max(COMMON_MIN_DOCS, int(total * COMMON_FRACTION))
    ubiquitous_from = max(COMMON_MIN_DOCS, int(total * UBIQUITOUS_FRACTION))
    result = Plan()
    weighted = [(t, 1.0) for t in terms] + [(t, SYNONYM_WEIGHT) for t in extra]
    for term, weight in weighted:
        found = counts.get(term) or {}
        clauses = [
            Clause(name, term, FIELD_BOOSTS[name] * weight)
            for name in TEXT_FIELDS
            if found.get(name)
        ]
        frequency = max(found.values(), default=0)
        if frequency >= ubiquitous_from and len(weighted) > 1:
            continue  # in most articles: it cannot rank them, and costs the most to score
        if frequency >= common_from:
            result.common.extend(clauses)
        else:
            result.rare.extend(clauses)
        if weight == 1.0 and is_pinyin_query(term) and len(term) >= 2:
            pinyin_clauses(searcher, term, result)
    boost = FIELD_BOOSTS["grams"]
    for gram, frequency in (grams or {}).items():
        if frequency >= ubiquitous_from:
            continue
        clause = Clause("grams", gram, boost)
        (result.common if frequency >= common_from else result.rare).append(clause)
    return result


def pinyin_clauses(searcher: Any, term: str, plan: Plan) -> None:
    """The pinyin token itself; else the words' tokens it is made of (``sbjf`` = ``sb`` +
    ``jf``, all required); and from three letters the tokens it begins (still typing)."""
    reader = searcher.reader()
    boost = FIELD_BOOSTS["pinyin"]
    if reader.doc_frequency("pinyin", term):
        plan.rare.append(Clause("pinyin", term, boost))
    else:
        pieces = split_pinyin(term, lambda piece: bool(reader.doc_frequency("pinyin", piece)))
        if pieces:
            plan.groups.append([Clause("pinyin", piece, boost) for piece in pieces])
    if len(term) >= 3:
        extra = 0
        for candidate in reader.expand_prefix("pinyin", term):
            word = candidate.decode("utf-8") if isinstance(candidate, bytes) else str(candidate)
            if word == term:
                continue
            plan.rare.append(Clause("pinyin", word, boost * PINYIN_PREFIX_WEIGHT))
            extra += 1
            if extra >= PINYIN_PREFIX_MAX:
                break


def whoosh_query(plan: Plan) -> Any:
    """The plan as a Whoosh query (for ``engine="whoosh"``)."""

    def term(clause: Clause) -> Any:
        return wq.Term(clause.field, clause.term, boost=clause.boost)

    required = [term(c) for c in plan.rare] + [wq.And([term(c) for c in g]) for g in plan.groups]
    optional = [term(c) for c in plan.common]
    if required and optional:
        return wq.AndMaybe(wq.Or(required), wq.Or(optional))
    return wq.Or(required or optional)
