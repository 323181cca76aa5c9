"""The console's queues and board for rules 4 and 5 of the loop: a co-handler's return in the
dispatcher's 退单审核 queue, the hotline's own due times shown and coloured like the
departments', a department's 待签收 row by its sign due, and the hotline as a row of the board."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hotline_tui.services.tickets import handling
from hotline_tui.ui.screens.board import BoardScreen
from hotline_tui.ui.screens.queues import QueuesScreen
from hotline_tui.ui.widgets.grid import DataGrid
from tests.services.tickets.helpers import load, new_order
from tests.ui.conftest import drive, screen_text, settle

SH = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SH).astimezone(UTC)


def colour_of(app, grid_id: str, text: str) -> str | None:
    """The style of the grid's cell that shows ``text`` (the row's due colour)."""
    grid = app.screen.query_one(grid_id)
    for index in range(grid.row_count):
        for cell in grid.get_row_at(index):
            if text in cell.plain:
                return str(cell.style)
    return None


def test_the_dispatchers_return_queue_shows_a_co_handlers_return_with_its_review_due(
    console, hl, who, clock
):
    number = new_order(hl, who, lead="M01", co=["M02"])
    clock.current = local(2, 10)
    handling.return_order(hl, who["h2"], number, reason="not_our_duty", basis="非住建职责")
    clock.current = local(3, 10, 30)  # the review was due Tuesday 10:00
    app = console("disp")

    async def scenario(pilot):
        assert isinstance(app.screen, QueuesScreen)
        await pilot.press("right_square_bracket")  # 退单审核
        await settle(pilot)
        assert app.screen.queue_name == "returns"
        text = screen_text(app)
        assert number in text and "市住建局" in text and "03-03 10:00" in text
        # Red and bold (marked 超 too: see test_focus_place.py).
        assert colour_of(app, "#queue", "03-03 10:00") == "bold red"

    drive(app, scenario)


def test_the_dispatch_queue_is_yellow_near_its_due_and_a_sign_row_shows_the_sign_due(
    console, hl, who, clock
):
    queued = new_order(hl, who, phone="13900139000")
    clock.current = local(2, 16, 40)  # yellow from 16:36, due Tuesday 09:30
    app = console("disp")

    async def dispatcher(pilot):
        assert app.screen.queue_name == "to_dispatch"
        assert queued in screen_text(app) and "03-03 09:30" in screen_text(app)
        assert colour_of(app, "#queue", "03-03 09:30") == "yellow"

    drive(app, dispatcher)

    signing = new_order(hl, who, lead="M01")
    _, (part,) = load(hl, signing)
    handler = console("h1")

    async def to_sign(pilot):
        assert handler.screen.queue_name == "to_sign"
        text = screen_text(handler)
        assert f"{part.sign_due_at.astimezone(SH):%m-%d %H:%M}" in text
        assert f"{part.due_at.astimezone(SH):%m-%d %H:%M}" not in text

    drive(handler, to_sign)


def test_the_board_counts_the_hotline_and_lists_its_late_steps(console, hl, who, clock):
    queued = new_order(hl, who, phone="13900139000")
    clock.current = local(3, 10)
    app = console("sup")

    async def scenario(pilot):
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert "热线（派单/审核）" in screen_text(app)
        screen = app.screen
        assert isinstance(screen, BoardScreen) and screen.board is not None
        grid = screen.query_one("#board-depts", DataGrid)
        grid.focus()
        for index, row in enumerate(screen.board.rows):
            if row.dept == "hotline":
                grid.move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert queued in text and "待派单" in text and "03-03 09:30" in text

    drive(app, scenario)
