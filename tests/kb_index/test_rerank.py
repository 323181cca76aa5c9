"""Re-ranking the best candidates by the query's characters they hold (离异 finds 离婚)."""

from __future__ import annotations

import pytest

from kb_index import Filters, rerank
from tests.kb_index.conftest import index_of, make_doc

ANY = Filters(statuses=())
DIVORCE_DOCS = [
    make_doc(1, "", "房产过户需提交工作证明。"),
    make_doc(2, "", "房产过户需提交离婚证明。"),
]


def test_query_chars_are_the_distinct_chinese_characters_of_the_terms():
    assert rerank.query_chars(["离异", "房产", "过户", "app", "房子"]) == "离异房产过户子"
    assert rerank.query_chars(["yyzz"]) == ""


def test_coverage_is_the_share_of_characters_found():
    assert rerank.coverage("离异房产", "房产过户需提交离婚证明") == pytest.approx(0.75)
    assert rerank.coverage("", "任何文字") == 0.0


def test_an_article_holding_more_of_the_query_characters_moves_up():
    texts = {1: "房产过户需提交工作证明", 2: "房产过户需提交离婚证明", 3: "车辆过户"}
    ranked = [(1, 10.0), (2, 9.9), (3, 5.0)]
    reranked = rerank.rerank(ranked, "离异房产过户", texts.__getitem__)
    assert [doc for doc, _ in reranked] == [2, 1, 3]
    # A bonus never lowers a score, and nothing changes for a query without Chinese characters.
    assert all(new >= old for (_, new), (_, old) in zip(sorted(reranked), ranked, strict=True))
    assert rerank.rerank(ranked, "", texts.__getitem__) == ranked


def test_only_the_best_candidates_are_reordered_the_rest_follow(monkeypatch):
    monkeypatch.setattr(rerank, "DEPTH", 2)
    texts = {1: "甲", 2: "乙", 3: "甲乙丙"}
    ranked = [(1, 10.0), (2, 9.0), (3, 8.0)]
    reranked = rerank.rerank(ranked, "甲乙丙", texts.__getitem__)
    assert [doc for doc, _ in reranked] == [1, 2, 3]  # 3 holds them all but was not a candidate
    assert reranked[2] == (3, 8.0)


def test_a_word_the_index_lacks_still_counts_through_its_characters(tmp_path):
    reader = index_of(tmp_path, [*DIVORCE_DOCS, make_doc(3, "", "车辆过户到车管所办理。")])
    # 离异 is in no article: BM25F scores 1 and 2 the same; 2 says 离婚, which shares 离.
    results = reader.search("离异的房产怎么过户", filters=ANY)
    assert [hit.article_id for hit in results.hits] == [2, 1, 3]
    assert results.hits[0].score > results.hits[1].score
    whoosh = reader.search("离异的房产怎么过户", filters=ANY, engine="whoosh")
    assert [hit.article_id for hit in whoosh.hits] == [2, 1, 3]
    # The first hits do not depend on how many are asked for.
    assert [
        hit.article_id for hit in reader.search("离异的房产怎么过户", filters=ANY, limit=1).hits
    ] == [2]


def test_the_re_ranking_can_be_left_out(tmp_path):
    reader = index_of(tmp_path, DIVORCE_DOCS)
    plain = reader.search("离异的房产怎么过户", filters=ANY, rerank_hits=False)
    assert [hit.article_id for hit in plain.hits] == [1, 2]  # BM25F's tie, in document order
    assert plain.hits[0].score == pytest.approx(plain.hits[1].score)
