"""From an :class:`IndexDoc` to what Whoosh stores: segmented fields, filter terms, stored data."""

from __future__ import annotations

from datetime import date
from typing import Any

from kb_index.analysis import char_bigrams, index_tokens, pinyin_tokens, short_tokens
from kb_index.schema import FAR_FUTURE, NO_DATE, AnalysedDoc, IndexDoc, day_number

__all__ = ["analyse", "analyse_many", "field_values", "stored_value"]


def analyse(doc: IndexDoc) -> AnalysedDoc:
    """Segment the text fields of ``doc`` (the costly part of indexing: jieba and pinyin)."""
    return AnalysedDoc(
        doc=doc,
        tokens={
            "title": short_tokens(doc.title),
            "body": index_tokens(doc.body),
            "tags": short_tokens(" ".join(doc.tags)),
            "synonyms": short_tokens("\n".join(doc.synonyms)),
            "pinyin": pinyin_tokens([doc.title, *doc.tags, *doc.synonyms]),
            "grams": char_bigrams(f"{doc.title}\n{doc.body}"),
        },
    )


def analyse_many(docs: list[IndexDoc]) -> list[AnalysedDoc]:
    """:func:`analyse` over a chunk (the unit of work of the build's worker processes)."""
    return [analyse(doc) for doc in docs]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def stored_value(doc: IndexDoc) -> dict[str, Any]:
    """What a hit shows without asking the database (plain types: the index pickles it)."""
    return {
        "title": doc.title,
        "body": doc.body,
        "tags": list(doc.tags),
        "category_path": doc.category_path,
        "dept": doc.dept_code or "",
        "owner": doc.owner,
        "status": doc.status,
        "effective_from": _iso(doc.effective_from),
        "expires_on": _iso(doc.expires_on),
        "version": doc.version,
        "updated_at": doc.updated_at,
        "source_key": doc.source_key,
    }


def field_values(analysed: AnalysedDoc) -> dict[str, Any]:
    """Keyword arguments for Whoosh's ``add_document``/``update_document``."""
    doc = analysed.doc
    values: dict[str, Any] = {
        "id": str(doc.article_id),
        "status": doc.status,
        "effective": day_number(doc.effective_from, NO_DATE),
        "expires": day_number(doc.expires_on, FAR_FUTURE),
        "doc": stored_value(doc),
    }
    if doc.dept_code:
        values["dept"] = doc.dept_code
    if doc.category_codes:
        values["category"] = " ".join(doc.category_codes)
    for name, tokens in analysed.tokens.items():
        if tokens:
            values[name] = " ".join(tokens)
    return values
