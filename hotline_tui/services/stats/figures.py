"""The measures for a period and a filter, from the roll-up: each with its numerator and
denominator, beside the period before (环比) and the same period a year earlier (同比), grouped
by department, category, area, request type, channel or period; and the orders behind a number.

Supervisors and administrators see the whole city; a department's handler only the cells of
their own department (``kpi.read``, scoped like the orders).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import col

from db.models import Area, Category, Department
from db.models.stats import stats_daily, stats_mark
from hotline_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from hotline_tui.domain.kpi import (
    MEASURES,
    WILSON_BELOW,
    Kind,
    Measure,
    Period,
    period_end,
    period_label,
    period_start,
    periods_between,
    previous_period,
    rate,
    same_period_last_year,
    wilson,
)
from hotline_tui.domain.kpi_facts import HANDOVER_BUCKETS, local_day
from hotline_tui.domain.permissions import own_department_only, require
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.stats.sums import Scope, grouped

__all__ = [
    "BY",
    "Figure",
    "KpiQuery",
    "KpiReport",
    "KpiRow",
    "Scope",
    "Value",
    "figures",
    "scope",
    "span",
]

BY = ("dept", "category", "area", "type", "channel", "period")
_GROUP_COLUMN = {
    "dept": "dept_id",
    "category": "category_id",
    "area": "area_id",
    "type": "request_type",
    "channel": "channel",
}


@dataclass(frozen=True)
class KpiQuery:
    """What ``hotline kpi`` asks: a period kind, a range of days, filters (codes), a grouping."""

    period: Period = Period.MONTH
    first: date | None = None
    last: date | None = None
    dept: str | None = None
    category: str | None = None
    area: str | None = None
    request_type: str | None = None
    channel: str | None = None
    caller_kind: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class Value:
    numerator: int
    denominator: int
    kind: Kind = Kind.RATE

    @property
    def value(self) -> float | None:
        return rate(self.numerator, self.denominator)

    @property
    def interval(self) -> tuple[float, float] | None:
        """The Wilson 95% interval of a rate counted on fewer than 100."""
        if self.kind is not Kind.RATE or not 0 < self.denominator < WILSON_BELOW:
            return None
        return wilson(self.numerator, self.denominator)


@dataclass(frozen=True)
class Figure:
    measure: Measure
    current: Value
    before: Value  # 环比: the period(s) just before
    last_year: Value  # 同比: the same period(s) a year earlier
    target: float | None


@dataclass(frozen=True)
class KpiRow:
    key: str  # the group's code (a department code, a period label…); "" for everything
    label: str
    figures: tuple[Figure, ...]
    handovers: tuple[int, ...]  # closed orders with 0, 1, … 9, 10+ hand-overs
    days: tuple[date, date] | None = None  # a period's own first and last day (by period)


@dataclass(frozen=True)
class KpiReport:
    period: Period
    first: date
    last: date
    by: str | None
    rows: tuple[KpiRow, ...]
    as_of: Any  # when the roll-up was last brought up to date (None: never)


# ---------------------------------------------------------------- filters


def _subtree(parents: Mapping[int, int | None], root: int) -> set[int]:
    out = {root}
    grew = True
    while grew:
        more = {i for i, p in parents.items() if p in out and i not in out}
        out |= more
        grew = bool(more)
    return out


def _code_root(table: Mapping[int, tuple[Any, ...]], code: str) -> int | None:
    return next((i for i, row in table.items() if row[0] == code), None)


def _parents(table: Mapping[int, tuple[Any, ...]]) -> dict[int, int | None]:
    return {i: row[2] for i, row in table.items()}


def _table(conn: Connection, *columns: Any) -> dict[int, tuple[Any, ...]]:
    """Reference rows by id: (code, name or path, parent)."""
    rows = conn.execute(select(*(col(c) for c in columns))).all()
    return {int(r[0]): tuple(r[1:]) for r in rows}


def scope(hl: Hotline, conn: Connection, actor: Actor, query: KpiQuery) -> Scope:
    """The filters of ``query`` for ``actor`` (a handler: their own department only)."""
    require(actor.role, "kpi.read", username=actor.username)
    depts = _table(conn, Department.id, Department.code, Department.short_name, Department.name)
    cats = _table(conn, Category.id, Category.code, Category.path, Category.parent_id)
    areas = _table(conn, Area.id, Area.code, Area.name, Area.parent_id)
    c = stats_daily.c
    where: list[Any] = []
    dept: int | None = None
    dept_code = query.dept
    if own_department_only(actor.role):
        own = depts.get(actor.dept_id or -1, ("",))[0]
        if dept_code not in (None, own):
            raise PermissionDenied("permission.kpi_dept", user=actor.username, dept=dept_code)
        dept_code = own
        if not own:  # a handler without a department sees nothing
            where.append(c.dept_id == -1)
            dept = -1
    if dept_code:
        ids = [i for i, d in depts.items() if d[0] == dept_code]
        if not ids:
            raise NotFound("not_found.dept", dept=dept_code)
        where.append(c.dept_id == ids[0])
        dept = ids[0]
    if query.category:
        root = _code_root(cats, query.category)
        if root is None:
            raise NotFound("not_found.category", code=query.category)
        where.append(c.category_id.in_(sorted(_subtree(_parents(cats), root))))
    if query.area:
        root = _code_root(areas, query.area)
        if root is None:
            raise NotFound("not_found.area", code=query.area)
        where.append(c.area_id.in_(sorted(_subtree(_parents(areas), root))))
    for value, column in (
        (query.request_type, c.request_type),
        (query.channel, c.channel),
        (query.caller_kind, c.caller_kind),
    ):
        if value:
            where.append(column == value)
    excluded: set[int] = set()
    for code in hl.settings.kpi_satisfaction_excluded_categories:
        root = _code_root(cats, code)
        if root is not None:
            excluded |= _subtree(_parents(cats), root)
    labels = {
        "dept": {i: (d[0], d[1] or d[2]) for i, d in depts.items()},
        "category": {i: (row[0], row[1]) for i, row in cats.items()},
        "area": {i: (row[0], row[1]) for i, row in areas.items()},
    }
    fine = any((query.category, query.area, query.request_type, query.channel,
                query.caller_kind))  # fmt: skip
    return Scope(where, frozenset(excluded), labels, dept, fine)


# ---------------------------------------------------------------- sums


def _value(m: Measure, sums: Mapping[str, int] | None, excluded: bool) -> Value:
    sums = sums or {}
    prefix = "kept_" if m.excluded and excluded else ""
    num = sum(sums.get(prefix + n, 0) for n in m.numerator)
    den = sum(sums.get(prefix + n, 0) for n in m.denominator)
    return Value(num, den, m.kind)


def _row(
    key: str, label: str, sums: tuple[Mapping[str, int] | None, ...], hl: Hotline, excl: bool
) -> KpiRow:
    current, before, last_year = sums
    targets = hl.settings.kpi_targets
    figures = tuple(
        Figure(
            m,
            _value(m, current, excl),
            _value(m, before, excl),
            _value(m, last_year, excl),
            targets.get(m.id, m.target),
        )
        for m in MEASURES
    )
    histogram = tuple((current or {}).get(f"ho_{i}", 0) for i in range(HANDOVER_BUCKETS))
    return KpiRow(key, label, figures, histogram)


def span(query: KpiQuery, today: date) -> tuple[date, date]:
    first = period_start(query.first or query.last or today, query.period)
    last = period_end(period_start(query.last or query.first or today, query.period), query.period)
    if last < first:
        raise ValidationError("validation.kpi_range", first=str(first), last=str(last))
    return first, last


def _shifted(
    first: date, last: date, period: Period
) -> tuple[tuple[date, date], tuple[date, date]]:
    """The range just before (as many periods) and the same range a year earlier."""
    count = len(periods_between(first, last, period))
    before = first
    for _ in range(count):
        before = previous_period(before, period)
    year_first = same_period_last_year(first, period)
    year_last = period_end(same_period_last_year(period_start(last, period), period), period)
    return (before, first - timedelta(days=1)), (year_first, year_last)


def figures(hl: Hotline, actor: Actor, query: KpiQuery, *, cells_only: bool = False) -> KpiReport:
    """The measures for ``query`` as ``actor`` may see them. ``cells_only``: summed from the
    cells even where the department days would do (:func:`~.sums.grouped`)."""
    if query.by is not None and query.by not in BY:
        raise ValidationError("validation.choice", field="by", value=query.by, allowed=list(BY))
    first, last = span(query, local_day(hl.now()))
    with hl.engines.read.connect() as conn:
        sc = scope(hl, conn, actor, query)
        excl = bool(sc.excluded_categories)
        as_of = conn.execute(select(stats_mark.c.as_of).where(stats_mark.c.id == 1)).scalar()
        if query.by == "period":
            rows = _by_period(hl, conn, sc, query.period, (first, last), excl, cells_only)
        else:
            group = _GROUP_COLUMN[query.by] if query.by else None
            (b1, b2), (y1, y2) = _shifted(first, last, query.period)
            now = grouped(conn, sc, first, last, group, cells_only=cells_only)
            before = grouped(conn, sc, b1, b2, group, cells_only=cells_only)
            year = grouped(conn, sc, y1, y2, group, cells_only=cells_only)
            names = sc.labels.get(query.by or "", {})
            keys = sorted(now, key=lambda k: str(names.get(k, k)))  # what the period has
            rows = [
                _row(*names.get(k, (str(k), str(k))), (now.get(k), before.get(k), year.get(k)),
                     hl, excl)
                for k in keys
            ] if query.by else [_row("", "全部", (now.get(""), before.get(""), year.get("")),
                                     hl, excl)]  # fmt: skip
    return KpiReport(query.period, first, last, query.by, tuple(rows), as_of)


def _by_period(
    hl: Hotline, conn: Connection, sc: Scope, period: Period, days_: tuple[date, date],
    excl: bool, cells_only: bool,
) -> list[KpiRow]:  # fmt: skip
    first, last = days_
    starts = periods_between(first, last, period)
    earliest = min(same_period_last_year(starts[0], period), previous_period(starts[0], period))
    days = grouped(conn, sc, earliest, last, "day", cells_only=cells_only)
    totals: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, sums in days.items():
        day = date.fromisoformat(day) if isinstance(day, str) else day
        start = period_start(day, period)
        for name, n in sums.items():
            totals[start][name] += n
    rows: list[KpiRow] = []
    for s in starts:
        label = period_label(s, period)
        compared = (
            totals.get(s),
            totals.get(previous_period(s, period)),
            totals.get(same_period_last_year(s, period)),
        )
        row = _row(label, label, compared, hl, excl)
        rows.append(replace(row, days=(s, period_end(s, period))))
    return rows
