"""知识库 in the console, driven by keys over a real Whoosh index in the test's directory: the
mode's search, article and feedback; intake suggestions that follow the description; answering
a call directly from an article; stored text shown literally everywhere."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlmodel import col, func, select
from textual.widgets import Input, Markdown

from db.models import KbArticle, KbFeedback, KbSearchGap, Ticket
from hotline_tui.domain.errors import IllegalTransition, NotFound
from hotline_tui.domain.kb import ArticlePatch
from hotline_tui.services.kb import articles as kb_articles
from hotline_tui.services.kb import views as kb_views
from hotline_tui.ui.i18n import error_text
from hotline_tui.ui.screens.intake import IntakeScreen
from hotline_tui.ui.screens.kb import KbScreen
from hotline_tui.ui.screens.kb_article import FeedbackModal, KbArticleScreen
from hotline_tui.ui.screens.kb_preview import KbPreview
from hotline_tui.ui.widgets.kb_hits import HitList
from hotline_tui.ui.widgets.kb_line import SuggestLine
from tests.kb_index.service_helpers import article, published
from tests.ui.conftest import drive, screen_text, settle, until
from tests.ui.test_injection import EVIL, SHOWN, assert_literal

SOCIAL = {
    "title": "灵活就业人员如何缴纳社会保险？",
    "body": "灵活就业人员可在人社服务大厅或网上缴纳养老保险和医疗保险，"
    "缴费基数按上年社平工资确定。",
    "dept": "M03",
    "tags": ("社保", "缴费"),
}


def gaps(hl) -> int:
    with hl.reading() as s:
        return int(s.exec(select(func.count()).select_from(KbSearchGap)).one())


async def type_text(pilot, value: str) -> None:
    await pilot.press(*value)


async def wait_typing(pilot) -> None:
    """Let a debounced search start (the console waits for a pause in the typing), however
    long that takes on a busy machine, then finish."""
    screen = pilot.app.screen
    pending = screen.kb if isinstance(screen, IntakeScreen) else screen
    await pilot.pause()
    await until(pilot, lambda: not pending.pending)


async def describe(pilot, words: str) -> None:
    """Type the caller's words into the intake description and wait for the suggestions."""
    pilot.app.screen.query_one("#description").focus()
    await type_text(pilot, words)
    await wait_typing(pilot)


def test_kb_mode_search_read_and_feedback(console, hl, who):
    licence = published(hl, who["adm"])
    published(hl, who["adm"], **SOCIAL)
    app = console("op")

    async def scenario(pilot):
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, KbScreen)
        assert "知识库" in screen_text(app)  # listed in the key line
        await type_text(pilot, "yyzz")  # pinyin initials of 营业执照
        await wait_typing(pilot)
        hits = app.screen.query_one(HitList)
        assert [h.article_id for h in hits.hits] == [licence.id]
        assert gaps(hl) == 0  # as you type: never a gap
        await pilot.press("enter")  # submitted: the list gets the focus
        await settle(pilot)
        assert app.focused is hits
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KbArticleScreen)
        shown = screen_text(app)
        assert "个体工商户营业执照如何办理" in shown and "区政务服务中心" in shown
        assert "办事指南" in shown  # the link's text, inert
        assert "市监局" in shown or "市场监督管理局" in shown
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackModal)
        await pilot.press("right", "tab", *"fee changed")  # 已过时, with a note
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, KbArticleScreen)
        assert "已过时 1" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, KbScreen)

    drive(app, scenario)
    with hl.reading() as s:
        row = s.exec(select(KbFeedback)).one()
        assert (row.article_id, row.kind, row.note) == (licence.id, "outdated", "fee changed")
        assert s.get(KbArticle, licence.id).outdated_count == 1


def test_a_submitted_search_that_finds_nothing_is_a_knowledge_gap(console, hl, who):
    published(hl, who["adm"])
    app = console("op")

    async def scenario(pilot):
        await pilot.press("f11")
        await settle(pilot)
        await type_text(pilot, "zzzqqq")
        await wait_typing(pilot)
        assert "没有找到" in screen_text(app) and gaps(hl) == 0
        await pilot.press("enter")
        await settle(pilot)
        assert "已记入知识库缺口" in screen_text(app)
        assert app.screen.query_one("#kb-query", Input).value == "zzzqqq"  # kept

    drive(app, scenario)
    assert gaps(hl) == 1


def test_operators_are_offered_only_published_articles_in_effect(console, hl, who):
    adm = who["adm"]
    kb_articles.create_article(hl, adm, article("电动自行车上牌草稿"))  # a draft
    old = published(hl, adm, title="电动自行车上牌旧规定")
    today = kb_views.local_today(hl)
    kb_articles.edit_article(
        hl,
        adm,
        old.id,
        ArticlePatch(
            effective_from=today - timedelta(days=40), expires_on=today - timedelta(days=1)
        ),
    )
    current = published(hl, adm, title="电动自行车上牌需要什么材料？")
    app = console("op")

    async def scenario(pilot):
        await pilot.press("f11")
        await settle(pilot)
        await type_text(pilot, "电动自行车上牌")
        await pilot.press("enter")
        await settle(pilot)
        assert [h.article_id for h in app.screen.query_one(HitList).hits] == [current.id]

    drive(app, scenario)


def test_suggestions_follow_the_description_and_answer_the_call_directly(console, hl, who):
    licence = published(hl, who["adm"])
    social = published(hl, who["adm"], **SOCIAL)
    app = console("op")

    async def scenario(pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await type_text(pilot, "13800138000")
        await settle(pilot)
        await describe(pilot, "我想问一下社保怎么缴费")
        line = screen.query_one(SuggestLine)
        assert line.hits and line.hits[0].article_id == social.id
        assert "灵活就业人员如何缴纳社会保险" in screen_text(app)
        # The caller meant something else: the suggestions follow the words.
        for _ in range(len("社保怎么缴费")):
            await pilot.press("backspace")
        await type_text(pilot, "个体户营业执照怎么办")
        await wait_typing(pilot)
        assert line.hits[0].article_id == licence.id
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, KbPreview)
        assert "区政务服务中心" in screen_text(app)  # the highlighted article, in full
        await pilot.press("f10")  # answer directly from it
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert f"已按知识库文章 {licence.id} 直接答复" in screen_text(app)
        assert screen.query_one("#phone", Input).value == ""  # ready for the next call
        assert not line.hits  # and its suggestions are gone

    drive(app, scenario)
    with hl.reading() as s:
        ticket = s.exec(select(Ticket).order_by(col(Ticket.id).desc())).first()
        assert ticket is not None
        assert (ticket.state, ticket.ending, ticket.kb_article_id) == (
            "closed",
            "answered",
            licence.id,
        )
        assert ticket.description == "我想问一下个体户营业执照怎么办"
        assert ticket.answer_text and "区政务服务中心" in ticket.answer_text
        assert s.get(KbArticle, licence.id).usage_count == 1
        assert s.get(KbArticle, social.id).usage_count == 0
    assert gaps(hl) == 0  # suggestions are never logged


def test_a_changed_article_is_refused_and_the_form_is_kept(console, hl, who):
    licence = published(hl, who["adm"])
    app = console("op")

    async def scenario(pilot):
        screen = app.screen
        await describe(pilot, "营业执照怎么办")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, KbPreview)
        # Someone edits the article while the operator reads it.
        kb_articles.edit_article(hl, who["adm"], licence.id, ArticlePatch(body="新的办理地点。"))
        await pilot.press("f10")
        await settle(pilot)
        shown = screen_text(app)
        assert "adm" in shown and "请刷新后重试" in shown
        assert screen.form.values()["description"] == "营业执照怎么办"

    drive(app, scenario)
    with hl.reading() as s:
        assert s.exec(select(func.count()).select_from(Ticket)).one() == 0


def test_the_console_words_knowledge_errors_as_the_cli_does():
    assert error_text(NotFound("not_found.kb_article", article=7)) == "找不到知识库文章 7"
    refused = IllegalTransition("kb.not_offered", article=7, state="retired")
    assert "已停用" in error_text(refused) and "不能用于答复" in error_text(refused)


def test_stored_text_in_articles_is_shown_literally(console, hl, who):
    view = published(hl, who["adm"])
    with hl.engines.write.begin() as conn:  # behind the services' back
        conn.execute(
            text("UPDATE kb_article SET title = :t, body = :b WHERE id = :i"),
            {"t": "营业执照 " + EVIL, "b": f"营业执照办理 {EVIL}\n\n# {EVIL}", "i": view.id},
        )
    app = console("op")

    async def scenario(pilot):
        await describe(pilot, "营业执照")
        assert app.screen.query_one(SuggestLine).hits
        assert_literal(app, "[@click=app.quit]")
        await pilot.press("f11")
        await settle(pilot)
        await type_text(pilot, "营业执照")
        await pilot.press("enter")
        await settle(pilot)
        assert_literal(app, *SHOWN)  # title and snippet in the result list
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KbArticleScreen)
        assert_literal(app, *SHOWN)
        source = app.screen.query_one(Markdown).source
        assert "\x1b" not in source and "\x07" not in source

    drive(app, scenario, size=(120, 40))
