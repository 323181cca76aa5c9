"""The self-service channel's decision (both backends): no calibrator never answers, the type
gate, an answer logged with its probability, article and version, the asker's outcome, gaps of
kind ``auto`` for what was left unanswered, and a damaged calibrator file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from db.models import KbArticle, KbAutoAnswer, KbFeedback, KbSearchGap
from hotline_tui.domain.autoanswer_calibration import Calibrator
from hotline_tui.domain.autoanswer_features import FEATURES
from hotline_tui.domain.errors import ConfigError, NotFound
from hotline_tui.services.context import Hotline
from hotline_tui.services.kb.autoanswer import AutoAnswerer, Reason, decide, record_outcome
from hotline_tui.services.kb.autoanswer_store import CalibratorStore
from hotline_tui.services.kb.autoanswer_train import logged_examples
from hotline_tui.services.kb.insights import list_gaps
from hotline_tui.services.kb.search import KnowledgeBase
from tests.kb_index.service_helpers import published

LICENCE = "个体工商户营业执照如何办理？"


def title_calibrator(threshold: float = 0.9) -> Calibrator:
    """Sure only when the question holds the best hit's title: z = 10 × title_in_query − 5."""
    weights = tuple(10.0 if name == "title_in_query" else 0.0 for name in FEATURES)
    zeros = tuple(0.0 for _ in FEATURES)
    ones = tuple(1.0 for _ in FEATURES)
    return Calibrator(FEATURES, zeros, ones, weights, -5.0, threshold)


@pytest.fixture
def kb(hl: Hotline) -> Iterator[KnowledgeBase]:
    knowledge = KnowledgeBase(hl, refresh_seconds=0, semantic=False)
    yield knowledge
    knowledge.close()


def rows(hl: Hotline, model: type[Any]) -> list[Any]:
    with hl.reading() as session:
        found: list[Any] = list(session.exec(select(model)).all())
        for row in found:
            session.expunge(row)
    return found


def test_without_a_calibrator_it_only_suggests_and_feeds_the_gaps(hl, who, kb):
    article = published(hl, who["adm"])
    decision = decide(hl, LICENCE, actor=who["op"], knowledge=kb)
    assert decision.reason == Reason.NO_CALIBRATOR
    assert decision.article is None and decision.probability is None
    assert [s.id for s in decision.suggestions] == [article.id]
    assert decision.suggestions[0].title == LICENCE
    assert rows(hl, KbAutoAnswer) == []
    gaps = rows(hl, KbSearchGap)
    assert [(g.kind, g.query, g.hits) for g in gaps] == [("auto", LICENCE, 1)]
    assert list_gaps(hl, who["sup"])[0].example == LICENCE  # what `hotline kb gaps` lists


def test_complaints_and_reports_are_never_answered(hl, who, kb):
    published(hl, who["adm"], title="我要投诉营业执照办理太慢")
    CalibratorStore(hl.settings.data_dir).save(title_calibrator(threshold=0.0))
    decision = decide(hl, "我要投诉营业执照办理太慢", actor=who["op"], knowledge=kb)
    assert decision.reason == Reason.COMPLAINT
    assert decision.article is None and decision.suggestions == ()
    assert rows(hl, KbAutoAnswer) == [] and rows(hl, KbSearchGap) == []


def test_a_sure_answer_is_logged_and_its_outcome_recorded(hl, who, kb):
    article = published(hl, who["adm"])
    other = published(hl, who["adm"], title="营业执照遗失怎么补办？", body="登报声明后到窗口补领。")
    CalibratorStore(hl.settings.data_dir).save(title_calibrator())
    answerer = AutoAnswerer(hl, kb)
    decision = answerer.decide(who["op"], LICENCE)
    assert decision.reason == Reason.ANSWERED
    assert decision.article is not None and decision.article.id == article.id
    assert decision.article.version == article.version and decision.article.title == LICENCE
    assert "政务服务中心" in decision.article.body
    assert decision.probability is not None and decision.probability >= 0.99
    assert [s.id for s in decision.suggestions] == [other.id]  # the answer is not suggested
    [logged] = rows(hl, KbAutoAnswer)
    assert logged.id == decision.log_id and logged.article_id == article.id
    assert logged.article_version == article.version and logged.calibrator_version == 1
    assert logged.probability == pytest.approx(decision.probability)
    assert logged.outcome is None and rows(hl, KbSearchGap) == []

    record_outcome(hl, who["op"], logged.id, helped=True)
    record_outcome(hl, who["op"], logged.id, helped=False)  # the first word counts
    [judged] = rows(hl, KbAutoAnswer)
    assert judged.outcome == "helped" and judged.outcome_at is not None
    assert [f.kind for f in rows(hl, KbFeedback)] == ["helpful"]
    counts = {a.id: a.helpful_count for a in rows(hl, KbArticle)}
    assert counts == {article.id: 1, other.id: 0}
    [example] = logged_examples(kb, who["sup"])  # the outcome is training data
    assert example.question == LICENCE and example.correct
    assert rows(hl, KbSearchGap) == []


def test_an_answer_that_did_not_help_is_a_gap_and_a_negative_example(hl, who, kb):
    published(hl, who["adm"])
    CalibratorStore(hl.settings.data_dir).save(title_calibrator())
    decision = decide(hl, LICENCE, actor=who["op"], knowledge=kb)
    assert decision.log_id is not None
    record_outcome(hl, who["op"], decision.log_id, helped=False)
    [judged] = rows(hl, KbAutoAnswer)
    assert judged.outcome == "not_helped"
    assert rows(hl, KbFeedback) == []
    assert [(g.kind, g.query, g.hits) for g in rows(hl, KbSearchGap)] == [("auto", LICENCE, 1)]
    [example] = logged_examples(kb, who["sup"])
    assert example.question == LICENCE and not example.correct
    with pytest.raises(NotFound):
        record_outcome(hl, who["op"], decision.log_id + 1, helped=True)


def test_an_unsure_search_suggests_and_is_a_gap(hl, who, kb):
    article = published(hl, who["adm"])
    CalibratorStore(hl.settings.data_dir).save(title_calibrator())
    decision = decide(hl, "办理营业执照要带什么", actor=who["op"], knowledge=kb)
    assert decision.reason == Reason.LOW_CONFIDENCE
    assert decision.probability is not None and decision.probability < 0.9
    assert decision.threshold == 0.9
    assert [s.id for s in decision.suggestions] == [article.id]
    assert [(g.kind, g.hits) for g in rows(hl, KbSearchGap)] == [("auto", 1)]
    nothing = decide(hl, "无人机飞行备案", actor=who["op"], knowledge=kb)
    assert nothing.reason == Reason.NO_MATCH and nothing.suggestions == ()
    assert sorted(g.hits for g in rows(hl, KbSearchGap)) == [0, 1]


def test_a_damaged_calibrator_answers_nothing(hl, who, kb):
    published(hl, who["adm"])
    store = CalibratorStore(hl.settings.data_dir)
    _, path = store.save(title_calibrator())
    path.write_text("{not json", encoding="utf-8")
    assert store.latest() is None
    with pytest.raises(ConfigError):
        store.latest(strict=True)
    decision = decide(hl, LICENCE, actor=who["op"], knowledge=kb)
    assert decision.reason == Reason.NO_CALIBRATOR and decision.article is None
    old = title_calibrator()
    store.save(Calibrator(("score",), (0.0,), (1.0,), (1.0,), 0.0, 0.5))  # other features
    assert store.latest() is None
    with pytest.raises(ConfigError):
        store.latest(strict=True)
    saved, _ = store.save(old)
    assert saved.version == 3  # versions go on; the newest is in force
    assert decide(hl, LICENCE, actor=who["op"], knowledge=kb).reason == Reason.ANSWERED
