"""The demo's knowledge base: about two hundred standard answers written by the project.

:func:`seed_demo_articles` is what the demo generator calls (after the city is seeded). It is
idempotent: articles are keyed ``demo:<topic>:<kind>``, so a second run changes nothing. Owners
are the demo city's departments when they exist (by code), else free-text owners; categories
are matched by path. A few articles carry an expiry date in the past, so the owners' expiry
list and ``hotline kb stats`` have something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select

from db.models import Category, Department, KbArticle
from hotline_tui.domain.kb import ArticleInput, ArticleStatus
from hotline_tui.domain.kb_corpus import CITY, CorpusArticle, demo_articles
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.articles import write_article_op
from hotline_tui.services.kb.views import local_today
from hotline_tui.services.uow import UnitOfWork

__all__ = ["DemoKbResult", "corpus_input", "seed_demo_articles"]

EXPIRED_EVERY = 37  # every 37th demo article expired last month (for the expiry flags)


@dataclass(frozen=True)
class DemoKbResult:
    created: int
    unchanged: int


def corpus_input(
    item: CorpusArticle, depts: dict[str, str], categories: dict[str, str]
) -> ArticleInput:
    """A generated article as an :class:`ArticleInput` for this database's city."""
    dept = item.dept_code if item.dept_code in depts else None
    return ArticleInput(
        title=item.title,
        body=item.body,
        category=categories.get(item.category),
        tags=item.tags,
        synonyms=item.synonyms,
        dept=dept,
        owner="" if dept else f"{CITY}{item.dept_name}",
        policy_refs=item.policy_refs,
    )


def seed_demo_articles(hl: Hotline, actor: Actor) -> DemoKbResult:
    """Create the demo's published articles (those already there are left as they are)."""
    items = demo_articles()
    today = local_today(hl)

    def work(uow: UnitOfWork) -> DemoKbResult:
        session = uow.session
        depts = {d.code: d.code for d in session.exec(select(Department)).all()}
        categories = {c.path: c.code for c in session.exec(select(Category)).all()}
        keys = [f"demo:{item.key}" for item in items]
        existing = set(
            session.exec(select(KbArticle.ext_key).where(col(KbArticle.ext_key).in_(keys))).all()
        )
        created = 0
        for index, (item, key) in enumerate(zip(items, keys, strict=True), start=1):
            if key in existing:
                continue
            article = corpus_input(item, depts, categories)
            if index % EXPIRED_EVERY == 0:
                article = ArticleInput(
                    **{
                        **article.__dict__,
                        "effective_from": today - timedelta(days=400),
                        "expires_on": today - timedelta(days=30),
                    }
                )
            write_article_op(
                uow,
                article,
                status=ArticleStatus.PUBLISHED,
                ext_key=key,
                action="import",
                note="demo",
            )
            created += 1
        return DemoKbResult(created, len(items) - created)

    return uow_module.write(hl, actor, work)
