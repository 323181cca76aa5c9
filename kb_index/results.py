"""What a search takes and gives: the filters, the hits with their snippets, the results,
and the error when the host has no usable index (:mod:`kb_index.searcher`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kb_index.snippets import Span

__all__ = ["Filters", "Hit", "IndexUnavailable", "Results"]


class IndexUnavailable(Exception):
    """The host has no usable index yet (``reason``: missing, schema, damaged)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Filters:
    """Which articles a search may return. Empty tuples mean "any"; ``in_effect_on`` keeps
    the articles whose dates include that day (operators see only those)."""

    statuses: tuple[str, ...] = ("published",)
    categories: tuple[str, ...] = ()
    depts: tuple[str, ...] = ()
    in_effect_on: date | None = None
    # Who is asking, when it limits what they may see: a document must be published or owned by
    # one of these departments (None: no such limit). Built by the services from the one
    # visibility rule, so a filter asked for (``statuses``, ``depts``) can never widen it.
    published_or_depts: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    title: str
    title_spans: tuple[Span, ...]
    snippet: tuple[Span, ...]
    tags: tuple[str, ...]
    category_path: str
    dept: str
    owner: str
    status: str
    effective_from: str | None
    expires_on: str | None
    version: int
    updated_at: str
    source_key: str = ""
    # The cosine of the query and the article's passage when the search ranked by meaning
    # (None: ranked by words, or the passage has no vector yet).
    meaning: float | None = None


@dataclass(frozen=True)
class Results:
    query: str
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    total: int
    cut: bool = False
    elapsed_ms: float = 0.0
    expansions: tuple[str, ...] = field(default_factory=tuple)
    # Each of ``terms``' inverse document frequency in the index (how much it says).
    idf: tuple[tuple[str, float], ...] = field(default_factory=tuple)
