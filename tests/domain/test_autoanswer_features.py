"""The features the calibrator reads, on a case worked out by hand."""

from __future__ import annotations

import math

import pytest

from hotline_tui.domain.autoanswer_features import FEATURES, HitFacts, features, han_chars


def named(values: tuple[float, ...]) -> dict[str, float]:
    assert len(values) == len(FEATURES)
    return dict(zip(FEATURES, values, strict=True))


def test_features_of_two_hits_by_hand() -> None:
    # Query characters: 营 业 执 照 怎 么 办 理 (8). Terms: 营业执照 (IDF 2), 办理 (IDF 1).
    first = HitFacts(10.0, "营业执照办理指南", "携带身份证到窗口", 0.9)
    second = HitFacts(4.0, "办理居住证", "需要照片", 0.8)
    got = named(features("营业执照怎么办理", {"营业执照": 2.0, "办理": 1.0}, [first, second], 7))
    assert got["score"] == 10.0
    assert got["gap"] == 6.0
    assert got["second_ratio"] == pytest.approx(0.4)
    assert got["idf_title"] == 1.0  # both terms in the title: (2 + 1) / 3
    assert got["idf_text"] == 1.0
    assert got["idf_second"] == pytest.approx(1 / 3)  # only 办理
    assert got["chars_title"] == pytest.approx(6 / 8)  # 怎 么 missing
    assert got["title_in_query"] == pytest.approx(6 / 8)  # 指 南 missing
    assert got["meaning"] == pytest.approx(0.9)
    assert got["meaning_gap"] == pytest.approx(0.1)
    assert got["query_chars"] == pytest.approx(math.log1p(8))
    assert got["terms"] == 2.0
    assert got["hits"] == pytest.approx(math.log1p(7))


def test_a_single_hit_without_meaning_and_a_body_match() -> None:
    only = HitFacts(3.0, "居住证", "居住证可在派出所办理", None)
    got = named(features("在哪办理居住证", {"办理": 1.0, "居住证": 3.0}, [only], 1))
    assert got["gap"] == 3.0 and got["second_ratio"] == 0.0
    assert got["idf_title"] == pytest.approx(3 / 4)
    assert got["idf_text"] == 1.0
    assert got["idf_second"] == 0.0
    assert got["meaning"] == 0.0 and got["meaning_gap"] == 0.0
    assert got["title_in_query"] == 1.0  # 居 住 证 all in the question


def test_no_hit_gives_only_the_query_length() -> None:
    got = named(features("无人机备案", {"无人机": 4.0, "备案": 2.0}, [], 0))
    assert got["query_chars"] == pytest.approx(math.log1p(5))
    assert got["terms"] == 2.0
    assert all(v == 0.0 for k, v in got.items() if k not in {"query_chars", "terms"})


def test_han_chars_are_distinct_and_in_order() -> None:
    assert han_chars("社保卡, 社保 ABC 卡片") == "社保卡片"
