"""Answering from an article in one transaction, feedback, knowledge gaps, figures, expiry,
synonym lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import KbArticle, Ticket
from hotline_tui.domain.errors import (
    Conflict,
    HotlineError,
    IllegalTransition,
    ImportFailed,
    PermissionDenied,
    ValidationError,
)
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.kb import DEFAULT_SYNONYMS, ArticlePatch
from hotline_tui.services.admin.audit import changes_since
from hotline_tui.services.kb import articles as kb_articles
from hotline_tui.services.kb import insights as kb_insights
from hotline_tui.services.kb import usage as kb_usage
from hotline_tui.services.kb import views as kb_views
from tests.kb_index.service_helpers import published

CALL = IntakeInput(
    request_type="consult",
    description="来电咨询个体工商户营业执照怎么办理",
    caller=CallerInput(name="张先生", phone="13800138000"),
)


def test_answer_from_an_article_registers_closes_links_and_counts(hl, who):
    adm, op = who["adm"], who["op"]
    view = published(hl, adm)
    before = changes_since(hl, 0, limit=100_000)[-1]["seq"]
    done = kb_usage.answer_from_article(hl, op, CALL, view.id, article_version=view.version)
    assert done.state == "closed"
    with hl.reading() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == done.number)).one()
        assert ticket.ending == "answered" and ticket.kb_article_id == view.id
        assert ticket.answer_text and ticket.answer_text.startswith("个体工商户营业执照如何办理？")
        assert session.get(KbArticle, view.id).usage_count == 1
    feed = changes_since(hl, before)
    assert [e["action"] for e in feed] == ["register", "answer", "kb.use"]
    # One transaction: the three events were committed together, numbered back to back.
    assert [e["seq"] for e in feed] == [before + 1, before + 2, before + 3]
    assert kb_views.get_article(hl, op, view.id).usage_count == 1  # the version is unchanged
    assert kb_views.get_article(hl, op, view.id).version == view.version


def test_answer_text_may_be_the_operators_own(hl, who):
    view = published(hl, who["adm"])
    done = kb_usage.answer_from_article(
        hl, who["op"], CALL, view.id, answer_text="已告知办理地点。"
    )
    with hl.reading() as session:
        assert (
            session.exec(select(Ticket.answer_text).where(Ticket.number == done.number)).one()
            == "已告知办理地点。"
        )


def test_nothing_is_registered_when_the_article_cannot_be_used(hl, who, clock):
    adm, op = who["adm"], who["op"]
    draft = kb_articles.create_article(hl, adm, _article())
    with pytest.raises(HotlineError) as caught:
        kb_usage.answer_from_article(hl, op, CALL, draft.id)
    assert caught.value.code in ("not_found.kb_article", "kb.not_offered")
    view = published(hl, adm)
    kb_articles.edit_article(hl, adm, view.id, ArticlePatch(body="已更新的答复。"))
    with pytest.raises(Conflict):  # the operator read version 2; it is 3 now
        kb_usage.answer_from_article(hl, op, CALL, view.id, article_version=view.version)
    today = kb_views.local_today(hl)
    kb_articles.edit_article(
        hl,
        adm,
        view.id,
        ArticlePatch(
            effective_from=today - timedelta(days=10), expires_on=today - timedelta(days=1)
        ),
    )
    with pytest.raises(IllegalTransition) as expired:
        kb_usage.answer_from_article(hl, op, CALL, view.id)
    assert expired.value.code == "kb.not_offered"
    with hl.reading() as session:
        assert session.exec(select(Ticket)).all() == []
        assert session.get(KbArticle, view.id).usage_count == 0


def _article():
    from tests.kb_index.service_helpers import article

    return article(title="仅草稿")


def test_answering_a_registered_order_from_an_article(hl, who):
    from hotline_tui.services.tickets.intake import Disposition, register

    view = published(hl, who["adm"])
    order = register(hl, who["op"], CALL, Disposition(kind="register"))
    done = kb_usage.answer_order_from_article(hl, who["op"], order.number, view.id)
    assert done.state == "closed"
    assert kb_views.get_article(hl, who["op"], view.id).usage_count == 1


def test_feedback_is_counted_and_listed(hl, who):
    view = published(hl, who["adm"])
    kb_usage.give_feedback(hl, who["op"], view.id, "helpful")
    kb_usage.give_feedback(hl, who["op"], view.id, "outdated", "收费标准已调整")
    with pytest.raises(ValidationError):
        kb_usage.give_feedback(hl, who["op"], view.id, "meh")
    again = kb_views.get_article(hl, who["op"], view.id)
    assert (again.helpful_count, again.outdated_count, again.wrong_count) == (1, 1, 0)
    notes = kb_views.list_feedback(hl, who["adm"], view.id)
    assert [(f.kind, f.note, f.user) for f in notes] == [
        ("outdated", "收费标准已调整", "op"),
        ("helpful", "", "op"),
    ]


def test_gaps_are_counted_by_their_terms(hl, who):
    op = who["op"]
    kb_insights.log_gap(hl, op, "宠物 登记")
    kb_insights.log_gap(hl, op, "登记宠物？")
    kb_insights.log_gap(hl, op, "无人机 备案", kind="answer")
    gaps = kb_insights.list_gaps(hl, who["sup"])
    assert [(g.terms, g.count) for g in gaps] == [("宠物 登记", 2), ("备案 无人机", 1)]
    with pytest.raises(PermissionDenied):
        kb_insights.list_gaps(hl, op)


def test_stats_and_expiry_flags(hl, who, clock):
    adm = who["adm"]
    today = kb_views.local_today(hl)
    a = published(hl, adm, title="旧文章", expires_on=today - timedelta(days=1))
    published(hl, adm, title="快到期", expires_on=today + timedelta(days=5))
    kb_articles.create_article(hl, adm, _article())
    kb_usage.answer_from_article(hl, who["op"], CALL, published(hl, adm).id)
    figures = kb_insights.kb_stats(hl, who["sup"])
    assert figures.by_status == {"published": 3, "draft": 1}
    assert (figures.in_effect, figures.expired, figures.expiring_30_days) == (2, 1, 1)
    assert figures.usage_total == 1 and figures.top_used[0].usage_count == 1
    assert kb_usage.flag_expired(hl, adm) == 1
    assert kb_usage.flag_expired(hl, adm) == 0  # once per expiry
    expired = kb_articles.list_articles(hl, who["h1"], expired=True)
    assert [x.id for x in expired] == [a.id]


def test_synonym_lists_default_and_import(hl, who, tmp_path):
    assert kb_insights.synonym_groups(hl) == [list(g) for g in DEFAULT_SYNONYMS]
    good = tmp_path / "synonyms.txt"
    good.write_text("# 本市同义词\n社保 社会保险 五险\n公积金=住房公积金\n", encoding="utf-8")
    assert kb_insights.import_synonyms(hl, who["adm"], good) == 2
    assert kb_insights.synonym_groups(hl) == [
        ["社保", "社会保险", "五险"],
        ["公积金", "住房公积金"],
    ]
    bad = tmp_path / "bad.txt"
    bad.write_text("社保 社会保险\n孤单\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        kb_insights.import_synonyms(hl, who["adm"], bad)
    assert caught.value.params["line"] == 2
    assert len(kb_insights.synonym_groups(hl)) == 2  # nothing changed
