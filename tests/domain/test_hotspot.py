"""The hotspot arithmetic with hand-computed vectors: roll-up to a level, baseline, excess,
rate per 10,000 and the week's movers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hotline_tui.domain.hotspot import baseline, excess, movers, per_10k, roll_up, subtree

# 1 (level 1) → 2 (level 2) → 3 (level 3); 4 (level 2) under 1; 5 a root at level 1
PARENTS = {1: None, 2: 1, 3: 2, 4: 1, 5: None}
RANK = {1: 1, 2: 2, 3: 3, 4: 2, 5: 1}


@pytest.mark.parametrize(
    ("node", "level", "expected"),
    [(3, 1, 1), (3, 2, 2), (3, 3, 3), (4, 3, 4), (4, 1, 1), (5, 2, 5), (99, 1, 99)],
)
def test_roll_up_to_a_level(node: int, level: int, expected: int) -> None:
    assert roll_up(node, PARENTS, RANK, level) == expected


def test_subtree() -> None:
    assert subtree(PARENTS, 1) == {1, 2, 3, 4}
    assert subtree(PARENTS, 2) == {2, 3}
    assert subtree(PARENTS, 5) == {5}


MONDAY = date(2026, 3, 2)


def test_baseline_of_a_day_is_the_mean_of_its_weekday_over_eight_weeks() -> None:
    # Mondays before 2026-03-02: counts 1..8 (mean 4.5); other weekdays 100 (ignored)
    series = {MONDAY - timedelta(weeks=k): k for k in range(1, 9)}
    series |= {MONDAY - timedelta(days=d): 100 for d in range(1, 7)}
    series[MONDAY - timedelta(weeks=9)] = 1000  # nine weeks back: outside the baseline
    assert baseline(series, MONDAY, MONDAY) == pytest.approx(4.5)
    assert excess(10, 4.5) == pytest.approx(5.5)
    assert excess(2, 4.5) == pytest.approx(-2.5)


def test_baseline_of_a_week_sums_its_days() -> None:
    # every Monday of the 8 weeks: 8 → mean 8; every Tuesday 4 once in 8 weeks → 0.5;
    # the rest nothing: the week expects 8 + 0.5 = 8.5
    series = {MONDAY - timedelta(weeks=k): 8 for k in range(1, 9)}
    series[MONDAY + timedelta(days=1) - timedelta(weeks=3)] = 4
    assert baseline(series, MONDAY, MONDAY + timedelta(days=6)) == pytest.approx(8.5)


def test_baseline_of_ten_days_counts_two_mondays() -> None:
    series = {MONDAY - timedelta(weeks=k): 2 for k in range(1, 9)}  # Mondays: mean 2
    # 2026-03-02 … 2026-03-11: Mondays 2 and 9 → 2 × 2 = 4; the range's own days not used
    series[MONDAY + timedelta(days=7)] = 50
    assert baseline(series, MONDAY, MONDAY + timedelta(days=9)) == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("count", "population", "expected"),
    [(5, 50_000, 1.0), (3, 120_000, 0.25), (7, None, None), (7, 0, None), (0, 10_000, 0.0)],
)
def test_per_10k(count: int, population: int | None, expected: float | None) -> None:
    assert per_10k(count, population) == (expected if expected is None else pytest.approx(expected))


def test_movers_largest_increase_first_then_relative() -> None:
    now = {"a": 10, "b": 6, "c": 5, "d": 1, "e": 3}
    before = {"a": 5, "b": 1, "c": 0, "d": 4, "f": 2}
    got = movers(now, before, 3)
    # a +5 (100%), b +5 (500%), c +5 (new), e +3 (new): ties on +5 by relative, new first
    assert [(m.key, m.change) for m in got] == [("c", 5), ("b", 5), ("a", 5)]
    assert got[0].relative is None
    assert got[1].relative == pytest.approx(5.0)
    assert got[2].relative == pytest.approx(1.0)
    assert [m.key for m in movers(now, before, 10)] == ["c", "b", "a", "e"]  # d, f fell
    assert movers(now, before, 0) == []
