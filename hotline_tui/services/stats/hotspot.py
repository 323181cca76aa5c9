"""``hotline hotspot``: where the calls come from, from the roll-up.

Intake (orders registered, by their local day) per category (rolled up to level 1, 2 or 3) ×
area (street, or rolled up to the district), for a period and the filters of ``hotline kpi``;
each cell with its rate per 10,000 residents (where the area has a population), its baseline
(each day: the mean of the same weekday over the 8 weeks before the period) and excess; and the
week's movers (the 7 days ending on the period's last day, or today, against the 7 before).
The arithmetic is :mod:`hotline_tui.domain.hotspot`'s. Reading is ``kpi.read``, scoped like
``hotline kpi`` (a department's handler: their own department).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select
from sqlmodel import col

from db.models import Area, Category
from db.models.stats import stats_daily, stats_mark
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.hotspot import (
    BASELINE_WEEKS,
    Mover,
    baseline,
    excess,
    movers,
    per_10k,
    roll_up,
)
from hotline_tui.domain.kpi import Period
from hotline_tui.domain.kpi_facts import local_day
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.stats.figures import KpiQuery, scope, span

__all__ = [
    "AREA_LEVELS",
    "HotCell",
    "HotspotQuery",
    "HotspotReport",
    "Node",
    "Trees",
    "hotspot",
    "load_trees",
]

AREA_LEVELS = ("district", "street")
_AREA_RANK = {"city": 0, "district": 1, "street": 2}
NONE_CODE = "-"  # the cell of orders without a category or an area


@dataclass(frozen=True)
class HotspotQuery:
    kpi: KpiQuery = field(default_factory=lambda: KpiQuery(period=Period.WEEK))
    level: int = 1  # the category level of the rows (1–3)
    area_level: str = "street"  # the areas of the columns: district or street
    movers: int = 10


@dataclass(frozen=True)
class Node:
    id: int
    code: str
    name: str
    population: int | None = None
    short: str = ""  # the short name, for narrow columns

    @property
    def brief(self) -> str:
        return self.short or self.name


@dataclass(frozen=True)
class HotCell:
    category: Node
    area: Node
    count: int
    baseline: float
    rate: float | None  # per 10,000 residents of the area

    @property
    def excess(self) -> float:
        return excess(self.count, self.baseline)


@dataclass(frozen=True)
class HotspotReport:
    period: Period
    first: date
    last: date
    level: int
    area_level: str
    cells: tuple[HotCell, ...]  # every cell with a count in the period or a baseline
    categories: tuple[Node, ...]  # by total intake, largest first
    areas: tuple[Node, ...]  # by total intake, largest first
    week: tuple[date, date]  # the movers' week
    movers: tuple[Mover[tuple[Node, Node]], ...]
    as_of: Any


@dataclass(frozen=True)
class Trees:
    """The category and area trees: parents, ranks, and the nodes by id."""

    cat_parents: dict[int, int | None]
    cat_rank: dict[int, int]
    area_parents: dict[int, int | None]
    area_rank: dict[int, int]
    categories: dict[int, Node]
    areas: dict[int, Node]

    def cell(self, category_id: int, area_id: int, level: int, area_level: str) -> tuple[int, int]:
        """The cell a (category leaf, area) pair of the roll-up falls in."""
        cat = roll_up(category_id, self.cat_parents, self.cat_rank, level) if category_id else 0
        rank = _AREA_RANK[area_level]
        area = roll_up(area_id, self.area_parents, self.area_rank, rank) if area_id else 0
        return cat, area

    def category(self, node: int) -> Node:
        return self.categories.get(node) or Node(node, NONE_CODE, "（未分类）")

    def area(self, node: int) -> Node:
        return self.areas.get(node) or Node(node, NONE_CODE, "（未填区划）")


def load_trees(conn: Connection) -> Trees:
    cats: list[Any] = conn.execute(  # type: ignore[assignment]
        select(col(Category.id), col(Category.code), col(Category.name), col(Category.parent_id),
               col(Category.level), col(Category.short_name))
    ).all()  # fmt: skip
    areas: list[Any] = conn.execute(  # type: ignore[assignment]
        select(col(Area.id), col(Area.code), col(Area.name), col(Area.parent_id),
               col(Area.level), col(Area.population), col(Area.short_name))
    ).all()  # fmt: skip
    return Trees(
        cat_parents={r[0]: r[3] for r in cats},
        cat_rank={r[0]: int(r[4]) for r in cats},
        area_parents={r[0]: r[3] for r in areas},
        area_rank={r[0]: _AREA_RANK.get(r[4], 2) for r in areas},
        categories={r[0]: Node(r[0], r[1], r[2], None, r[5]) for r in cats},
        areas={r[0]: Node(r[0], r[1], r[2], r[5], r[6]) for r in areas},
    )


def check_levels(query: HotspotQuery) -> None:
    if query.level not in (1, 2, 3):
        raise ValidationError("validation.choice", field="level", value=str(query.level),
                              allowed=["1", "2", "3"])  # fmt: skip
    if query.area_level not in AREA_LEVELS:
        raise ValidationError("validation.choice", field="area_level", value=query.area_level,
                              allowed=list(AREA_LEVELS))  # fmt: skip


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _series(
    conn: Connection, where: list[Any], trees: Trees, query: HotspotQuery, lo: date, hi: date
) -> dict[tuple[int, int], dict[date, int]]:
    """Intake per cell per day, ``lo`` … ``hi``: one grouped query over the roll-up."""
    c = stats_daily.c
    rows = conn.execute(
        select(c.day, c.category_id, c.area_id, func.sum(c.registered))
        .where(c.day >= lo, c.day <= hi, c.registered > 0, *where)
        .group_by(c.day, c.category_id, c.area_id)
    ).all()
    out: dict[tuple[int, int], dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for day, category_id, area_id, n in rows:
        key = trees.cell(int(category_id), int(area_id), query.level, query.area_level)
        out[key][_day(day)] += int(n or 0)
    return out


def _in(series: dict[date, int], first: date, last: date) -> int:
    return sum(n for d, n in series.items() if first <= d <= last)


def _ranked(totals: dict[int, int], node: Any) -> tuple[Node, ...]:
    """The nodes with intake in the period, the most first."""
    kept = [k for k, n in totals.items() if n]
    return tuple(node(k) for k in sorted(kept, key=lambda k: (-totals[k], node(k).code)))


def hotspot(hl: Hotline, actor: Actor, query: HotspotQuery) -> HotspotReport:
    """The intake table of ``query`` as ``actor`` may see it."""
    check_levels(query)
    today = local_day(hl.now())
    first, last = span(query.kpi, today)
    week_last = min(last, today)
    week = (week_last - timedelta(days=6), week_last)
    lo = min(first - timedelta(weeks=BASELINE_WEEKS), week[0] - timedelta(days=7))
    with hl.engines.read.connect() as conn:
        sc = scope(hl, conn, actor, query.kpi)
        trees = load_trees(conn)
        as_of = conn.execute(select(stats_mark.c.as_of).where(stats_mark.c.id == 1)).scalar()
        series = _series(conn, sc.where, trees, query, lo, max(last, week_last))
    cells: list[HotCell] = []
    cat_totals: dict[int, int] = defaultdict(int)
    area_totals: dict[int, int] = defaultdict(int)
    for (cat, area), days in series.items():
        count = _in(days, first, last)
        expected = baseline(days, first, last)
        if not count and not expected:
            continue
        node = trees.area(area)
        cells.append(HotCell(trees.category(cat), node, count, expected,
                             per_10k(count, node.population)))  # fmt: skip
        cat_totals[cat] += count
        area_totals[area] += count
    cells.sort(key=lambda x: (-x.count, x.category.code, x.area.code))
    now = {k: _in(v, *week) for k, v in series.items()}
    before = {k: _in(v, week[0] - timedelta(days=7), week[0] - timedelta(days=1))
              for k, v in series.items()}  # fmt: skip
    top = [
        Mover((trees.category(m.key[0]), trees.area(m.key[1])), m.now, m.before)
        for m in movers(now, before, query.movers)
    ]
    return HotspotReport(
        query.kpi.period, first, last, query.level, query.area_level, tuple(cells),
        _ranked(cat_totals, trees.category), _ranked(area_totals, trees.area), week,
        tuple(top), as_of,
    )  # fmt: skip
