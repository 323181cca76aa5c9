"""The queue tabs show every queue's count as soon as the queues load (issue 15: a tab showed
no count until it was visited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from hotline_tui.services.tickets import handling
from hotline_tui.ui.app import HotlineApp
from hotline_tui.ui.i18n import tr
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, screen_text, settle


def test_every_queue_tab_shows_its_count_before_it_is_visited(
    console: Callable[..., HotlineApp], hl: Any, who: Any
) -> None:
    signed = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], signed)
    new_order(hl, who, lead="M01")
    new_order(hl, who, lead="M01")
    app = console("h1")

    async def scenario(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        tabs = screen_text(app).splitlines()[1]
        assert f"{tr('queue.to_sign')} 2" in tabs
        assert f"{tr('queue.in_progress')} 1" in tabs  # not visited yet
        assert f"{tr('queue.overdue')} 0" in tabs
        handling.reply(hl, who["h1"], signed, text="已答复")  # elsewhere: the feed refreshes
        for _ in range(100):
            await settle(pilot)
            if f"{tr('queue.in_progress')} 0" in screen_text(app).splitlines()[1]:
                break
            await pilot.pause(0.05)
        assert f"{tr('queue.in_progress')} 0" in screen_text(app).splitlines()[1]

    drive(app, scenario)
