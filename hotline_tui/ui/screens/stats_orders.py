"""The orders behind a number of the 统计 mode: the list the services count for it (a measure's
numerator or denominator, a heat cell, an hour of the week), read in a worker; Enter opens the
order as everywhere in the console (:class:`~hotline_tui.ui.screens.detail.OrderDetailScreen`),
Esc goes back to the figures."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Label

from hotline_tui.domain.kpi import Period
from hotline_tui.ui.i18n import state_name, tr
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.stats_gateway import BehindList, OrderRow, StatsGateway
from hotline_tui.ui.text import content
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.grid import Column, DataGrid
from hotline_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from hotline_tui.ui.stats_draw import Behind

__all__ = ["StatsOrdersScreen"]

COLUMNS: list[Column[OrderRow]] = [
    Column("number", "col.number", 14, lambda r: r.number, lambda r: r.number),
    Column("state", "col.state", 10, lambda r: state_name(r.state), lambda r: r.state),
    Column("day", "stats.col.day_counted", 10, lambda r: str(r.day or ""), lambda r: r.day),
    Column("title", "col.title", None, lambda r: r.title),
]


def heading(found: BehindList) -> str:
    behind = found.behind
    what = behind.label
    if behind.kind == "measure":
        what += " · " + tr(f"stats.{behind.side}")
    return tr("stats.orders_title", what=what, n=len(found.rows), first=found.first,
              last=found.last)  # fmt: skip


class StatsOrdersScreen(ConsoleScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", tr("key.back"), id="stats_orders.back"),
        Binding("f9", "refresh_list", tr("key.refresh"), id="stats_orders.refresh", show=False),
    ]

    def __init__(self, behind: Behind, period: Period, anchor: date) -> None:
        super().__init__()
        self.behind = behind
        self.period = period
        self.around = anchor
        self.found: BehindList | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.stats") + " · " + self.behind.label)
        yield Label(tr("stats.loading"), id="stats-orders-title", classes="section")
        yield DataGrid(COLUMNS, key=lambda r: r.number, id="stats-orders")
        yield MessageLine(id="stats-orders-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TopBar).user = self.ui.user_label()
        self.query_one("#stats-orders", DataGrid).focus()
        self.reload()

    def reload(self) -> None:
        if self.ui.actor is None:
            return
        gateway = StatsGateway(self.backend)
        self.db(
            lambda: gateway.behind(self.behind, self.period, self.around),
            self._loaded,
            group="stats-orders",
        )

    def _loaded(self, found: BehindList) -> None:
        self.found = found
        self.query_one("#stats-orders-title", Label).update(content(heading(found)))
        self.query_one("#stats-orders", DataGrid).show_rows(found.rows)

    @on(DataTable.RowSelected, "#stats-orders")
    def _open(self) -> None:
        row = self.query_one("#stats-orders", DataGrid).current
        if row is not None:
            self.ui.open_order(row.number)

    def action_refresh_list(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
