"""Writing the knowledge base: create and edit articles, move them through review.

Every change is one transaction that bumps the article's version, stores a snapshot in
``kb_article_version`` (who changed which fields, when, with what note) and records an audit
event on entity ``kb_article``, so the change feed carries it to every host's index. Handlers
write their own department's articles; supervisors approve; administrators publish and retire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session, col, select

from db.models import Category, Department, KbArticle, KbArticleVersion
from hotline_tui.domain.errors import NotFound, PermissionDenied
from hotline_tui.domain.kb import (
    ArticleInput,
    ArticlePatch,
    ArticleStatus,
    KbAction,
    apply_patch,
    clean_article,
    kb_require,
    kb_step,
)
from hotline_tui.domain.states import Role
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.views import (
    ArticleSummary,
    ArticleView,
    article_summaries,
    article_view,
    check_article_version,
    dumps,
    load_article,
    loads,
    local_today,
    visible_clause,
)
from hotline_tui.services.uow import UnitOfWork

__all__ = [
    "CONTENT_FIELDS",
    "approve_article",
    "create_article",
    "edit_article",
    "list_articles",
    "publish_article",
    "reject_article",
    "retire_article",
    "submit_article",
    "write_article_op",
]

CONTENT_FIELDS = (
    "title",
    "body",
    "category_id",
    "tags",
    "synonyms",
    "policy_refs",
    "owner_dept_id",
    "owner_text",
    "effective_from",
    "expires_on",
)


@dataclass(frozen=True)
class _Refs:
    category_id: int | None
    dept_id: int | None


def _refs(session: Session, article: ArticleInput) -> _Refs:
    category_id = dept_id = None
    if article.category:
        found = session.exec(select(Category.id).where(Category.code == article.category)).first()
        if found is None:
            raise NotFound("not_found.category", code=article.category)
        category_id = int(found)
    if article.dept:
        found = session.exec(select(Department.id).where(Department.code == article.dept)).first()
        if found is None:
            raise NotFound("not_found.dept", dept=article.dept)
        dept_id = int(found)
    return _Refs(category_id, dept_id)


def _input_of(session: Session, article: KbArticle) -> ArticleInput:
    category = session.get(Category, article.category_id) if article.category_id else None
    dept = session.get(Department, article.owner_dept_id) if article.owner_dept_id else None
    return ArticleInput(
        title=article.title,
        body=article.body,
        category=category.code if category else None,
        tags=loads(article.tags),
        synonyms=loads(article.synonyms),
        dept=dept.code if dept else None,
        owner=article.owner_text,
        policy_refs=loads(article.policy_refs),
        effective_from=article.effective_from,
        expires_on=article.expires_on,
    )


def _require_author(actor: Actor, dept_id: int | None) -> None:
    """Handlers write only their own department's articles."""
    kb_require(actor.role, "kb.edit", username=actor.username)
    if actor.role is Role.HANDLER and dept_id != actor.dept_id:
        raise PermissionDenied("permission.kb_dept", user=actor.username)


def _values(article: ArticleInput, refs: _Refs) -> dict[str, Any]:
    return {
        "title": article.title,
        "body": article.body,
        "category_id": refs.category_id,
        "tags": dumps(article.tags),
        "synonyms": dumps(article.synonyms),
        "policy_refs": dumps(article.policy_refs),
        "owner_dept_id": refs.dept_id,
        "owner_text": "" if refs.dept_id else article.owner,
        "effective_from": article.effective_from,
        "expires_on": article.expires_on,
    }


def snapshot_op(
    uow: UnitOfWork,
    article: KbArticle,
    action: str,
    changed: list[str],
    note: str = "",
    from_state: str | None = None,
) -> None:
    """Store the article's new version and record the audit event (the change feed)."""
    assert article.id is not None
    values = {name: getattr(article, name) for name in CONTENT_FIELDS}
    uow.session.add(
        KbArticleVersion(
            article_id=article.id,
            version=article.version,
            action=action,
            changed_fields=dumps(changed),
            note=note,
            status=article.status,
            changed_at=uow.now,
            changed_by=uow.actor.user_id,
            **values,
        )
    )
    uow.record(
        f"kb.{action}",
        entity="kb_article",
        entity_id=article.id,
        entity_version=article.version,
        dept_id=article.owner_dept_id,
        from_state=from_state,
        to_state=article.status,
        note=note,
        data={"fields": changed},
    )


def write_article_op(
    uow: UnitOfWork,
    article: ArticleInput,
    *,
    existing: KbArticle | None = None,
    status: ArticleStatus = ArticleStatus.DRAFT,
    ext_key: str | None = None,
    action: str | None = None,
    note: str = "",
) -> tuple[KbArticle, list[str]]:
    """Insert ``article`` (as ``status``) or update ``existing`` to it; the changed fields.

    Nothing is written (no version, no event) when an update changes nothing.
    """
    session = uow.session
    cleaned = clean_article(article)
    values = _values(cleaned, _refs(session, cleaned))
    if existing is None:
        row = KbArticle(
            ext_key=ext_key,
            status=status.value,
            created_at=uow.now,
            created_by=uow.actor.user_id,
            updated_at=uow.now,
            updated_by=uow.actor.user_id,
            published_at=uow.now if status is ArticleStatus.PUBLISHED else None,
            **values,
        )
        session.add(row)
        session.flush()
        snapshot_op(uow, row, action or "create", list(CONTENT_FIELDS), note)
        return row, list(CONTENT_FIELDS)
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if not changed:
        return existing, []
    for name in changed:
        setattr(existing, name, values[name])
    existing.version += 1
    existing.updated_at = uow.now
    existing.updated_by = uow.actor.user_id
    if existing.expiry_flagged_at is not None and "expires_on" in changed:
        existing.expiry_flagged_at = None  # a new expiry date is flagged again when it passes
    session.flush()
    snapshot_op(uow, existing, action or "edit", changed, note)
    return existing, changed


def create_article(
    hl: Hotline, actor: Actor, article: ArticleInput, *, note: str = ""
) -> ArticleView:
    """A new draft. A handler's article belongs to the handler's department."""
    kb_require(actor.role, "kb.edit", username=actor.username)

    def work(uow: UnitOfWork) -> ArticleView:
        given = article
        if actor.role is Role.HANDLER:
            dept = uow.session.get(Department, actor.dept_id) if actor.dept_id else None
            if dept is None:
                raise PermissionDenied("permission.kb_dept", user=actor.username)
            given = replace(article, dept=dept.code, owner="")
        row, _ = write_article_op(uow, given, note=note)
        return article_view(uow.session, row, local_today(hl))

    return uow_module.write(hl, actor, work)


def edit_article(
    hl: Hotline,
    actor: Actor,
    article_id: int,
    patch: ArticlePatch,
    *,
    if_version: int | None = None,
    note: str = "",
) -> ArticleView:
    """Change some fields (``None`` leaves a field as it is). A published article may be
    corrected in place only by those who approve articles."""

    def work(uow: UnitOfWork) -> ArticleView:
        session = uow.session
        row = load_article(session, actor, article_id, lock=True)
        _require_author(actor, row.owner_dept_id)
        kb_step(article_id, row.status, KbAction.EDIT)
        if row.status == ArticleStatus.PUBLISHED:
            kb_require(actor.role, "kb.edit_published", username=actor.username)
        check_article_version(session, row, if_version)
        updated = apply_patch(_input_of(session, row), patch)
        if actor.role is Role.HANDLER:
            # A handler cannot give the article away to another department (or to nobody).
            _require_author(actor, _refs(session, clean_article(updated)).dept_id)
        write_article_op(uow, updated, existing=row, note=note)
        return article_view(session, row, local_today(hl))

    return uow_module.write(hl, actor, work)


def _transition(
    hl: Hotline,
    actor: Actor,
    article_id: int,
    action: KbAction,
    permission: str,
    *,
    if_version: int | None,
    note: str,
    author_check: bool = False,
) -> ArticleView:
    kb_require(actor.role, permission, username=actor.username)

    def work(uow: UnitOfWork) -> ArticleView:
        session = uow.session
        row = load_article(session, actor, article_id, lock=True)
        if author_check:
            _require_author(actor, row.owner_dept_id)
        target = kb_step(article_id, row.status, action)
        check_article_version(session, row, if_version)
        before = row.status
        row.status = target.value
        row.version += 1
        row.updated_at = uow.now
        row.updated_by = actor.user_id
        if target is ArticleStatus.PUBLISHED:
            row.published_at = uow.now
        session.flush()
        snapshot_op(uow, row, action.value, ["status"], note, from_state=before)
        return article_view(session, row, local_today(hl))

    return uow_module.write(hl, actor, work)


def _action(
    action: KbAction, permission: str, *, author_check: bool = False
) -> Callable[..., ArticleView]:
    def run(
        hl: Hotline, actor: Actor, article_id: int, *, if_version: int | None = None, note: str = ""
    ) -> ArticleView:
        return _transition(
            hl,
            actor,
            article_id,
            action,
            permission,
            if_version=if_version,
            note=note,
            author_check=author_check,
        )

    run.__name__ = f"{action.value}_article"
    run.__doc__ = f"Article status change ``{action.value}`` (needs ``{permission}``)."
    return run


submit_article = _action(KbAction.SUBMIT, "kb.submit", author_check=True)
approve_article = _action(KbAction.APPROVE, "kb.approve")
reject_article = _action(KbAction.REJECT, "kb.reject")
publish_article = _action(KbAction.PUBLISH, "kb.publish")
retire_article = _action(KbAction.RETIRE, "kb.retire")


def list_articles(
    hl: Hotline,
    actor: Actor,
    *,
    status: str | None = None,
    dept: str | None = None,
    expired: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[ArticleSummary]:
    """Articles the actor may see, most recently changed first; ``expired``: published
    articles past their expiry date (what their owners must review)."""
    kb_require(actor.role, "kb.read", username=actor.username)
    today = local_today(hl)
    with hl.reading() as session:
        query = select(KbArticle)
        if status:
            query = query.where(KbArticle.status == status)
        if expired:
            query = query.where(
                KbArticle.status == ArticleStatus.PUBLISHED.value,
                col(KbArticle.expires_on).is_not(None),
                col(KbArticle.expires_on) < today,
            )
        if dept:
            dept_id = session.exec(select(Department.id).where(Department.code == dept)).first()
            if dept_id is None:
                raise NotFound("not_found.dept", dept=dept)
            query = query.where(KbArticle.owner_dept_id == dept_id)
        query = query.where(visible_clause(actor))
        rows = session.exec(
            query.order_by(col(KbArticle.updated_at).desc(), col(KbArticle.id).desc())
            .offset(max(0, offset))
            .limit(max(1, limit))
        ).all()
        return article_summaries(session, rows, today)
