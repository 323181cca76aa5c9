"""What the knowledge search service takes and gives besides hits: the filters a search asks
for, a refresh's outcome and the index's status (:mod:`hotline_tui.services.kb.search`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hotline_tui.domain.kb import ArticleStatus
from kb_index import Span

__all__ = ["IndexStatus", "KbFilters", "RefreshResult", "span_text"]


@dataclass(frozen=True)
class KbFilters:
    """What a search may return. Operators always get published articles in effect today;
    others may ask for other statuses, or for articles out of their dates too."""

    category: str | None = None
    dept: str | None = None
    statuses: tuple[str, ...] = (ArticleStatus.PUBLISHED.value,)
    include_out_of_effect: bool = False


@dataclass(frozen=True)
class RefreshResult:
    leader: bool
    rebuilt: bool
    applied: int
    mark: int


@dataclass(frozen=True)
class IndexStatus:
    ready: bool
    leader: bool
    directory: str
    documents: int
    mark_seq: int
    built_at: str
    updated_at: str
    schema: int
    problem: str = ""
    semantic: bool = False  # the embedding model is loaded: search ranks by meaning too
    vectors: int = 0  # passages with a vector (of every build, kept by text)


def span_text(spans: Iterable[Span]) -> str:
    """The plain text of a snippet (for front ends without styling)."""
    return "".join(span.text for span in spans)
