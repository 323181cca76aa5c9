"""The 统计 mode's door to the measures: one blocking call per pane, and the orders behind a
number.

Like :class:`~hotline_tui.ui.backend.Backend`, every method may touch the database and is
called from thread workers only; the services are imported inside the methods. Each pane reads
only what it shows (the tiles: the period's measures, and the 11 periods before it, kept for
ten minutes since they change only with late events; the league:
the measures by department; the heat table; the hour-of-week table), all scoped by the
services to what the user may see (``kpi.read``: a department's handler, their own department).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from hotline_tui.domain.kpi import Period, period_end, period_start, previous_period

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor, Hotline
    from hotline_tui.services.stats.figures import KpiQuery, KpiReport
    from hotline_tui.services.stats.heat import Heat
    from hotline_tui.services.stats.hotspot import HotspotQuery
    from hotline_tui.services.stats.hotspot_orders import HourTable
    from hotline_tui.ui.stats_draw import Behind

__all__ = [
    "AREA_LEVELS",
    "PANES",
    "TREND_PERIODS",
    "BehindList",
    "OrderRow",
    "PaneData",
    "StatsGateway",
    "hotspot_query",
    "kpi_query",
]

T = TypeVar("T")
PANES = ("tiles", "league", "heat", "hours")
TREND_PERIODS = 12
PAST_SECONDS = 600.0  # how long the sparklines' past periods are kept before a new read
HEAT_LEVEL = 1  # the heat table's rows: level-1 categories
AREA_LEVELS = ("district", "street")  # its columns: districts, or streets (``a``)


class _Core(Protocol):
    @property
    def hl(self) -> Hotline: ...

    @property
    def actor(self) -> Actor: ...


@dataclass(frozen=True)
class PaneData:
    pane: str
    period: Period
    anchor: date  # a day of the period shown
    first: date
    last: date
    tiles: KpiReport | None = None
    trend: KpiReport | None = None  # the last TREND_PERIODS periods, by period
    league: KpiReport | None = None
    heat: Heat | None = None
    hours: HourTable | None = None

    @property
    def as_of(self) -> Any:
        for report in (self.tiles, self.league, self.heat):
            if report is not None:
                return report.as_of
        return None


@dataclass(frozen=True)
class OrderRow:
    number: str
    state: str
    day: date | None
    title: str
    count: int = 1


@dataclass(frozen=True)
class BehindList:
    behind: Behind
    first: date
    last: date
    total: int
    rows: tuple[OrderRow, ...]


def kpi_query(period: Period, anchor: date, **filters: Any) -> KpiQuery:
    """The query of the period holding ``anchor`` (``hotline kpi --period P --from A --to A``)."""
    from hotline_tui.services.stats.figures import KpiQuery

    return KpiQuery(period=period, first=anchor, last=anchor, **filters)


def hotspot_query(period: Period, anchor: date, area_level: str = "district") -> HotspotQuery:
    """``hotline hotspot --period P --from A --to A --level 1 --area-level district``."""
    from hotline_tui.services.stats.hotspot import HotspotQuery

    return HotspotQuery(kpi_query(period, anchor), level=HEAT_LEVEL, area_level=area_level)


class StatsGateway:
    def __init__(self, core: _Core, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._core = core
        self._monotonic = monotonic
        self._past_read: dict[tuple[str, Period, date], tuple[float, KpiReport]] = {}

    def _past(self, period: Period, first: date) -> KpiReport:
        """The TREND_PERIODS - 1 periods before the one starting on ``first``, by period, for
        the sparklines: read again after PAST_SECONDS (their sums change only when a late event
        lands in them), so a refresh reads the current period alone."""
        from hotline_tui.services.stats import figures

        key = (self._core.actor.username, period, first)
        now = self._monotonic()
        kept = self._past_read.get(key)
        if kept is not None and now - kept[0] < PAST_SECONDS:
            return kept[1]
        oldest = first
        for _ in range(TREND_PERIODS - 1):
            oldest = previous_period(oldest, period)
        last = first - timedelta(days=1)
        query = figures.KpiQuery(period=period, first=oldest, last=last, by="period")
        report = figures.figures(self._core.hl, self._core.actor, query)
        self._past_read[key] = (now, report)
        return report

    def today(self) -> date:
        from hotline_tui.domain.kpi_facts import local_day

        return local_day(self._core.hl.now())

    def load(
        self, pane: str, period: Period, anchor: date | None, area_level: str = "district"
    ) -> PaneData:
        """What ``pane`` shows for the period holding ``anchor`` (None: today's); the heat
        table's columns are ``area_level``'s areas."""
        from hotline_tui.services.stats import figures, heat, hotspot_orders

        hl, actor = self._core.hl, self._core.actor
        day = anchor or self.today()
        first = period_start(day, period)
        base = PaneData(pane, period, day, first, period_end(first, period))
        if pane == "tiles":
            tiles = figures.figures(hl, actor, kpi_query(period, day))
            past = self._past(period, base.first)
            trend = _replace(past, rows=(*past.rows, tiles.rows[0]))
            return _replace(base, tiles=tiles, trend=trend)
        if pane == "league":
            return _replace(
                base, league=figures.figures(hl, actor, kpi_query(period, day, by="dept"))
            )
        if pane == "heat":
            return _replace(base, heat=heat.heat(hl, actor, hotspot_query(period, day, area_level)))
        return _replace(base, hours=hotspot_orders.hours(hl, actor, hotspot_query(period, day)))

    def behind(self, behind: Behind, period: Period, anchor: date) -> BehindList:
        """The orders behind ``behind`` in the period holding ``anchor``."""
        hl, actor = self._core.hl, self._core.actor
        if behind.kind == "measure":
            from hotline_tui.services.stats.behind import orders_behind

            found = orders_behind(
                hl, actor, kpi_query(period, anchor, dept=behind.dept), behind.measure, behind.side
            )
            rows = tuple(
                OrderRow(o.number, o.state, o.days[0] if o.days else None, o.title, o.count)
                for o in found.orders
            )
            return BehindList(behind, found.first, found.last, found.total, rows)
        query = hotspot_query(period, anchor, behind.area_level)
        if behind.kind == "cell":
            from hotline_tui.services.stats.hotspot_orders import cell_orders

            orders = cell_orders(hl, actor, query, behind.category, behind.area).orders
        else:
            from hotline_tui.services.stats.hour_orders import hour_orders

            orders = hour_orders(hl, actor, query, behind.weekday, behind.hour)
        rows = tuple(OrderRow(o.number, o.state, o.day, o.title) for o in orders)
        first = period_start(anchor, period)
        return BehindList(behind, first, period_end(first, period), len(rows), rows)


def _replace(data: T, **changes: Any) -> T:
    from dataclasses import replace

    return replace(data, **changes)  # type: ignore[type-var]
