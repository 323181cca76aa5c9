"""What the page says to a question: an answer, "did you mean" articles, or neither.

:func:`answer_or_suggest` is the page's one call for it, on the knowledge base's calibrated
decision (:func:`hotline_tui.services.kb.autoanswer.decide`): it answers only when the
calibrated probability reaches the threshold chosen for precision ≥ 0.95 — with no calibrator
trained, never — and never for a text that complains or reports (the type gate,
:func:`hotline_tui.domain.kb_gate.is_complaint_or_report`, applied inside the decision). Else
the decision's "did you mean" articles are shown.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hotline_tui.domain.errors import HotlineError
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.autoanswer import Reason, decide
from hotline_tui.services.kb.search import KnowledgeBase
from hotline_tui.services.kb.views import ArticleView, get_article

__all__ = ["Article", "Reply", "answer_or_suggest", "article_for_public"]

log = logging.getLogger(__name__)
SUGGESTIONS = 3


@dataclass(frozen=True)
class Article:
    """An article as the page shows it: plain text only (rendered escaped)."""

    id: int
    title: str
    text: str
    updated: date
    version: int = 0


@dataclass(frozen=True)
class Reply:
    answer: Article | None = None
    probability: float | None = None
    suggestions: tuple[Article, ...] = field(default_factory=tuple)
    gated: bool = False  # a complaint or a report: straight to the request form
    log_id: int | None = None  # the automatic answer's log row, for "did this help?"


def article_for_public(hl: Hotline, actor: Actor, article_id: int) -> Article | None:
    """A published article in effect today, as plain text; None for anything else."""
    try:
        view: ArticleView = get_article(hl, actor, article_id)
    except HotlineError:
        return None
    if view.status != "published" or not view.in_effect:
        return None
    return Article(
        view.id, view.display_title, view.body_inert, view.updated_at.date(), view.version
    )


def _article_id(item: Any) -> int | None:
    for name in ("article_id", "id"):
        value = getattr(item, name, None)
        if isinstance(value, int):
            return value
    return item if isinstance(item, int) else None


def _articles(hl: Hotline, actor: Actor, items: Iterable[Any]) -> tuple[Article, ...]:
    found: list[Article] = []
    for item in items:
        article_id = _article_id(item)
        article = article_for_public(hl, actor, article_id) if article_id is not None else None
        if article is not None and article.id not in {a.id for a in found}:
            found.append(article)
    return tuple(found[:SUGGESTIONS])


def answer_or_suggest(hl: Hotline, kb: KnowledgeBase, actor: Actor, question: str) -> Reply:
    """The page's reply to ``question`` (already cleaned of control characters)."""
    decision = decide(hl, question, actor=actor, knowledge=kb)
    if decision.reason == Reason.COMPLAINT:
        return Reply(gated=True)
    shown = _articles(hl, actor, [decision.article]) if decision.article is not None else ()
    suggestions = _articles(hl, actor, decision.suggestions)
    if shown:  # every automatic answer, without the question (it may name the person)
        log.info(
            "auto-answer article %s version %s probability %s",
            shown[0].id,
            shown[0].version,
            decision.probability,
        )
    return Reply(
        answer=shown[0] if shown else None,
        probability=decision.probability,
        suggestions=tuple(s for s in suggestions if not shown or s.id != shown[0].id),
        log_id=decision.log_id if shown else None,
    )
