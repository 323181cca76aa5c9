"""Focus and place through a shift (issue 15, item 6): typing in search results goes back to the
search and fires no key of the list; the queue cursor stays in its place after an action and
after Esc from the order; Home and End go to the first and last row; a mode's function key works
from an order opened on that mode; an order's actions stay offered wherever the focus is in its
view; near and overdue rows read without colour."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from hotline_tui.services.tickets import handling
from hotline_tui.services.tickets.queries import FindQuery
from hotline_tui.services.tickets.views import TicketSummary
from hotline_tui.ui.app import HotlineApp
from hotline_tui.ui.i18n import action_name, tr
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.detail import OrderDetailScreen
from hotline_tui.ui.screens.kb import KbScreen
from hotline_tui.ui.screens.orders import OrdersScreen
from hotline_tui.ui.screens.queues import QueuesScreen
from hotline_tui.ui.widgets.grid import DataGrid
from hotline_tui.ui.widgets.kb_hits import HitList
from tests.kb_index.service_helpers import published
from tests.services.tickets.helpers import load, new_order
from tests.ui.conftest import drive, screen_text, settle
from tests.ui.test_actions import replied
from tests.ui.test_kb import wait_typing

Console = Callable[..., HotlineApp]
SH = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SH).astimezone(UTC)


def key_line(app: HotlineApp) -> str:
    return screen_text(app).splitlines()[-1]


def grid(app: HotlineApp, selector: str = "#queue") -> DataGrid[Any]:
    found: DataGrid[Any] = app.screen.query_one(selector, DataGrid)
    return found


def focused(app: HotlineApp) -> Widget | None:
    return app.focused


def current(queue: DataGrid[Any]) -> str:
    """The order number under the queue's cursor."""
    row = queue.current
    assert row is not None
    return str(row.number)


async def to_queue(pilot: Pilot[Any], name: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, QueuesScreen)
    while screen.queue_name != name:
        await pilot.press("right_square_bracket")
        await settle(pilot)


# ---------------------------------------------------------------- a: typing in results


def test_typing_in_the_order_results_types_in_the_search_not_the_lists_keys(
    console: Console, hl: Any, who: Any
) -> None:
    for _ in range(3):
        new_order(hl, who, phone="13800138000")
    app = console("disp")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        await pilot.press("tab", *"13800138000", "enter")  # 电话
        await settle(pilot)
        results = grid(app, "#results")
        assert app.focused is results and results.row_count == 3
        assert "^o " + tr("key.sort") in key_line(app)  # not a letter here
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert tr("queue.sorted", column=tr("col.number") + " ↑") in screen_text(app)
        # A new query typed into the results: "E" is 修改工单 on an order, "o" sorted the list
        # and Enter opened the order under the cursor.
        await pilot.press(*"Eo1", "enter")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        phone = app.screen.query_one("#f-phone", Input)
        assert focused(app) is phone
        assert phone.value == "Eo1"  # the old query selected on the way back, as a Tab does
        assert tr("orders.found", n=0) in screen_text(app)
        # The same over a slow link, in one burst: the Enter behind the letters searches
        # again, it does not open the order under the cursor.
        await pilot.press("ctrl+u", *"13800138000", "enter")
        await settle(pilot)
        assert focused(app) is grid(app, "#results")
        for key in [*"Ex", "enter"]:  # all posted before any is handled
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert phone.value == "Ex" and tr("orders.found", n=0) in screen_text(app)

    drive(app, scenario)


def test_results_that_arrive_while_the_operator_types_leave_the_focus_in_the_field(
    console: Console, hl: Any, who: Any
) -> None:
    new_order(hl, who, phone="13800138000")
    app = console("disp")
    release = threading.Event()
    find = app.backend.find

    def slow_find(query: FindQuery) -> list[TicketSummary]:
        release.wait(timeout=30)  # a slow link: the results come once the test says so
        return find(query)

    app.backend.find = slow_find  # type: ignore[method-assign]

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("f3", "tab", *"13800138000", "enter")
        await pilot.press("tab", *"咨询")  # on to 内容 while the search runs
        release.set()
        await settle(pilot)
        assert tr("orders.found", n=1) in screen_text(app)
        words = app.screen.query_one("#f-words", Input)
        assert focused(app) is words and words.value == "咨询"
        await pilot.press("enter")  # searches again, does not open the order found first
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)

    drive(app, scenario)


def test_typing_in_the_knowledge_hits_types_in_the_query(
    console: Console, hl: Any, who: Any
) -> None:
    published(hl, who["adm"])
    app = console("op")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, KbScreen)
        await pilot.press(*"yyzz")
        await wait_typing(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, HitList)
        await pilot.press(*"sb")
        await settle(pilot)
        query = app.screen.query_one("#kb-query", Input)
        assert focused(app) is query and query.value == "sb"

    drive(app, scenario)


# ---------------------------------------------------------------- b, c: the queue's place


def test_the_queue_cursor_keeps_its_place_after_an_action_and_after_the_order(
    console: Console, hl: Any, who: Any
) -> None:
    for _ in range(6):
        replied(hl, who)
    app = console("disp")

    async def scenario(pilot: Pilot[Any]) -> None:
        await to_queue(pilot, "replies")
        queue = grid(app)
        numbers = [item.number for item in queue.rows_data]
        assert len(numbers) == 6
        await pilot.press("down", "down")
        assert current(queue) == numbers[2]
        await pilot.press("g")  # 审核通过 on the row: it leaves the queue
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [item.number for item in queue.rows_data] == numbers[:2] + numbers[3:]
        assert queue.cursor_row == 2 and current(queue) == numbers[3]  # moved up
        # Opened, looked at, Esc: back on the same order.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert current(queue) == numbers[3]
        # Opened and decided there: back on the next one, in its place.
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        assert queue.cursor_row == 2 and current(queue) == numbers[4]
        # Another queue starts at its top.
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert grid(app).cursor_row == 0

    drive(app, scenario)


def test_end_and_home_go_to_the_last_and_first_row(console: Console, hl: Any, who: Any) -> None:
    for _ in range(30):
        new_order(hl, who, lead="M01")
    app = console("h1")

    async def scenario(pilot: Pilot[Any]) -> None:
        queue = grid(app)
        assert queue.row_count == 30 and queue.cursor_row == 0
        await pilot.press("end")
        await settle(pilot)
        assert queue.cursor_row == 29 and queue.scroll_x == 0
        assert current(queue) in screen_text(app)  # scrolled to it
        await pilot.press("home")
        await settle(pilot)
        assert queue.cursor_row == 0

    drive(app, scenario)


# ---------------------------------------------------------------- d: F3 from the order


def test_the_mode_keys_work_from_an_order_opened_on_that_mode(
    console: Console, hl: Any, who: Any
) -> None:
    number = new_order(hl, who, lead="M01")
    app = console("h1")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("f3", "tab", *"13800138000", "enter")
        await settle(pilot)
        await pilot.press("enter")  # the order found
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert number in screen_text(app)  # the search as it was
        await pilot.press("f4", "enter")  # the queue's row
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)

    drive(app, scenario)


# ---------------------------------------------------------------- e: the order's keys


def test_a_co_handlers_sign_is_offered_wherever_the_focus_is_in_the_order(
    console: Console, hl: Any, who: Any
) -> None:
    new_order(hl, who, lead="M01", co=["M02"])
    number = new_order(hl, who, lead="M01", co=["M02"])
    handling.sign(hl, who["h1"], number)  # the lead's part: no 签收 on it
    app = console("h2")

    async def scenario(pilot: Pilot[Any]) -> None:
        queue = grid(app)
        await pilot.press("down")
        assert current(queue) == number
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        sign = "s " + action_name("sign")
        assert sign in key_line(app)
        await pilot.press("tab")  # the timeline
        await settle(pilot)
        assert app.focused is app.screen.query_one("#detail-timeline")
        assert sign in key_line(app)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario)
    _ticket, parts = load(hl, number)
    assert [part.state for part in parts] == ["in_progress", "in_progress"]


# ---------------------------------------------------------------- f: due without colour


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["default", "low"])
def test_near_and_overdue_rows_are_marked_in_text(
    console: Console, hl: Any, who: Any, clock: Any, low_bandwidth: bool
) -> None:
    late = new_order(hl, who, phone="13900139001")  # to dispatch by 03-03 09:30
    clock.current = local(2, 12)
    near = new_order(hl, who, phone="13900139002")
    ticket, _parts = load(hl, near)
    clock.current = ticket.dispatch_warn_at + timedelta(minutes=1)  # yellow, not yet red
    assert clock.current < ticket.dispatch_due_at
    calm = new_order(hl, who, phone="13900139003")
    app = console("disp", low_bandwidth=low_bandwidth)

    async def scenario(pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, QueuesScreen) and app.screen.queue_name == "to_dispatch"
        rows = {
            line.split()[0]: line for line in screen_text(app).splitlines() if line[:3] == " 20"
        }
        overdue, soon = tr("queue.overdue_mark"), tr("queue.near_mark")
        assert f"{overdue}03-03 09:30" in rows[late], rows
        assert soon in rows[near] and overdue not in rows[near]
        assert soon not in rows[calm] and overdue not in rows[calm]

    drive(app, scenario)
