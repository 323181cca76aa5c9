"""The hotline's measures (DESIGN.md §5), each declared once, and the arithmetic on them.

A measure is a ratio of two sums of the daily roll-up's columns (:mod:`.kpi_facts` says what each
column counts and on which day): its numerator, its denominator, what is excluded, whether higher
or lower is better, and its target. Pure data and pure functions: the services sum the columns,
the front ends show the result with its numerator and denominator, and under
:data:`WILSON_BELOW` in the denominator a Wilson 95% interval (a rate of 3 out of 4 says little).

Periods are local days (Asia/Shanghai) grouped into weeks (Monday first), months, quarters and
years; 环比 compares with the period before, 同比 with the same period a year earlier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "MEASURES",
    "WILSON_BELOW",
    "Kind",
    "Measure",
    "Period",
    "measure",
    "period_end",
    "period_label",
    "period_start",
    "periods_between",
    "previous_period",
    "rate",
    "same_period_last_year",
    "wilson",
]

WILSON_BELOW = 100
"""Below this denominator a rate is shown with its Wilson 95% interval."""

Z95 = 1.959963984540054


class Kind(StrEnum):
    RATE = "rate"  # a share, 0..1, shown as a percentage
    MEAN = "mean"  # an average per unit (hand-overs per order)


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class Measure:
    """One measure: numerator ÷ denominator, both sums of roll-up columns.

    ``excluded`` names the setting listing what is left out of both (e.g. the categories a city
    keeps out of 满意率); ``higher_better`` the direction; ``target`` the default goal (a share
    for a rate, a count for a mean).
    """

    id: str
    zh: str
    en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    numerator_zh: str
    denominator_zh: str
    higher_better: bool
    target: float | None
    kind: Kind = Kind.RATE
    excluded: str | None = None


_EXCLUDED_CATEGORIES = "kpi_satisfaction_excluded_categories"

MEASURES: tuple[Measure, ...] = (
    Measure(
        "direct_answer", "直接答复率", "first-call resolution",
        ("answered",), ("registered_valid",),
        "直接答复", "受理（不含无效来电）", True, 0.6,
    ),
    Measure(
        "sign_on_time", "签收及时率", "signed in time",
        ("sign_on_time",), ("sign_due",),
        "按时签收", "应签收", True, 0.95,
    ),
    Measure(
        "on_time", "按时办结率", "replied on time",
        ("reply_on_time",), ("reply_due",),
        "按时答复", "应答复", True, 0.95,
    ),
    Measure(
        "overdue", "超期率", "overdue",
        ("reply_late",), ("reply_due",),
        "超期", "应答复", False, 0.05,
    ),
    Measure(
        "return_rate", "退单率", "returns per dispatch",
        ("returns",), ("dispatches",),
        "退单", "派单", False, 0.1,
    ),
    Measure(
        "return_rejected", "不当退单率", "returns rejected by review",
        ("returns_rejected",), ("returns",),
        "退单被驳回", "退单", False, 0.2,
    ),
    Measure(
        "visit_rate", "回访率", "orders called back",
        ("visited",), ("visit_due",),
        "已回访", "审核通过待回访", True, 0.9,
    ),
    Measure(
        "resolved", "解决率", "resolved",
        ("resolved",), ("valid_visits",),
        "已解决", "有效回访", True, 0.8, excluded=_EXCLUDED_CATEGORIES,
    ),
    Measure(
        "partly", "部分解决率", "partly resolved",
        ("partly",), ("valid_visits",),
        "部分解决", "有效回访", False, None, excluded=_EXCLUDED_CATEGORIES,
    ),
    Measure(
        "satisfaction", "满意率", "satisfied or fairly satisfied",
        ("satisfied", "basic"), ("valid_visits",),
        "满意＋基本满意", "有效回访", True, 0.9, excluded=_EXCLUDED_CATEGORIES,
    ),
    Measure(
        "satisfied_only", "满意率（仅满意）", "satisfied",
        ("satisfied",), ("valid_visits",),
        "满意", "有效回访", True, None, excluded=_EXCLUDED_CATEGORIES,
    ),
    Measure(
        "handovers", "平均流转环节", "hand-overs per order",
        ("handovers",), ("closed",),
        "流转环节", "办结工单", False, 3.0, kind=Kind.MEAN,
    ),
    Measure(
        "response", "响应率", "orders signed in time",
        ("responded",), ("dispatched_orders",),
        "按时签收的工单", "派出工单", True, 0.95,
    ),
)  # fmt: skip

_BY_NAME = {name: m for m in MEASURES for name in (m.id, m.zh, m.en)}


def measure(name: str) -> Measure | None:
    """A measure by its id, Chinese name or English name."""
    return _BY_NAME.get(name.strip())


def rate(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator; None when nothing was counted."""
    if denominator <= 0:
        return None
    return numerator / denominator


def wilson(numerator: int, denominator: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a share (95% by default); None without a denominator."""
    if denominator <= 0:
        return None
    n = denominator
    p = min(max(numerator / n, 0.0), 1.0)
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def change(current: float | None, before: float | None) -> float | None:
    """The difference to an earlier value (percentage points for rates): None if either is."""
    if current is None or before is None:
        return None
    return current - before


# ---------------------------------------------------------------- periods


def period_start(day: date, period: Period) -> date:
    """The first day of the period holding ``day``."""
    if period is Period.DAY:
        return day
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    if period is Period.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_end(start: date, period: Period) -> date:
    """The last day of the period beginning on ``start``."""
    if period is Period.DAY:
        return start
    if period is Period.WEEK:
        return start + timedelta(days=6)
    months = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[period]
    return _add_months(start, months) - timedelta(days=1)


def previous_period(start: date, period: Period) -> date:
    """The start of the period before (环比)."""
    return period_start(start - timedelta(days=1), period)


def same_period_last_year(start: date, period: Period) -> date:
    """The start of the same period a year earlier (同比); a week is the ISO week of that
    number (52 weeks earlier, the same weekdays)."""
    if period is Period.WEEK:
        return start - timedelta(weeks=52)
    if start.month == 2 and start.day == 29:
        return date(start.year - 1, 2, 28)
    return start.replace(year=start.year - 1)


def periods_between(first: date, last: date, period: Period) -> list[date]:
    """The starts of the periods from the one holding ``first`` to the one holding ``last``."""
    starts = []
    start = period_start(first, period)
    while start <= last:
        starts.append(start)
        start = period_end(start, period) + timedelta(days=1)
    return starts


def period_label(start: date, period: Period) -> str:
    """How a period is named: 2026-03-02, 2026-W10, 2026-03, 2026-Q1, 2026."""
    if period is Period.DAY:
        return start.isoformat()
    if period is Period.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period is Period.MONTH:
        return f"{start.year}-{start.month:02d}"
    if period is Period.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)
