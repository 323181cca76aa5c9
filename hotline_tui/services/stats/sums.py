"""The sums of the roll-up's counts over a range of days for a query's scope, grouped by one
column, read from the department days where they suffice and from the cells otherwise.

A query filtered on department at most (the whole city, or one department: a handler's own),
grouped by department, by day or not at all, reads ``stats_dept_day``: a row per department
and day, where ``stats_daily`` holds about a row per order and day. Where the settings exclude
categories from a measure (满意率), its ``kept_*`` sums are the department days' sums less the
excluded categories' cells (usually a small share). Any other filter or grouping reads the
cells. Both give the same numbers (the department days are the cells added up, written in the
same transactions: :mod:`hotline_tui.services.stats.store`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, case, func, select

from db.models.stats import stats_daily, stats_dept_day
from hotline_tui.domain.kpi import MEASURES
from hotline_tui.domain.kpi_facts import COLUMNS

__all__ = ["KEPT", "Scope", "grouped"]

KEPT = tuple(
    sorted({name for m in MEASURES if m.excluded for name in (*m.numerator, *m.denominator)})
)
"""The columns of the measures that leave out the excluded categories: summed as ``kept_*``."""

_DEPT_DAY_GROUPS = (None, "dept_id", "day")


@dataclass(frozen=True)
class Scope:
    """A query's filters as the roll-up's ids, and the labels of the codes."""

    where: list[Any] = field(default_factory=list)  # on stats_daily's columns
    excluded_categories: frozenset[int] = frozenset()
    labels: dict[str, dict[Any, tuple[str, str]]] = field(default_factory=dict)
    dept: int | None = None  # the one department the query is limited to (None: all)
    fine: bool = False  # a filter on something else than the department


def _sum(value: Any, label: str) -> Any:
    return func.coalesce(func.sum(value), 0).label(label)


def _read(
    conn: Connection, table: Table, sums: list[Any], where: list[Any],
    first: date, last: date, by: str | None,
) -> dict[Any, dict[str, int]]:  # fmt: skip
    group = table.c[by] if by is not None else None
    columns = [*([group.label("g")] if group is not None else []), *sums]
    statement = select(*columns).where(table.c.day >= first, table.c.day <= last, *where)
    if group is not None:
        statement = statement.group_by(group)
    out: dict[Any, dict[str, int]] = {}
    for row in conn.execute(statement).mappings():
        key = row["g"] if group is not None else ""
        out[key] = {k: int(v or 0) for k, v in row.items() if k != "g"}
    return out


def _from_cells(
    conn: Connection, sc: Scope, first: date, last: date, by: str | None
) -> dict[Any, dict[str, int]]:
    c = stats_daily.c
    sums = [_sum(c[name], name) for name in COLUMNS]
    for name in KEPT:
        value: Any = c[name]
        if sc.excluded_categories:
            value = case((c.category_id.in_(sorted(sc.excluded_categories)), 0), else_=value)
        sums.append(_sum(value, f"kept_{name}"))
    return _read(conn, stats_daily, sums, sc.where, first, last, by)


@cache
def _dept_day_sums() -> tuple[Any, ...]:
    """The department days' sums, built once (building them costs more than reading them)."""
    return tuple(_sum(stats_dept_day.c[name], name) for name in COLUMNS)


@cache
def _excluded_sums() -> tuple[Any, ...]:
    return tuple(_sum(stats_daily.c[name], name) for name in KEPT)


def _from_dept_days(
    conn: Connection, sc: Scope, first: date, last: date, by: str | None
) -> dict[Any, dict[str, int]]:
    t = stats_dept_day.c
    where = [] if sc.dept is None else [t.dept_id == sc.dept]
    out = _read(conn, stats_dept_day, list(_dept_day_sums()), where, first, last, by)
    left_out: dict[Any, dict[str, int]] = {}
    if sc.excluded_categories:
        c = stats_daily.c
        where = [*sc.where, c.category_id.in_(sorted(sc.excluded_categories))]
        # The cells of the excluded categories, found by ix_stats_daily_category_day.
        left_out = _read(conn, stats_daily, list(_excluded_sums()), where, first, last, by)
    for key, counts in out.items():
        minus = left_out.get(key, {})
        for name in KEPT:
            counts[f"kept_{name}"] = counts[name] - minus.get(name, 0)
    return out


def grouped(
    conn: Connection, sc: Scope, first: date, last: date, by: str | None,
    *, cells_only: bool = False,
) -> dict[Any, dict[str, int]]:  # fmt: skip
    """Per value of the column ``by`` (a column of the cells; "" for everything when None),
    the sums of every count on the days ``first`` … ``last`` and the ``kept_*`` sums.
    ``cells_only``: read the cells even where the department days would do (the reference
    that the tests and the benchmark compare with)."""
    if cells_only or sc.fine or by not in _DEPT_DAY_GROUPS:
        return _from_cells(conn, sc, first, last, by)
    return _from_dept_days(conn, sc, first, last, by)
