"""统计: the hotline's measures for a period, for supervisors (the whole city) and for a
department's handlers (their own department; the services scope it, ``kpi.read``).

Four views on one hand-drawn table (:class:`~hotline_tui.ui.widgets.number_table.NumberTable`,
``t`` or 1–4): the measures as tiles (value, mark against the target, numerator / denominator,
环比, the last 12 periods as a sparkline), the department league (``o`` sorts by the next
measure, ``r`` reverses), the hotspot heat table (level-1 categories × districts) and the
hour-of-week table. ``p`` changes the period kind, ``[`` and ``]`` go to the period before and
after. Enter on a number lists the orders behind it (:mod:`.stats_orders`). Each view reads
only what it shows, in a worker (:mod:`hotline_tui.ui.stats_gateway`); F9 reads it again (the
roll-up is brought up to date by the scheduler's minute job, not by each order's change).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content

from hotline_tui.domain.kpi import MEASURES, Period, period_end, period_label, previous_period
from hotline_tui.ui.i18n import tr
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.stats_draw import Table
from hotline_tui.ui.stats_gateway import AREA_LEVELS, PANES, PaneData, StatsGateway
from hotline_tui.ui.stats_panes import (
    LEAGUE_WINDOW,
    heat_table,
    hour_table,
    league_table,
    tile_table,
)
from hotline_tui.ui.text import local_time, plain
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.keybar import KeyBar
from hotline_tui.ui.widgets.number_table import NumberTable
from hotline_tui.ui.widgets.still import StillLine

if TYPE_CHECKING:
    from hotline_tui.services.live import Change

__all__ = ["StatsScreen", "build_table"]

PERIODS = tuple(Period)
LAST_WINDOW = len(MEASURES) - LEAGUE_WINDOW


def build_table(data: PaneData, sort: int = -1, reverse: bool = False, window: int = 0) -> Table:
    """The table of ``data``'s pane (pure: what the screen paints)."""
    if data.pane == "tiles" and data.tiles is not None:
        return tile_table(data.tiles, data.trend)
    if data.pane == "league" and data.league is not None:
        return league_table(data.league, sort, reverse, window)
    if data.pane == "heat" and data.heat is not None:
        return heat_table(data.heat)
    if data.hours is not None:
        return hour_table(data.hours)
    return Table((), ())


class StatsScreen(ConsoleScreen):
    DEFAULT_CSS = """
    StatsScreen #stats-title, StatsScreen #stats-detail { height: 1; width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "pane(1)", tr("key.stats_pane"), id="stats.pane"),
        Binding("p", "period", tr("key.stats_period"), id="stats.period"),
        Binding("left_square_bracket", "shift(-1)", tr("key.stats_prev"), id="stats.prev"),
        Binding("right_square_bracket", "shift(1)", tr("key.stats_next"), id="stats.next"),
        Binding("a", "areas", tr("key.stats_areas"), id="stats.areas"),
        Binding("o", "sort", tr("key.stats_sort"), id="stats.sort"),
        Binding("r", "reverse", tr("key.stats_reverse"), id="stats.reverse"),
        Binding("f9", "refresh_stats", tr("key.refresh"), id="stats.refresh", show=False),
        Binding("1", "show_pane('tiles')", tr("key.stats_tiles"), id="stats.tiles", show=False),
        Binding("2", "show_pane('league')", tr("key.stats_league"), id="stats.league", show=False),
        Binding("3", "show_pane('heat')", tr("key.stats_heat"), id="stats.heat", show=False),
        Binding("4", "show_pane('hours')", tr("key.stats_hours"), id="stats.hours", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pane = "tiles"
        self.period = Period.MONTH
        self.around: date | None = None  # None: today's period
        self.data: PaneData | None = None
        self.sort = -1
        self.reverse = False
        self.window = 0
        self.area_level = AREA_LEVELS[0]
        self._gateway: StatsGateway | None = None

    @property
    def gateway(self) -> StatsGateway:
        """The screen's own: it keeps the sparklines' past periods between refreshes."""
        if self._gateway is None:
            self._gateway = StatsGateway(self.backend)
        return self._gateway

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.stats"))
        yield StillLine(id="stats-title")
        yield NumberTable(id="stats-table")
        yield StillLine(id="stats-detail")
        yield MessageLine(id="stats-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.ui.register_live(self)
        self.query_one(NumberTable).focus()
        if self.ui.actor is not None:
            self.session_ready()

    def session_ready(self) -> None:
        actor = self.ui.actor
        top = self.query_one(TopBar)
        top.user = self.ui.user_label()
        if actor is not None and actor.dept_code:
            top.title = f"{tr('mode.stats')} · {actor.dept_code}"
        self.reload()

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        if self.ui.actor is None:
            return
        gateway = self.gateway
        pane, period, anchor, areas = self.pane, self.period, self.around, self.area_level
        if self.data is None:  # a refresh keeps the title: the same, not written again
            self._title(tr("stats.loading"))
        self.db(lambda: gateway.load(pane, period, anchor, areas), self._loaded, group="stats")

    def _loaded(self, data: PaneData) -> None:
        keep = self.data is not None and (self.data.pane, self.data.first) == (
            data.pane,
            data.first,
        )
        self.data = data
        self.around = data.anchor
        self._title()
        self.query_one(NumberTable).show(self._table(), keep=keep)
        at = data.as_of
        if data.hours is not None:  # read from the orders themselves, not the roll-up
            self.query_one(MessageLine).show("")
        else:
            self.query_one(MessageLine).show(
                tr("stats.as_of", at=local_time(at)) if at is not None else tr("stats.never")
            )

    def _table(self) -> Table:
        assert self.data is not None
        return build_table(self.data, self.sort, self.reverse, self.window)

    def _title(self, status: str = "") -> None:
        parts: list[str | tuple[str, str]] = []
        for pane in PANES:
            name = tr(f"stats.pane.{pane}")
            parts += [(f" {name} ", "reverse bold") if pane == self.pane else f" {name} ", "│"]
        data = self.data
        if status or data is None:
            parts.append(" " + status)
        else:
            label = period_label(data.first, data.period)
            parts.append(" " + tr("stats.title", label=label, first=data.first, last=data.last,
                                  period=tr(f"stats.period.{data.period}")))  # fmt: skip
        self.query_one("#stats-title", StillLine).set_content(Content.assemble(*parts))

    def wants(self, changes: Sequence[Change]) -> bool:
        return False  # the roll-up moves with the scheduler's minute job: F9 reads it again

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sort", "reverse"):
            return self.pane == "league"
        if action == "areas":
            return self.pane == "heat"
        return True

    def action_pane(self, step: int) -> None:
        self.action_show_pane(PANES[(PANES.index(self.pane) + step) % len(PANES)])

    def action_show_pane(self, pane: str) -> None:
        if pane == self.pane:
            return
        self.pane = pane
        self.data = None
        self.refresh_bindings()
        self.reload()

    def action_period(self) -> None:
        self.period = PERIODS[(PERIODS.index(self.period) + 1) % len(PERIODS)]
        self.data = None
        self.reload()

    def action_shift(self, step: int) -> None:
        if self.data is None:
            return
        first = self.data.first
        self.around = (
            previous_period(first, self.period)
            if step < 0
            else period_end(first, self.period) + timedelta(days=1)
        )
        self.reload()

    def action_areas(self) -> None:
        """The heat table's columns: districts or streets."""
        self.area_level = AREA_LEVELS[(AREA_LEVELS.index(self.area_level) + 1) % len(AREA_LEVELS)]
        self.data = None
        self.reload()

    def action_sort(self) -> None:
        self.sort = self.sort + 1 if self.sort + 1 < len(MEASURES) else -1
        if self.sort >= 0 and not self.window <= self.sort < self.window + LEAGUE_WINDOW:
            self.window = max(0, min(self.sort, LAST_WINDOW))
        self._repaint()
        self._say_sorted()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._repaint()
        self._say_sorted()

    def _say_sorted(self) -> None:
        column = tr("stats.col.dept") if self.sort < 0 else MEASURES[self.sort].zh
        order = "↑" if self.reverse else "↓"
        self.query_one(MessageLine).show(tr("stats.sorted", column=column, order=order))

    def _repaint(self) -> None:
        if self.data is not None:
            self.query_one(NumberTable).show(self._table())

    def action_refresh_stats(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ the table's messages

    @on(NumberTable.Moved)
    def _moved(self, event: NumberTable.Moved) -> None:
        text = plain(event.cell.detail, single_line=True) if event.cell is not None else ""
        self.query_one("#stats-detail", StillLine).set_content(Content(text))

    @on(NumberTable.Edge)
    def _edge(self, event: NumberTable.Edge) -> None:
        if self.pane != "league":
            return
        window = max(0, min(self.window + event.step, LAST_WINDOW))
        if window != self.window:
            self.window = window
            self._repaint()

    @on(NumberTable.Chosen)
    def _chosen(self, event: NumberTable.Chosen) -> None:
        if self.data is None:
            return
        from hotline_tui.ui.screens.stats_orders import StatsOrdersScreen

        self.app.push_screen(StatsOrdersScreen(event.behind, self.data.period, self.data.anchor))
