"""Knowledge-base rules: statuses, permissions, article input, dates."""

from __future__ import annotations

from datetime import date

import pytest

from hotline_tui.domain.errors import IllegalTransition, PermissionDenied, ValidationError
from hotline_tui.domain.kb import (
    TRANSITIONS,
    ArticleInput,
    ArticlePatch,
    ArticleStatus,
    KbAction,
    apply_patch,
    clean_article,
    display_title,
    in_effect,
    kb_require,
    kb_step,
)
from hotline_tui.domain.states import Role


def test_the_review_path():
    assert kb_step(1, "draft", KbAction.SUBMIT) is ArticleStatus.REVIEW
    assert kb_step(1, "review", KbAction.APPROVE) is ArticleStatus.PUBLISHED
    assert kb_step(1, "review", KbAction.REJECT) is ArticleStatus.DRAFT
    assert kb_step(1, "published", KbAction.RETIRE) is ArticleStatus.RETIRED
    assert kb_step(1, "retired", KbAction.PUBLISH) is ArticleStatus.PUBLISHED


@pytest.mark.parametrize("status", list(ArticleStatus))
@pytest.mark.parametrize("action", list(KbAction))
def test_every_step_is_in_the_table_or_refused(status, action):
    if (status, action) in TRANSITIONS:
        assert kb_step(7, status.value, action) is TRANSITIONS[(status, action)]
    else:
        with pytest.raises(IllegalTransition) as caught:
            kb_step(7, status.value, action)
        assert caught.value.params == {"article": 7, "state": status.value, "action": action.value}


def test_roles():
    kb_require(Role.OPERATOR, "kb.feedback", username="op")
    kb_require(Role.HANDLER, "kb.edit", username="h1")
    kb_require(Role.SUPERVISOR, "kb.approve", username="sup")
    for role, action in [
        (Role.OPERATOR, "kb.edit"),
        (Role.HANDLER, "kb.approve"),
        (Role.SUPERVISOR, "kb.import"),
    ]:
        with pytest.raises(PermissionDenied):
            kb_require(role, action, username="x")


def test_clean_article_normalises_and_checks():
    cleaned = clean_article(
        ArticleInput(
            title=" 标题\u202e ",
            body="正文\x1b[31m",
            tags=("社保", " 社保 ", "", "医保"),
            category=" ",
        )
    )
    assert cleaned.title == "标题" and cleaned.body == "正文[31m"
    assert cleaned.tags == ("社保", "医保") and cleaned.category is None
    with pytest.raises(ValidationError) as caught:
        clean_article(ArticleInput(title="t", body="  "))
    assert caught.value.params["field"] == "body"
    with pytest.raises(ValidationError) as many:
        clean_article(ArticleInput(title="t", body="b", tags=tuple(str(i) for i in range(21))))
    assert many.value.code == "validation.kb_too_many"


def test_patch_changes_only_what_it_names():
    base = ArticleInput(title="t", body="b", dept="M01", expires_on=date(2026, 1, 1))
    assert apply_patch(base, ArticlePatch()) == base
    assert apply_patch(base, ArticlePatch(dept="")).dept is None
    assert apply_patch(base, ArticlePatch(owner="某局", dept="")).owner == "某局"
    assert apply_patch(base, ArticlePatch(clear_expires_on=True)).expires_on is None


def test_in_effect_and_display_title():
    day = date(2026, 3, 1)
    assert in_effect("published", None, None, day)
    assert in_effect("published", day, day, day)
    assert not in_effect("published", None, date(2026, 2, 28), day)
    assert not in_effect("published", date(2026, 3, 2), None, day)
    assert not in_effect("draft", None, None, day)
    assert display_title("", "\n## 办理流程\n第一步") == "办理流程"
    assert display_title("标题", "正文") == "标题"
