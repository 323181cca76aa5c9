"""A department's keys act on its own part only: a handler looking at another department's part
of an order it shares is offered none of 签收, 退单, 延期, 答复 there (the service would refuse
them: the catalogue's rule is the one the keys follow)."""

from __future__ import annotations

from textual.widgets import DataTable

from hotline_tui.services.tickets import handling
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.detail import OrderDetailScreen
from tests.services.tickets.helpers import load, new_order
from tests.ui.conftest import drive, settle, until
from tests.ui.test_loop import footer_keys

DEPT_KEYS = ("sign", "return", "extend", "reply")


def offered(app, name: str) -> bool:
    return f"act('{name}')" in footer_keys(app) and bool(app.screen.check_action("act", (name,)))


def test_a_co_handler_gets_no_keys_on_the_leads_part(console, hl, who):
    number = new_order(hl, who, lead="M01", co=["M03"])
    handling.sign(hl, who["h1"], number)  # the lead's part (M01) is in progress
    app = console("h3")  # a handler of M03

    async def scenario(pilot):
        app.open_order(number)
        await until(pilot, lambda: isinstance(app.screen, OrderDetailScreen))
        parts = app.screen.query_one("#detail-parts", DataTable)
        await until(pilot, lambda: parts.row_count == 2)
        grid = app.screen.query_one("#detail-parts")
        assert grid.current is not None and grid.current.dept == "M01"
        for name in (*DEPT_KEYS, "release"):
            assert not offered(app, name), name
        await pilot.press("b")  # 退单 on M01's part: nothing opens
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)
        await pilot.press("down")  # its own part (M03, to sign)
        await until(pilot, lambda: grid.current is not None and grid.current.dept == "M03")
        assert offered(app, "sign") and offered(app, "return")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ActionModal))
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ActionModal))

    drive(app, scenario)
    parts = {p.role: p.state for p in load(hl, number)[1]}
    assert parts == {"lead": "in_progress", "co": "in_progress"}  # its own part signed only
