"""An order opened from a row that is one department's part (a queue's, the supervision
board's, a notice's) opens with the parts' cursor on that department's part; an order opened
from a row that is the whole order (the orders found, a caller's orders) on its first part."""

from __future__ import annotations

from typing import Any

from hotline_tui.services.scheduling.jobs import run_due
from hotline_tui.services.tickets import handling
from hotline_tui.ui.notices import NoticesScreen
from hotline_tui.ui.screens.board import BoardScreen
from hotline_tui.ui.screens.detail import OrderDetailScreen
from hotline_tui.ui.screens.orders import OrdersScreen
from hotline_tui.ui.widgets.grid import DataGrid
from tests.services.scheduling_helpers import local
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, settle, until

LATE = local(2026, 3, 6, 9, 0)  # a working morning after the test orders' deadlines


def two_late_parts(hl, who, clock) -> str:
    """An order led by M01 with M02 co-handling, both parts signed and overdue by ``LATE``."""
    number = new_order(hl, who, lead="M01", co=["M02"])
    handling.sign(hl, who["h1"], number)
    handling.sign(hl, who["h2"], number)
    clock.current = LATE
    return str(number)


def part_under_cursor(app: Any) -> str:
    assert isinstance(app.screen, OrderDetailScreen)
    part = app.screen.query_one("#detail-parts", DataGrid).current
    assert part is not None
    return str(part.dept)


async def choose(pilot: Any, grid: DataGrid[Any], number: str, dept: str) -> None:
    """Put ``grid``'s cursor on the row of ``number``'s part of ``dept`` and press Enter."""
    rows = [(r.number, r.dept) for r in grid.rows_data]
    assert (number, dept) in rows, rows
    grid.focus()
    grid.move_cursor(row=rows.index((number, dept)))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, OrderDetailScreen))


def test_an_order_opened_from_the_board_starts_on_the_rows_part(console, hl, who, clock):
    number = two_late_parts(hl, who, clock)
    app = console("sup")

    async def scenario(pilot):
        assert isinstance(app.screen, BoardScreen)
        await until(pilot, lambda: app.screen.query_one("#board-items", DataGrid).row_count)
        await choose(pilot, app.screen.query_one("#board-items", DataGrid), number, "M02")
        await until(pilot, lambda: app.screen.detail is not None)
        assert part_under_cursor(app) == "M02"

    drive(app, scenario)


def test_an_order_opened_from_a_notice_starts_on_the_notices_part(console, hl, who, clock):
    number = two_late_parts(hl, who, clock)
    app = console("sup", refresh_seconds=0.1)

    async def scenario(pilot):
        run_due(hl, LATE, only=["scan"])
        await until(pilot, lambda: {n.dept for n in app.notice_watch.recent} >= {"M01", "M02"})
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, NoticesScreen))
        await choose(pilot, app.screen.query_one("#notices", DataGrid), number, "M02")
        await until(pilot, lambda: app.screen.detail is not None)
        assert part_under_cursor(app) == "M02"

    drive(app, scenario)


def test_an_order_found_by_the_callers_phone_starts_on_its_first_part(console, hl, who, clock):
    two_late_parts(hl, who, clock)
    app = console("sup")

    async def scenario(pilot):
        await pilot.press("f3", "tab", *"13800138000", "enter")
        await until(pilot, lambda: app.screen.query_one("#results", DataGrid).row_count)
        assert isinstance(app.screen, OrdersScreen)
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        assert part_under_cursor(app) == "M01"  # the lead's: the row is the whole order
        await settle(pilot)

    drive(app, scenario)
