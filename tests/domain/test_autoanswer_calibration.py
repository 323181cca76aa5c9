"""The logistic calibrator's arithmetic and the threshold chosen for a precision."""

from __future__ import annotations

import math

import pytest

from hotline_tui.domain.autoanswer_calibration import (
    NEVER,
    Calibrator,
    choose_threshold,
    operating_point,
    wilson_lower,
)


def calibrator() -> Calibrator:
    return Calibrator(
        features=("a", "b"),
        mean=(1.0, 0.0),
        scale=(2.0, 1.0),
        weights=(1.0, -1.0),
        intercept=0.5,
        threshold=0.7,
    )


def test_probability_by_hand() -> None:
    # z = 0.5 + 1 × (3 − 1) / 2 − 1 × (0.5 − 0) / 1 = 1
    assert calibrator().probability((3.0, 0.5)) == pytest.approx(1 / (1 + math.exp(-1)))
    # z = 0.5 + (−9 − 1) / 2 − 0 = −4.5: the other branch of the logistic
    assert calibrator().probability((-9.0, 0.0)) == pytest.approx(1 / (1 + math.exp(4.5)))
    with pytest.raises(ValueError):
        calibrator().probability((1.0,))


def test_stored_form_round_trip_and_refusal() -> None:
    data = calibrator().to_dict()
    assert Calibrator.from_dict(data) == calibrator()
    with pytest.raises(ValueError):
        Calibrator.from_dict({**data, "format": 99})
    with pytest.raises(ValueError):
        Calibrator.from_dict({**data, "weights": [1.0]})


def test_operating_point() -> None:
    point = operating_point([0.9, 0.8, 0.3], [True, False, True], 0.5)
    assert (point.answered, point.right, point.questions) == (2, 1, 3)
    assert point.precision == 0.5 and point.coverage == pytest.approx(2 / 3)
    empty = operating_point([0.1], [True], 0.5)
    assert empty.precision == 1.0 and empty.coverage == 0.0


def test_threshold_is_the_lowest_that_keeps_the_precision() -> None:
    probabilities = [0.9, 0.8, 0.7, 0.6, 0.5]
    correct = [True, True, True, False, False]
    # Answered from the top: 1/1, 2/2, 3/3, 3/4 = 0.75, 3/5 = 0.6.
    assert choose_threshold(probabilities, correct, 0.75, min_answered=2, z=0) == 0.6
    assert choose_threshold(probabilities, correct, 0.8, min_answered=2, z=0) == 0.7
    assert choose_threshold(probabilities, correct, 0.8, min_answered=4, z=0) == NEVER


def test_equal_probabilities_are_answered_together() -> None:
    # 0.9 and 0.9 together: 1/2; with 0.5: 2/3.
    assert choose_threshold([0.9, 0.9, 0.5], [True, False, True], 0.6, min_answered=1, z=0) == 0.5
    assert choose_threshold([0.9, 0.9, 0.5], [True, False, True], 0.7, min_answered=1, z=0) == NEVER


def test_the_precision_must_hold_with_confidence() -> None:
    # All right: the Wilson bound is n / (n + z²); z = 1.645 → 60 answers give 0.957, 50 give 0.949.
    assert wilson_lower(60, 60) == pytest.approx(60 / (60 + 1.645**2))
    assert wilson_lower(50, 50) < 0.95 < wilson_lower(60, 60)
    # p = 0.9, n = 100, z = 1: (0.9 + 0.005 − √(0.0009 + 0.000025)) / 1.01
    assert wilson_lower(90, 100, z=1.0) == pytest.approx((0.905 - math.sqrt(0.000925)) / 1.01)
    assert wilson_lower(0, 0) == 0.0
    sure = [0.99] * 60 + [0.5] * 40
    right = [True] * 60 + [True] * 38 + [False] * 2
    assert choose_threshold(sure[:50], right[:50]) == NEVER  # 50 right answers are not enough
    assert choose_threshold(sure, right) == 0.99  # 98/100 has a bound of 0.94: stop at 60
