"""The console's heat table: intake per category × area for a period, as ``hotline hotspot``
counts it (the roll-up's ``registered``, rolled up to the query's category level and area
level, under the same filters and scope), without what the console does not show (the
baselines over the 8 weeks before, the rates, the week's movers): one grouped query over the
period's days, so a refresh stays quick on a large city."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from db.models.stats import stats_daily, stats_mark
from hotline_tui.domain.kpi_facts import local_day
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.stats.figures import scope, span
from hotline_tui.services.stats.hotspot import HotspotQuery, Node, check_levels, load_trees

__all__ = ["Heat", "heat"]


@dataclass(frozen=True)
class Heat:
    first: date
    last: date
    level: int
    area_level: str
    counts: dict[tuple[int, int], int]  # (category node id, area node id) → intake
    categories: tuple[Node, ...]  # by intake, largest first (then code)
    areas: tuple[Node, ...]
    as_of: Any


def _ranked(totals: dict[int, int], node: Any) -> tuple[Node, ...]:
    kept = [k for k, n in totals.items() if n]
    return tuple(node(k) for k in sorted(kept, key=lambda k: (-totals[k], node(k).code)))


def heat(hl: Hotline, actor: Actor, query: HotspotQuery) -> Heat:
    """The period's intake cells of ``query`` as ``actor`` may see them (``kpi.read``)."""
    check_levels(query)
    first, last = span(query.kpi, local_day(hl.now()))
    c = stats_daily.c
    with hl.engines.read.connect() as conn:
        sc = scope(hl, conn, actor, query.kpi)
        trees = load_trees(conn)
        as_of = conn.execute(select(stats_mark.c.as_of).where(stats_mark.c.id == 1)).scalar()
        rows = conn.execute(
            select(c.category_id, c.area_id, func.sum(c.registered))
            .where(c.day >= first, c.day <= last, c.registered > 0, *sc.where)
            .group_by(c.category_id, c.area_id)
        ).all()
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for category_id, area_id, n in rows:
        key = trees.cell(int(category_id), int(area_id), query.level, query.area_level)
        counts[key] += int(n or 0)
    cat_totals: dict[int, int] = defaultdict(int)
    area_totals: dict[int, int] = defaultdict(int)
    for (cat, area), n in counts.items():
        cat_totals[cat] += n
        area_totals[area] += n
    return Heat(
        first, last, query.level, query.area_level, dict(counts),
        _ranked(cat_totals, trees.category), _ranked(area_totals, trees.area), as_of,
    )  # fmt: skip
