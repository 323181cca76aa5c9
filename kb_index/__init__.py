"""Whoosh search over knowledge articles: schema, Chinese analysis, writer, searcher. No UI.

The package knows nothing of the database or the services: they hand in :class:`IndexDoc`
values and change-feed marks, and get :class:`Results` back. One process per host writes (the
lease in :mod:`kb_index.store`); every process may read (:class:`IndexReader`).
"""

from kb_index.analysis import SynonymMap, pinyin_tokens, query_terms
from kb_index.builder import BuildStats
from kb_index.schema import SCHEMA_VERSION, IndexDoc
from kb_index.searcher import MAX_TERMS, Filters, Hit, IndexReader, IndexUnavailable, Results
from kb_index.snippets import Span, plain_text
from kb_index.store import IndexMeta
from kb_index.writer import IndexWriter, NotLeader

__all__ = [
    "MAX_TERMS",
    "SCHEMA_VERSION",
    "BuildStats",
    "Filters",
    "Hit",
    "IndexDoc",
    "IndexMeta",
    "IndexReader",
    "IndexUnavailable",
    "IndexWriter",
    "NotLeader",
    "Results",
    "Span",
    "SynonymMap",
    "pinyin_tokens",
    "plain_text",
    "query_terms",
]
