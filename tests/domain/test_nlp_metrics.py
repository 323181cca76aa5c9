"""The classifier scores on vectors worked out by hand."""

from __future__ import annotations

import pytest

from hotline_tui.domain.nlp_metrics import (
    accuracy,
    coverage_at_precision,
    macro_f1,
    per_class,
    top_k_accuracy,
)

TRUTH = ["a", "a", "a", "b", "b", "c"]
PREDICTED = ["a", "a", "b", "b", "c", "c"]


def test_per_class_and_macro_f1():
    scores = {s.label: s for s in per_class(TRUTH, PREDICTED)}
    # a: 2 of 2 said right, 2 of 3 found -> P 1, R 2/3, F1 0.8
    assert (scores["a"].precision, scores["a"].recall, scores["a"].support) == (1.0, 2 / 3, 3)
    assert scores["a"].f1 == pytest.approx(0.8)
    # b: said twice (1 right), 2 true (1 found) -> 0.5; c: said twice (1 right), 1 true -> 2/3
    assert scores["b"].f1 == pytest.approx(0.5)
    assert scores["c"].f1 == pytest.approx(2 / 3)
    assert macro_f1(TRUTH, PREDICTED) == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert accuracy(TRUTH, PREDICTED) == pytest.approx(4 / 6)


def test_a_label_only_predicted_is_not_averaged_in():
    # "z" never true: a's F1 (P 1/2, R 1 -> 2/3) alone is the mean.
    assert macro_f1(["a", "a"], ["a", "z"]) == pytest.approx(2 / 3)


def test_top_k_accuracy():
    ranked = [["b", "a", "c"], ["c", "b", "a"], ["a"], ["a", "b"]]
    assert top_k_accuracy(["a", "a", "a", "c"], ranked, 3) == pytest.approx(3 / 4)
    assert top_k_accuracy(["a", "a", "a", "c"], ranked, 1) == pytest.approx(1 / 4)


def test_coverage_at_precision_takes_the_lowest_threshold_that_holds():
    confidence = [0.9, 0.8, 0.7, 0.6, 0.5]
    correct = [True, True, False, True, False]
    # kept 1: 1/1, 2: 2/2, 3: 2/3, 4: 3/4, 5: 3/5
    best = coverage_at_precision(confidence, correct, 0.75)
    assert (best.coverage, best.precision, best.threshold) == (0.8, 0.75, 0.6)
    strict = coverage_at_precision(confidence, correct, 0.95)
    assert (strict.coverage, strict.threshold) == (0.4, 0.8)


def test_equal_confidences_go_in_together_and_nothing_may_qualify():
    # 0.9 and 0.9 together give 1/2: a threshold cannot keep only the right one.
    tied = coverage_at_precision([0.9, 0.9, 0.1], [True, False, True], 0.95)
    assert (tied.coverage, tied.threshold) == (0.0, None)
    assert coverage_at_precision([], [], 0.95).threshold is None
