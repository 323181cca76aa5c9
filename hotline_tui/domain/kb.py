"""Knowledge-base rules: article statuses and their transitions, who may do what, article input.

Pure functions. An article moves draft → review → published → retired (DESIGN.md, issue 5): an
author submits a draft, a supervisor approves it (it is published) or sends it back; an
administrator may publish directly (an import, an urgent notice) and retire an article. Only a
published article that is in effect on the day is offered to operators.

The permission matrix is kept here, beside the rules it guards, rather than in the order
matrix of :mod:`hotline_tui.domain.permissions`: knowledge actions are a vocabulary of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from hotline_tui.domain import permissions
from hotline_tui.domain.errors import IllegalTransition, ValidationError
from hotline_tui.domain.text import clean_text

__all__ = [
    "BODY_MAX",
    "DEFAULT_SYNONYMS",
    "TITLE_MAX",
    "ArticleInput",
    "ArticlePatch",
    "ArticleStatus",
    "FeedbackKind",
    "KbAction",
    "apply_patch",
    "clean_article",
    "clean_list",
    "clean_synonym_groups",
    "display_title",
    "in_effect",
    "kb_allowed",
    "kb_require",
    "kb_step",
]

TITLE_MAX = 1000  # a real question may be a paragraph long
BODY_MAX = 20_000
OWNER_MAX = 100
TAG_MAX = 30
TAGS_MAX = 20
SYNONYM_MAX = 100
SYNONYMS_MAX = 30
POLICY_MAX = 200
POLICIES_MAX = 20


class ArticleStatus(StrEnum):
    DRAFT = "draft"  # 草稿
    REVIEW = "review"  # 待审核
    PUBLISHED = "published"  # 已发布
    RETIRED = "retired"  # 已停用


class FeedbackKind(StrEnum):
    HELPFUL = "helpful"  # 有用
    OUTDATED = "outdated"  # 已过时
    WRONG = "wrong"  # 有错误


class KbAction(StrEnum):
    """The status changes; ``edit`` keeps the status (it is checked here all the same)."""

    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    PUBLISH = "publish"
    RETIRE = "retire"


_S = ArticleStatus
TRANSITIONS: Mapping[tuple[ArticleStatus, KbAction], ArticleStatus] = {
    (_S.DRAFT, KbAction.EDIT): _S.DRAFT,
    (_S.REVIEW, KbAction.EDIT): _S.REVIEW,
    # A published article is corrected in place by those who may publish (a typo must not
    # take the answer away from the operators while it waits for a review).
    (_S.PUBLISHED, KbAction.EDIT): _S.PUBLISHED,
    (_S.DRAFT, KbAction.SUBMIT): _S.REVIEW,
    (_S.REVIEW, KbAction.APPROVE): _S.PUBLISHED,
    (_S.REVIEW, KbAction.REJECT): _S.DRAFT,
    (_S.DRAFT, KbAction.PUBLISH): _S.PUBLISHED,
    (_S.REVIEW, KbAction.PUBLISH): _S.PUBLISHED,
    (_S.RETIRED, KbAction.PUBLISH): _S.PUBLISHED,
    (_S.DRAFT, KbAction.RETIRE): _S.RETIRED,
    (_S.REVIEW, KbAction.RETIRE): _S.RETIRED,
    (_S.PUBLISHED, KbAction.RETIRE): _S.RETIRED,
}


def kb_step(article_id: int, status: str, action: KbAction) -> ArticleStatus:
    """The status after ``action``, or :class:`IllegalTransition` naming the article."""
    target = TRANSITIONS.get((ArticleStatus(status), action))
    if target is None:
        raise IllegalTransition(
            "transition.kb", article=article_id, state=status, action=action.value
        )
    return target


# --- permissions ---------------------------------------------------------------------------

# Who may do what to articles is part of the one role table (domain.permissions); these names
# stay for the knowledge services that check them.
KB_ACTIONS = permissions.KB_ACTIONS
kb_allowed = permissions.allowed
kb_require = permissions.require


# --- input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleInput:
    """An article as written or imported. ``category`` and ``dept`` are codes; ``owner`` is a
    free-text owner for a department the city does not know (e.g. an imported source)."""

    title: str
    body: str
    category: str | None = None
    tags: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    dept: str | None = None
    owner: str = ""
    policy_refs: tuple[str, ...] = ()
    effective_from: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class ArticlePatch:
    """An edit: ``None`` leaves a field as it is; ``""`` clears category, department or owner."""

    title: str | None = None
    body: str | None = None
    category: str | None = None
    tags: tuple[str, ...] | None = None
    synonyms: tuple[str, ...] | None = None
    dept: str | None = None
    owner: str | None = None
    policy_refs: tuple[str, ...] | None = None
    effective_from: date | None = None
    expires_on: date | None = None
    clear_effective_from: bool = False
    clear_expires_on: bool = False


def apply_patch(current: ArticleInput, patch: ArticlePatch) -> ArticleInput:
    """The article as it will be after ``patch`` (cleaned by :func:`clean_article` after)."""
    changes: dict[str, object] = {}
    for name in ("title", "body", "tags", "synonyms", "owner", "policy_refs"):
        value = getattr(patch, name)
        if value is not None:
            changes[name] = value
    for name in ("category", "dept"):
        value = getattr(patch, name)
        if value is not None:
            changes[name] = value or None
    if patch.dept:
        changes.setdefault("owner", "")  # a known department replaces a free-text owner
    if patch.effective_from is not None or patch.clear_effective_from:
        changes["effective_from"] = patch.effective_from
    if patch.expires_on is not None or patch.clear_expires_on:
        changes["expires_on"] = patch.expires_on
    return replace(current, **changes)  # type: ignore[arg-type]


def clean_list(
    values: Iterable[str], *, field: str, item_max: int, count_max: int
) -> tuple[str, ...]:
    """Cleaned, de-duplicated, non-empty single-line items, in the order given."""
    items: list[str] = []
    for value in values:
        item = clean_text(value, multiline=False, max_length=item_max, field=field)
        if item and item not in items:
            items.append(item)
    if len(items) > count_max:
        raise ValidationError(
            "validation.kb_too_many", field=field, max=count_max, count=len(items)
        )
    return tuple(items)


def clean_article(article: ArticleInput) -> ArticleInput:
    """Validate and normalise an article; raises ValidationError naming the field.

    The title may be empty (an imported answer without its question); the body may not.
    """
    title = clean_text(article.title, multiline=False, max_length=TITLE_MAX, field="title")
    body = clean_text(article.body, max_length=BODY_MAX, field="body")
    if not body:
        raise ValidationError("validation.required", field="body")
    effective, expires = article.effective_from, article.expires_on
    if effective is not None and expires is not None and expires < effective:
        raise ValidationError(
            "validation.kb_dates",
            effective_from=effective.isoformat(),
            expires_on=expires.isoformat(),
        )
    return replace(
        article,
        title=title,
        body=body,
        category=(article.category or "").strip() or None,
        dept=(article.dept or "").strip() or None,
        owner=clean_text(article.owner, multiline=False, max_length=OWNER_MAX, field="owner"),
        tags=clean_list(article.tags, field="tags", item_max=TAG_MAX, count_max=TAGS_MAX),
        synonyms=clean_list(
            article.synonyms, field="synonyms", item_max=SYNONYM_MAX, count_max=SYNONYMS_MAX
        ),
        policy_refs=clean_list(
            article.policy_refs, field="policy_refs", item_max=POLICY_MAX, count_max=POLICIES_MAX
        ),
    )


def display_title(title: str, body: str, width: int = 40) -> str:
    """The title, or for an untitled article the start of its first non-empty body line."""
    if title:
        return title
    for line in body.splitlines():
        text = line.strip().lstrip("#>*-+ ").strip()
        if text:
            return text if len(text) <= width else text[: width - 1] + "…"
    return ""


def in_effect(
    status: str, effective_from: date | None, expires_on: date | None, today: date
) -> bool:
    """Whether operators are offered the article today: published and within its dates."""
    if status != ArticleStatus.PUBLISHED:
        return False
    if effective_from is not None and today < effective_from:
        return False
    return expires_on is None or today <= expires_on


# --- synonyms ------------------------------------------------------------------------------

DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("社保", "社会保险"),
    ("医保", "医疗保险", "基本医疗保险"),
    ("公积金", "住房公积金"),
    ("营业执照", "执照"),
    ("个体户", "个体工商户"),
    ("驾照", "驾驶证"),
    ("身份证", "居民身份证"),
    ("户口", "户籍"),
    ("低保", "最低生活保障"),
    ("房产证", "不动产权证书", "不动产证"),
    ("暂住证", "居住证"),
    ("电瓶车", "电动自行车", "电动车"),
    ("噪音", "噪声"),
    ("退休金", "养老金"),
    ("失业金", "失业保险金"),
    ("网约车", "网络预约出租汽车"),
    ("城管", "城市管理"),
    ("物业费", "物业服务费"),
    # How callers name what the category tree calls otherwise (the intake category picker
    # finds a category by any word of its group; each maps to words categories use).
    ("物业", "物管"),
    ("违建", "违法建设", "违章建筑", "违章搭建"),
    ("停车", "泊车"),
    ("拖欠工资", "欠薪", "讨薪"),
    ("小广告", "牛皮癣"),
    ("建筑垃圾", "渣土"),
    ("占道经营", "摆摊", "流动摊贩"),
    ("供暖", "暖气", "采暖"),
    ("出租车", "的士"),
)
"""The synonym lists in force until an administrator imports the city's own
(``hotline kb synonyms import``): each group's words find each other, in the knowledge base and
in the intake category picker (:mod:`hotline_tui.services.reference.pickers`)."""


def clean_synonym_groups(groups: Iterable[Iterable[str]]) -> list[list[str]]:
    """Groups of at least two distinct single-line words; empty groups dropped."""
    cleaned: list[list[str]] = []
    for group in groups:
        words = list(
            clean_list(group, field="synonyms", item_max=SYNONYM_MAX, count_max=SYNONYMS_MAX)
        )
        if len(words) >= 2:
            cleaned.append(words)
    return cleaned
