"""A list whose width changes keeps its cursor on its row."""

from __future__ import annotations

from hotline_tui.ui.widgets.grid import DataGrid
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, until


def test_a_resize_keeps_the_cursor_on_its_row(console, hl, who):
    """The columns are made again for a new width; the cursor stays where it was (it went back
    to the first row, and an order's parts to the first part, when the view settled late)."""
    numbers = [new_order(hl, who, phone=f"1390013900{i}") for i in range(4)]
    app = console("disp")

    async def scenario(pilot):
        queue = app.screen.query_one("#queue", DataGrid)
        assert {r.number for r in queue.rows_data} >= set(numbers)
        queue.focus()
        queue.move_cursor(row=2)
        before = queue.current
        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: queue.size.width > 80)
        assert queue.cursor_row == 2 and queue.current == before

    drive(app, scenario)
