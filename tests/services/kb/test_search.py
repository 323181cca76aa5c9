"""The knowledge service over the index: catching up from the change feed, a second reader
following the leader, rebuilds when the index is not this database's or not this schema's,
filters per role, knowledge gaps."""

from __future__ import annotations

import json

import pytest
from sqlmodel import func, select

from db.models import KbSearchGap
from hotline_tui.domain.errors import ConfigError, PermissionDenied
from hotline_tui.domain.kb import ArticlePatch
from hotline_tui.services.kb import articles as kb_articles
from hotline_tui.services.kb import insights as kb_insights
from hotline_tui.services.kb import usage as kb_usage
from hotline_tui.services.kb.search import KbFilters, KnowledgeBase
from kb_index.store import META, current_build
from tests.kb_index.service_helpers import article, published


@pytest.fixture
def kb(hl):
    base = KnowledgeBase(hl, refresh_seconds=0)
    yield base
    base.close()


def found(results) -> list[int]:
    return [hit.article_id for hit in results.hits]


def test_published_changes_reach_the_index_through_the_change_feed(hl, who, kb):
    adm, op = who["adm"], who["op"]
    first = kb.refresh()
    assert first.leader and first.rebuilt
    view = published(hl, adm)
    assert kb.search(op, "营业执照").hits == ()  # not refreshed yet
    step = kb.refresh()
    assert (step.rebuilt, step.applied) == (False, 1)
    assert found(kb.search(op, "营业执照")) == [view.id]
    kb_articles.edit_article(hl, adm, view.id, ArticlePatch(title="个体户名称变更登记"))
    kb.refresh()
    assert found(kb.search(op, "名称变更")) == [view.id]
    kb_articles.retire_article(hl, adm, view.id)
    kb.refresh()
    assert kb.search(op, "名称变更").hits == ()
    assert found(kb.search(adm, "名称变更", filters=KbFilters(statuses=("retired",)))) == [view.id]


def test_usage_and_feedback_do_not_touch_the_index(hl, who, kb):
    view = published(hl, who["adm"])
    kb.refresh()
    kb_usage.give_feedback(hl, who["op"], view.id, "helpful")
    assert kb.refresh().applied == 0


def test_a_second_knowledge_base_reads_what_the_leader_writes(hl, who, kb):
    kb.refresh()
    follower = KnowledgeBase(hl, refresh_seconds=0)
    try:
        assert not follower.refresh().leader
        view = published(hl, who["adm"], title="电动自行车上牌需要什么？", body="带上购车发票。")
        assert follower.search(who["op"], "电动自行车").hits == ()
        kb.refresh()
        assert found(follower.search(who["op"], "电动自行车")) == [view.id]
    finally:
        follower.close()


def test_an_index_from_another_database_is_rebuilt(hl, who, kb):
    kb.refresh()
    pointer = current_build(kb.directory)
    assert pointer is not None
    meta_path = kb.directory / pointer.build / META
    meta = json.loads(meta_path.read_text())
    meta["mark_mac"] = "0" * 64  # as if built from another database (or before a restore)
    meta_path.write_text(json.dumps(meta))
    published(hl, who["adm"])
    assert kb.refresh().rebuilt


def test_an_index_of_another_schema_version_is_rebuilt(hl, who, kb, monkeypatch):
    kb.refresh()
    published(hl, who["adm"])
    import hotline_tui.services.kb.search as service
    import kb_index.writer as writer
    from kb_index import SCHEMA_VERSION

    monkeypatch.setattr(writer, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(service, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    assert kb.writer.current() is None
    assert kb.refresh().rebuilt


def test_the_background_start_makes_the_first_search_wait_only_if_it_must(hl, who):
    published(hl, who["adm"])
    base = KnowledgeBase(hl, refresh_seconds=0.05)
    try:
        base.start()
        results = base.search(who["op"], "营业执照")  # waits for the opening, once
        assert base.ready and len(results.hits) == 1
        assert base.status().documents == 1 and base.status().leader
    finally:
        base.close()


def test_without_an_index_and_without_the_lease_search_says_so(hl, who, kb):
    kb.refresh()
    import shutil

    pointer = current_build(kb.directory)
    assert pointer is not None
    shutil.rmtree(kb.directory / pointer.build)
    reader = KnowledgeBase(hl, refresh_seconds=0)
    try:
        with pytest.raises(ConfigError) as caught:
            reader.search(who["op"], "社保")
        assert caught.value.code == "kb.index_unavailable"
    finally:
        reader.close()


def test_operators_are_offered_published_articles_in_effect_only(hl, who, kb):
    adm, op = who["adm"], who["op"]
    draft = kb_articles.create_article(hl, adm, article(title="营业执照草稿"))
    live = published(hl, adm)
    kb.refresh()
    asked = KbFilters(statuses=("draft", "published"))
    assert found(kb.search(op, "营业执照", filters=asked)) == [live.id]
    assert set(found(kb.search(adm, "营业执照", filters=asked))) == {draft.id, live.id}
    with pytest.raises(PermissionDenied):
        kb.rebuild(op)


def test_submitted_searches_that_find_nothing_are_gaps(hl, who, kb):
    published(hl, who["adm"])
    kb.refresh()
    kb.search(who["op"], "无人机 备案", submitted=True)
    kb.search(who["op"], "无人机备案")  # as-you-type: not logged
    kb.suggest(who["op"], "无人机 备案 怎么 办理")
    kb.search(who["op"], "营业执照", submitted=True)  # found something: not a gap
    with hl.reading() as session:
        assert session.exec(select(func.count()).select_from(KbSearchGap)).one() == 1
    assert [g.terms for g in kb_insights.list_gaps(hl, who["sup"])] == ["备案 无人机"]


def test_an_answer_given_without_an_article_is_a_gap_logged_with_it(hl, who):
    from hotline_tui.domain.errors import ValidationError
    from hotline_tui.domain.intake import IntakeInput
    from hotline_tui.services.tickets import intake

    def answer(description: str, *, article: int | None = None, text: str = "见政策") -> None:
        intake.register(
            hl,
            who["op"],
            IntakeInput(request_type="consult", description=description, kb_article_id=article),
            intake.Disposition(kind="answer", answer_text=text, kb_gap=description),
        )

    answer("无人机 备案")
    answer("备案 无人机")  # the same terms in another order: counted with the first
    with pytest.raises(ValidationError):  # refused: neither the order nor its gap is written
        answer("无人机备案", text="")
    view = published(hl, who["adm"])
    answer("营业执照", article=view.id)  # answered from an article: no gap
    intake.register(  # a dispatch is no answer, whatever text comes with it
        hl,
        who["op"],
        IntakeInput(request_type="complaint", description="无人机 扰民"),
        intake.Disposition(kind="dispatch", lead_dept="M01", kb_gap="无人机 扰民"),
    )
    with hl.reading() as session:
        kinds = session.exec(select(KbSearchGap.kind)).all()
    assert kinds == ["answer", "answer"]
    gaps = kb_insights.list_gaps(hl, who["sup"])
    assert [(g.count, g.example) for g in gaps][:1] == [(2, "无人机 备案")]
