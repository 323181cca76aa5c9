"""One search of the self-service channel, with what the calibrator reads of it.

:func:`observe` runs the knowledge search for a question (published articles in effect, as an
operator sees them), loads the best hits' articles from the database (the index may lag a
retirement by a refresh: an article no longer offered is left out) and works out the features
(:mod:`hotline_tui.domain.autoanswer_features`). The decision, the training and the evaluation
all look at a question through this one function.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from db.models import KbArticle
from hotline_tui.domain.autoanswer_features import HitFacts, features
from hotline_tui.domain.kb import in_effect
from hotline_tui.services.context import Actor
from hotline_tui.services.kb.search import KnowledgeBase
from hotline_tui.services.kb.views import local_today
from kb_index import Hit, plain_text

__all__ = ["DEPTH", "Observation", "observe"]

DEPTH = 5
"""Hits looked at: the best two give the features, the best three the suggestions."""


@dataclass(frozen=True)
class Observation:
    """A question's search: its hits that are still offered (best first), their articles and
    the features of the search."""

    question: str
    hits: tuple[Hit, ...]
    articles: dict[int, KbArticle]
    features: tuple[float, ...]


def observe(kb: KnowledgeBase, actor: Actor, question: str) -> Observation:
    """Search ``question`` and describe the outcome (never logs a gap: the caller decides).
    Keywords rank by meaning too: a citizen's few words are worth the embedding's 10-40 ms."""
    results = kb.search(actor, question, limit=DEPTH, highlight=False, always_meaning=True)
    ids = [hit.article_id for hit in results.hits]
    today = local_today(kb.hl)
    with kb.hl.reading() as session:
        rows = (
            session.exec(select(KbArticle).where(col(KbArticle.id).in_(ids))).all() if ids else []
        )
        for row in rows:
            session.expunge(row)
    articles = {
        row.id or 0: row
        for row in rows
        if in_effect(row.status, row.effective_from, row.expires_on, today)
    }
    hits = tuple(hit for hit in results.hits if hit.article_id in articles)
    facts = [
        HitFacts(hit.score, hit.title, plain_text(articles[hit.article_id].body), hit.meaning)
        for hit in hits[:2]
    ]
    values = features(question, dict(results.idf), facts, results.total)
    return Observation(question, hits, articles, values)
