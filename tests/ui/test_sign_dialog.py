"""签收 from the queue as a department would (issue 15): the 签收 dialog asks for nothing, so
Enter confirms it (it ignored Enter); a co-handler's 签收 says what became of its part and that
the order still waits for the lead (it read ``→ 待签收`` as if nothing had happened)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from hotline_tui.services.tickets import queries
from hotline_tui.ui.app import HotlineApp
from hotline_tui.ui.i18n import tr
from hotline_tui.ui.screens.action_modal import ActionModal
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, screen_text, settle


def part_state(hl: Any, who: Any, number: str, dept: str) -> str:
    detail = queries.show(hl, who["disp"], number)
    return next(a.state for a in detail.assignments if a.dept == dept)


def test_enter_confirms_a_co_handlers_sign_and_the_message_says_what_happened(
    console: Callable[..., HotlineApp], hl: Any, who: Any
) -> None:
    number = new_order(hl, who, lead="M01", co=["M02"])
    app = console("h2")  # the co-handler, M02

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        assert "Enter" in screen_text(app)  # the dialog says Enter confirms
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)
        messages = [n.message for n in app._notifications]
        assert any("M02（协办）→ 办理中" in m for m in messages), messages
        assert any(tr("action.ticket_same", state="待签收") in m for m in messages), messages

    drive(app, scenario)
    assert part_state(hl, who, number, "M02") == "in_progress"
    assert part_state(hl, who, number, "M01") == "pending_sign"


def test_the_leads_sign_says_the_order_moved(
    console: Callable[..., HotlineApp], hl: Any, who: Any
) -> None:
    number = new_order(hl, who, lead="M01")
    app = console("h1")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("M01（主办）→ 办理中；工单 → 办理中" in m for m in messages), messages

    drive(app, scenario)
    assert part_state(hl, who, number, "M01") == "in_progress"
