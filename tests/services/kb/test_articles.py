"""Articles: statuses, version history, audit events on the change feed, permissions."""

from __future__ import annotations

import pytest

from hotline_tui.domain.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from hotline_tui.domain.kb import ArticlePatch
from hotline_tui.services.admin.audit import changes_since
from hotline_tui.services.kb import articles as kb_articles
from hotline_tui.services.kb import views as kb_views
from tests.kb_index.service_helpers import article, kb_events, published


def test_an_article_goes_from_draft_through_review_to_published_and_retired(hl, who):
    adm, sup, h1 = who["adm"], who["sup"], who["h1"]
    draft = kb_articles.create_article(hl, h1, article())
    assert (draft.status, draft.version, draft.dept_code) == ("draft", 1, "M01")
    review = kb_articles.submit_article(hl, h1, draft.id)
    assert review.status == "review"
    back = kb_articles.reject_article(hl, sup, draft.id, note="补充收费标准")
    assert back.status == "draft"
    kb_articles.submit_article(hl, h1, draft.id)
    live = kb_articles.approve_article(hl, sup, draft.id)
    assert live.status == "published" and live.published_at is not None and live.in_effect
    gone = kb_articles.retire_article(hl, adm, draft.id)
    assert (gone.status, gone.version) == ("retired", 6)
    history = kb_views.article_history(hl, adm, draft.id)
    assert [v.action for v in history] == [
        "retire",
        "approve",
        "submit",
        "reject",
        "submit",
        "create",
    ]
    assert history[2].changed_by == "h1" and history[3].note == "补充收费标准"
    assert [a for a, _ in kb_events(hl)] == [
        "kb.create",
        "kb.submit",
        "kb.reject",
        "kb.submit",
        "kb.approve",
        "kb.retire",
    ]


def test_changes_are_on_the_change_feed(hl, who):
    head = changes_since(hl, 0, limit=100_000)
    after = head[-1]["seq"] if head else 0
    view = published(hl, who["adm"])
    feed = changes_since(hl, after)
    assert [(e["action"], e["entity"], e["entity_id"]) for e in feed] == [
        ("kb.create", "kb_article", view.id),
        ("kb.publish", "kb_article", view.id),
    ]


def test_illegal_steps_are_refused(hl, who):
    adm = who["adm"]
    view = kb_articles.create_article(hl, adm, article())
    with pytest.raises(IllegalTransition) as caught:
        kb_articles.approve_article(hl, adm, view.id)
    assert caught.value.code == "transition.kb" and caught.value.params["state"] == "draft"
    kb_articles.retire_article(hl, adm, view.id)
    with pytest.raises(IllegalTransition):
        kb_articles.edit_article(hl, adm, view.id, ArticlePatch(title="新标题"))


def test_edit_records_what_changed_and_refuses_a_stale_version(hl, who):
    adm = who["adm"]
    view = kb_articles.create_article(hl, adm, article())
    edited = kb_articles.edit_article(
        hl, adm, view.id, ArticlePatch(body="新的正文。", tags=("执照",)), if_version=1, note="更新"
    )
    assert edited.version == 2 and edited.tags == ("执照",)
    assert kb_views.article_history(hl, adm, view.id)[0].changed_fields == ("body", "tags")
    same = kb_articles.edit_article(hl, adm, view.id, ArticlePatch(body="新的正文。"))
    assert same.version == 2  # nothing changed: no new version
    with pytest.raises(Conflict) as caught:
        kb_articles.edit_article(hl, adm, view.id, ArticlePatch(title="另一个"), if_version=1)
    assert caught.value.params["changed_by"] == "adm" and caught.value.params["current"] == 2


def test_free_text_owner_and_dates(hl, who):
    adm = who["adm"]
    view = kb_articles.create_article(
        hl, adm, article(dept=None, owner="外省某某局", expires_on=None)
    )
    assert view.owner == "外省某某局" and view.owner_is_free_text and view.dept_code is None
    from datetime import date

    with pytest.raises(ValidationError) as caught:
        kb_articles.edit_article(
            hl,
            adm,
            view.id,
            ArticlePatch(effective_from=date(2026, 5, 1), expires_on=date(2026, 4, 1)),
        )
    assert caught.value.code == "validation.kb_dates"
    with pytest.raises(NotFound):
        kb_articles.create_article(hl, adm, article(dept="NOPE"))


def test_handlers_write_only_their_departments_articles(hl, who):
    h1, h2, adm = who["h1"], who["h2"], who["adm"]
    mine = kb_articles.create_article(hl, h1, article(dept="M02"))
    assert mine.dept_code == "M01"  # a handler's article is the handler's department's
    with pytest.raises(NotFound):  # a draft of another department is invisible
        kb_articles.edit_article(hl, h2, mine.id, ArticlePatch(title="x"))
    with pytest.raises(PermissionDenied):
        kb_articles.edit_article(hl, h1, mine.id, ArticlePatch(dept="M02"))
    live = kb_articles.publish_article(hl, adm, mine.id)
    with pytest.raises(PermissionDenied):  # a published article: only reviewers correct it
        kb_articles.edit_article(hl, h1, live.id, ArticlePatch(title="改"))
    with pytest.raises(PermissionDenied):
        kb_articles.publish_article(hl, h1, mine.id)
    with pytest.raises(PermissionDenied):
        kb_articles.create_article(hl, who["op"], article())


def test_operators_see_published_articles_only(hl, who):
    adm, op = who["adm"], who["op"]
    draft = kb_articles.create_article(hl, adm, article(title="草稿文章"))
    live = published(hl, adm, title="已发布文章")
    with pytest.raises(NotFound):
        kb_views.get_article(hl, op, draft.id)
    assert kb_views.get_article(hl, op, live.id).title == "已发布文章"
    assert [a.id for a in kb_articles.list_articles(hl, op)] == [live.id]
    assert {a.id for a in kb_articles.list_articles(hl, adm)} == {draft.id, live.id}


def test_the_article_view_makes_links_inert(hl, who):
    view = published(hl, who["adm"])
    assert "](" not in view.body_inert
    assert "办事指南（`https://example.invalid/g`）" in view.body_inert
    assert view.body.endswith("(https://example.invalid/g)。")  # stored as written
