"""The measures' arithmetic, with hand-computed vectors: rates, Wilson intervals, changes,
periods, and the table of measures itself."""

from __future__ import annotations

from datetime import date

import pytest

from hotline_tui.domain.kpi import (
    MEASURES,
    Kind,
    Period,
    change,
    measure,
    period_end,
    period_label,
    period_start,
    periods_between,
    previous_period,
    rate,
    same_period_last_year,
    wilson,
)
from hotline_tui.domain.kpi_facts import COLUMNS


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [(0, 0, None), (3, 4, 0.75), (0, 7, 0.0), (7, 7, 1.0), (1, 3, 1 / 3), (5, -1, None)],
)
def test_rate(num, den, expected):
    assert rate(num, den) == expected


# Wilson score interval, z = 1.96: centre (p + z²/2n) / (1 + z²/n), half-width
# z / (1 + z²/n) · √(p(1-p)/n + z²/4n²); worked by hand to four places.
@pytest.mark.parametrize(
    ("num", "den", "low", "high"),
    [
        (5, 10, 0.2366, 0.7634),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (1, 4, 0.0456, 0.6994),
        (81, 100, 0.7222, 0.8749),
    ],
)
def test_wilson(num, den, low, high):
    interval = wilson(num, den)
    assert interval is not None
    assert interval[0] == pytest.approx(low, abs=1e-4)
    assert interval[1] == pytest.approx(high, abs=1e-4)


def test_wilson_without_a_denominator():
    assert wilson(0, 0) is None


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [(0.8, 0.75, 0.05), (0.5, 0.6, -0.1), (None, 0.5, None), (0.5, None, None), (2.5, 3.0, -0.5)],
)
def test_change(now, before, expected):
    result = change(now, before)
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("day", "period", "start", "end", "before", "year_ago", "label"),
    [
        # 2026-03-04 is a Wednesday
        (date(2026, 3, 4), Period.DAY, date(2026, 3, 4), date(2026, 3, 4), date(2026, 3, 3),
         date(2025, 3, 4), "2026-03-04"),
        (date(2026, 3, 4), Period.WEEK, date(2026, 3, 2), date(2026, 3, 8), date(2026, 2, 23),
         date(2025, 3, 3), "2026-W10"),
        (date(2026, 3, 4), Period.MONTH, date(2026, 3, 1), date(2026, 3, 31), date(2026, 2, 1),
         date(2025, 3, 1), "2026-03"),
        (date(2026, 1, 15), Period.MONTH, date(2026, 1, 1), date(2026, 1, 31), date(2025, 12, 1),
         date(2025, 1, 1), "2026-01"),
        (date(2024, 2, 10), Period.MONTH, date(2024, 2, 1), date(2024, 2, 29), date(2024, 1, 1),
         date(2023, 2, 1), "2024-02"),
        (date(2026, 5, 20), Period.QUARTER, date(2026, 4, 1), date(2026, 6, 30),
         date(2026, 1, 1), date(2025, 4, 1), "2026-Q2"),
        (date(2026, 1, 2), Period.QUARTER, date(2026, 1, 1), date(2026, 3, 31),
         date(2025, 10, 1), date(2025, 1, 1), "2026-Q1"),
        (date(2026, 7, 7), Period.YEAR, date(2026, 1, 1), date(2026, 12, 31), date(2025, 1, 1),
         date(2025, 1, 1), "2026"),
        (date(2024, 2, 29), Period.DAY, date(2024, 2, 29), date(2024, 2, 29), date(2024, 2, 28),
         date(2023, 2, 28), "2024-02-29"),
    ],
)  # fmt: skip
def test_periods(day, period, start, end, before, year_ago, label):
    assert period_start(day, period) == start
    assert period_end(start, period) == end
    assert previous_period(start, period) == before
    assert same_period_last_year(start, period) == year_ago
    assert period_label(start, period) == label


def test_periods_between_cover_the_range_in_order():
    assert periods_between(date(2026, 1, 20), date(2026, 4, 2), Period.MONTH) == [
        date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1),
    ]  # fmt: skip
    assert periods_between(date(2026, 3, 1), date(2026, 3, 1), Period.WEEK) == [date(2026, 2, 23)]


def test_every_measure_is_declared_once_on_known_columns():
    ids = [m.id for m in MEASURES]
    assert len(ids) == len(set(ids)) == 13
    for m in MEASURES:
        assert set(m.numerator) | set(m.denominator) <= set(COLUMNS), m.id
        assert m.zh and m.en and m.numerator_zh and m.denominator_zh
        assert m.target is None or (m.kind is Kind.MEAN or 0 < m.target < 1)
        assert measure(m.id) is measure(m.zh) is measure(m.en) is m
    assert measure("超期率") is not None and not measure("超期率").higher_better  # type: ignore[union-attr]
    assert measure("nothing") is None
    names = {m.zh for m in MEASURES}
    for name in ("直接答复率", "签收及时率", "按时办结率", "超期率", "退单率", "不当退单率",
                 "回访率", "解决率", "部分解决率", "满意率", "平均流转环节", "响应率"):  # fmt: skip
        assert name in names
