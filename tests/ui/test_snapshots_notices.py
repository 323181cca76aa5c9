"""Snapshots of what the scheduler brings to the console (80×24 and 120×40, default and low
bandwidth, frozen clock): a notice arriving (toast and notice line; the line alone in low
bandwidth), the notice list, the 督办 queue and an order waiting for its 督办 answer.

Regenerate after an intended change with
``pytest tests/ui/test_snapshots_notices.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from hotline_tui.services.scheduling.jobs import run_due
from hotline_tui.ui.screens.queues import DEPT_QUEUES
from tests.ui.conftest import settle, until
from tests.ui.test_notices import LATE, late_order

Before = Callable[[Pilot[Any]], Awaitable[None]]
SIZES = [(80, 24), (120, 40)]
MODES = [False, True]  # low bandwidth


def _steps(hl: Any, scan: bool, *keys: str) -> Before:
    """Settle; with ``scan`` the scheduler runs while the console is open (the notices
    arrive); then ``keys``, and a still frame."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if scan:
            run_due(hl, LATE, only=["scan"])
            app: Any = pilot.app
            await until(pilot, lambda: app.notice_watch.count >= 3)
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]
        await settle(pilot)

    return run


TO_SUPERVISED = ["right_square_bracket"] * DEPT_QUEUES.index("supervised")
# name: (the scan ran before the console opened: no notice, they are old news; the steps)
SCREENS: dict[str, tuple[bool, Callable[[Any], Before]]] = {
    "notice_arrived": (False, lambda hl: _steps(hl, True)),
    "notice_list": (False, lambda hl: _steps(hl, True, "ctrl+t")),
    "queue_supervised": (True, lambda hl: _steps(hl, False, *TO_SUPERVISED)),
    "detail_supervised": (True, lambda hl: _steps(hl, False, *TO_SUPERVISED, "enter")),
}


@pytest.mark.parametrize("low_bandwidth", MODES, ids=["default", "low"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, console, hl, who, clock, screen, size, low_bandwidth):
    late_order(hl, who, clock, description="投诉商户占道经营，[b]严重[/b]影响通行")
    scan_first, before = SCREENS[screen]
    if scan_first:
        run_due(hl, LATE, only=["scan"])
    app = console("h1", low_bandwidth=low_bandwidth, refresh_seconds=0.1)
    assert snap_compare(app, terminal_size=size, run_before=before(hl))
