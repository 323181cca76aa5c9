"""Whoosh search over knowledge articles: schema, Chinese analysis, writer, searcher. No UI.

The package knows nothing of the database or the services: they hand in :class:`IndexDoc`
values and change-feed marks, and get :class:`Results` back. One process per host writes (the
lease in :mod:`kb_index.store`); every process may read (:class:`IndexReader`).

The names below are imported lazily: importing one module of the package costs only that module.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb_index.analysis import SynonymMap, pinyin_tokens, query_terms
    from kb_index.builder import BuildStats
    from kb_index.results import Filters, Hit, IndexUnavailable, Results
    from kb_index.schema import SCHEMA_VERSION, IndexDoc
    from kb_index.searcher import MAX_TERMS, IndexReader
    from kb_index.snippets import Span, plain_text
    from kb_index.store import IndexMeta
    from kb_index.writer import IndexWriter, NotLeader

# Each name is imported from its module when first asked for, so that a light module such as
# kb_index.store (what ``hotline status`` reads) does not bring Whoosh, jieba, pypinyin and
# numpy with the package.
_HOMES = {
    "SynonymMap": "analysis",
    "pinyin_tokens": "analysis",
    "query_terms": "analysis",
    "BuildStats": "builder",
    "SCHEMA_VERSION": "schema",
    "IndexDoc": "schema",
    "MAX_TERMS": "searcher",
    "Filters": "results",
    "Hit": "results",
    "IndexReader": "searcher",
    "IndexUnavailable": "results",
    "Results": "results",
    "Span": "snippets",
    "plain_text": "snippets",
    "IndexMeta": "store",
    "IndexWriter": "writer",
    "NotLeader": "writer",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
