"""The index's schema and the document the services hand in.

``SCHEMA_VERSION`` names the layout and the analysis together: when either changes, the number
goes up and the first writer that opens an index of another version rebuilds it (readers wait
for the new one rather than search an index they would misread).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from whoosh import fields
from whoosh.analysis import SpaceSeparatedTokenizer

__all__ = [
    "FIELD_BOOSTS",
    "SCHEMA_VERSION",
    "TEXT_FIELDS",
    "TOKEN_FIELDS",
    "AnalysedDoc",
    "IndexDoc",
    "day_number",
    "make_schema",
]

SCHEMA_VERSION = 3

# How much a match in each field counts (BM25F, per field, then weighted and summed): a word
# of the title or of an alternative question says more about the article than one of its body.
# A character bigram ("grams": title and body) backs the words up where jieba cut the query and
# the article differently; half a word's weight (chosen on half of the real Q&A pairs, see
# scripts/bench_kb.py) adds to the words' ranking without taking it over.
FIELD_BOOSTS: Mapping[str, float] = {
    "title": 2.5,
    "synonyms": 2.0,
    "tags": 1.5,
    "body": 1.0,
    "pinyin": 3.0,
    "grams": 0.5,
}
TEXT_FIELDS = ("body", "synonyms", "tags", "title")
"""The fields a query's words are looked up in."""
TOKEN_FIELDS = (*TEXT_FIELDS, "pinyin", "grams")
"""Every field that holds space-separated tokens (scored with BM25F)."""
NO_DATE = 0
FAR_FUTURE = 99_999_999


def day_number(day: date | None, default: int) -> int:
    """A date as a sortable integer (20260301), ``default`` when there is none."""
    return default if day is None else day.year * 10_000 + day.month * 100 + day.day


@dataclass(frozen=True)
class IndexDoc:
    """One article as the index sees it (built by the services from the database)."""

    article_id: int
    title: str
    body: str
    status: str
    version: int
    tags: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    category_codes: tuple[str, ...] = ()  # the category and its ancestors
    category_path: str = ""
    dept_code: str | None = None
    owner: str = ""
    effective_from: date | None = None
    expires_on: date | None = None
    updated_at: str = ""
    source_key: str = ""  # the article's key in the source it was imported from


@dataclass(frozen=True)
class AnalysedDoc:
    """A document with its fields already segmented (what the writers add to the index)."""

    doc: IndexDoc
    tokens: dict[str, list[str]] = field(default_factory=dict)


def make_schema() -> fields.Schema:
    """Text fields hold space-separated tokens (analysed by :mod:`kb_index.analysis` first);
    filter fields are exact; ``doc`` stores what a hit shows without a database round trip."""
    words = SpaceSeparatedTokenizer()
    text = {name: fields.TEXT(analyzer=words, phrase=False) for name in TOKEN_FIELDS}
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        status=fields.ID,
        dept=fields.ID,
        category=fields.KEYWORD,
        effective=fields.NUMERIC(int, bits=32),
        expires=fields.NUMERIC(int, bits=32),
        doc=fields.STORED,
        **text,
    )
