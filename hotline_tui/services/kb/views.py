"""Reading the knowledge base: immutable views of articles, their history and feedback.

Who sees what: operators and dispatchers see published articles (an expired one is shown
flagged, for the article view; the search offers only those in effect); handlers also see
their own department's articles in any status; supervisors and administrators see everything.
An article someone may not see is "not found", as orders are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import Session, col, select

from db.models import Category, Department, KbArticle, KbArticleVersion, KbFeedback, User
from hotline_tui.domain.errors import Conflict, NotFound
from hotline_tui.domain.kb import ArticleStatus, display_title, in_effect, kb_require
from hotline_tui.domain.kb_markdown import inert_markdown
from hotline_tui.domain.kb_visibility import ArticleScope, article_scope
from hotline_tui.services.context import Actor, Hotline

__all__ = [
    "ArticleSummary",
    "ArticleView",
    "FeedbackView",
    "VersionView",
    "article_history",
    "article_summaries",
    "article_view",
    "dumps",
    "get_article",
    "list_feedback",
    "load_article",
    "loads",
    "local_today",
    "may_see",
    "scope_of",
    "visible_clause",
]


def dumps(items: Iterable[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def loads(text: str) -> tuple[str, ...]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def local_today(hl: Hotline) -> date:
    """Today in the hotline's own time zone (articles expire at the end of a local day)."""
    return hl.now().astimezone(ZoneInfo(hl.settings.timezone)).date()


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    title: str
    status: str
    owner: str
    dept_code: str | None
    category_path: str
    expires_on: date | None
    in_effect: bool
    expired: bool
    usage_count: int
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class ArticleView:
    """An article as the console and the CLI show it. ``body`` is the stored Markdown;
    ``body_inert`` is the same with every link, image and address made plain text (render
    this one); ``owner`` is the department's name or the free-text owner."""

    id: int
    title: str
    display_title: str
    body: str
    body_inert: str
    status: str
    category_code: str | None
    category_path: str
    dept_code: str | None
    owner: str
    owner_is_free_text: bool
    tags: tuple[str, ...]
    synonyms: tuple[str, ...]
    policy_refs: tuple[str, ...]
    effective_from: date | None
    expires_on: date | None
    in_effect: bool
    expired: bool
    usage_count: int
    helpful_count: int
    outdated_count: int
    wrong_count: int
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: str
    published_at: datetime | None
    ext_key: str | None


@dataclass(frozen=True)
class VersionView:
    version: int
    action: str
    changed_fields: tuple[str, ...]
    note: str
    status: str
    title: str
    changed_at: datetime
    changed_by: str


@dataclass(frozen=True)
class FeedbackView:
    id: int
    article_id: int
    article_version: int
    kind: str
    note: str
    at: datetime
    user: str


def scope_of(actor: Actor) -> ArticleScope:
    return article_scope(actor.role, actor.dept_id)


def may_see(actor: Actor, article: KbArticle) -> bool:
    return scope_of(actor).admits(article.status, article.owner_dept_id)


def visible_clause(actor: Actor) -> ColumnElement[bool]:
    """The SQL form of :func:`may_see`, for queries over ``KbArticle``."""
    scope = scope_of(actor)
    if scope.everything:
        return true()
    published = col(KbArticle.status) == ArticleStatus.PUBLISHED.value
    if scope.own_dept_id is None:
        return published
    return or_(published, col(KbArticle.owner_dept_id) == scope.own_dept_id)


def load_article(
    session: Session, actor: Actor, article_id: int, *, lock: bool = False
) -> KbArticle:
    query = select(KbArticle).where(KbArticle.id == article_id)
    if lock:
        query = query.with_for_update()
    article = session.exec(query).one_or_none()
    if article is None or not may_see(actor, article):
        raise NotFound("not_found.kb_article", article=article_id)
    return article


def check_article_version(session: Session, article: KbArticle, seen: int | None) -> None:
    """Refuse a change made on a stale version, naming who changed the article and when."""
    if seen is None or seen == article.version:
        return
    last = session.exec(
        select(KbArticleVersion)
        .where(KbArticleVersion.article_id == article.id, KbArticleVersion.version > seen)
        .order_by(col(KbArticleVersion.version).desc())
        .limit(1)
    ).one_or_none()
    who = session.get(User, last.changed_by) if last else None
    raise Conflict(
        "conflict.kb_version",
        article=article.id,
        seen=seen,
        current=article.version,
        changed_by=who.username if who else "",
        action=last.action if last else "",
        at=last.changed_at.isoformat() if last else "",
    )


def _names(session: Session, article: KbArticle) -> tuple[str | None, str, str | None, str]:
    category = session.get(Category, article.category_id) if article.category_id else None
    dept = session.get(Department, article.owner_dept_id) if article.owner_dept_id else None
    return (
        category.code if category else None,
        category.path if category else "",
        dept.code if dept else None,
        dept.name if dept else article.owner_text,
    )


def article_view(session: Session, article: KbArticle, today: date) -> ArticleView:
    assert article.id is not None
    category_code, category_path, dept_code, owner = _names(session, article)
    editor = session.get(User, article.updated_by)
    expired = article.expires_on is not None and article.expires_on < today
    return ArticleView(
        id=article.id,
        title=article.title,
        display_title=display_title(article.title, article.body),
        body=article.body,
        body_inert=inert_markdown(article.body),
        status=article.status,
        category_code=category_code,
        category_path=category_path,
        dept_code=dept_code,
        owner=owner,
        owner_is_free_text=dept_code is None and bool(article.owner_text),
        tags=loads(article.tags),
        synonyms=loads(article.synonyms),
        policy_refs=loads(article.policy_refs),
        effective_from=article.effective_from,
        expires_on=article.expires_on,
        in_effect=in_effect(article.status, article.effective_from, article.expires_on, today),
        expired=expired,
        usage_count=article.usage_count,
        helpful_count=article.helpful_count,
        outdated_count=article.outdated_count,
        wrong_count=article.wrong_count,
        version=article.version,
        created_at=article.created_at,
        updated_at=article.updated_at,
        updated_by=editor.username if editor else "",
        published_at=article.published_at,
        ext_key=article.ext_key,
    )


def get_article(hl: Hotline, actor: Actor, article_id: int) -> ArticleView:
    """One article, as the actor may see it."""
    kb_require(actor.role, "kb.read", username=actor.username)
    with hl.reading() as session:
        return article_view(session, load_article(session, actor, article_id), local_today(hl))


def article_history(hl: Hotline, actor: Actor, article_id: int) -> list[VersionView]:
    """Every version of the article, newest first: who changed what, when."""
    kb_require(actor.role, "kb.read", username=actor.username)
    with hl.reading() as session:
        load_article(session, actor, article_id)
        rows = session.exec(
            select(KbArticleVersion, User.username)
            .join(User, col(User.id) == col(KbArticleVersion.changed_by))
            .where(KbArticleVersion.article_id == article_id)
            .order_by(col(KbArticleVersion.version).desc())
        ).all()
        return [
            VersionView(
                v.version,
                v.action,
                loads(v.changed_fields),
                v.note,
                v.status,
                v.title,
                v.changed_at,
                username,
            )
            for v, username in rows
        ]


def list_feedback(hl: Hotline, actor: Actor, article_id: int) -> list[FeedbackView]:
    """Operators' feedback on an article, newest first."""
    kb_require(actor.role, "kb.read", username=actor.username)
    with hl.reading() as session:
        load_article(session, actor, article_id)
        rows = session.exec(
            select(KbFeedback, User.username)
            .join(User, col(User.id) == col(KbFeedback.user_id))
            .where(KbFeedback.article_id == article_id)
            .order_by(col(KbFeedback.id).desc())
        ).all()
        return [
            FeedbackView(f.id or 0, f.article_id, f.article_version, f.kind, f.note, f.at, username)
            for f, username in rows
        ]


def article_summaries(
    session: Session, articles: Iterable[KbArticle], today: date
) -> list[ArticleSummary]:
    rows = list(articles)
    dept_ids = {a.owner_dept_id for a in rows if a.owner_dept_id}
    category_ids = {a.category_id for a in rows if a.category_id}
    depts = {
        d.id: d for d in session.exec(select(Department).where(col(Department.id).in_(dept_ids)))
    }
    categories = {
        c.id: c for c in session.exec(select(Category).where(col(Category.id).in_(category_ids)))
    }
    out: list[ArticleSummary] = []
    for a in rows:
        dept = depts.get(a.owner_dept_id)
        category = categories.get(a.category_id)
        out.append(
            ArticleSummary(
                id=a.id or 0,
                title=display_title(a.title, a.body),
                status=a.status,
                owner=dept.name if dept else a.owner_text,
                dept_code=dept.code if dept else None,
                category_path=category.path if category else "",
                expires_on=a.expires_on,
                in_effect=in_effect(a.status, a.effective_from, a.expires_on, today),
                expired=a.expires_on is not None and a.expires_on < today,
                usage_count=a.usage_count,
                version=a.version,
                updated_at=a.updated_at,
            )
        )
    return out
