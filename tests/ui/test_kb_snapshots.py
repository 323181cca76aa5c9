"""Snapshots of the knowledge base's screens (the 知识库 mode's results, an article, feedback;
the intake's suggestion line and preview) at 80×24 and 120×40, default and low-bandwidth, with
the frozen clock and a real index built in the test's directory.

Regenerate after an intended change with ``pytest tests/ui/test_kb_snapshots.py
--snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.kb_index.service_helpers import published
from tests.ui.conftest import settle
from tests.ui.test_kb import SOCIAL, wait_typing

Before = Callable[[Pilot[Any]], Awaitable[None]]
SIZES = [(80, 24), (120, 40)]
MODES = [False, True]  # low bandwidth
PAUSE = "pause"  # a step: wait for the debounced search as-you-type


def _steps(*steps: str, description: str = "") -> Before:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        still(pilot)  # before typing: the waits below must not catch a blink half-way
        if description:
            pilot.app.screen.query_one("#description").focus()
            await pilot.press(*description)
            await wait_typing(pilot)
        for step in steps:
            if step == PAUSE:
                await wait_typing(pilot)
            else:
                await pilot.press(step)
            await settle(pilot)
        still(pilot)
        await settle(pilot)

    return run


def still(pilot: Pilot[Any]) -> None:
    """No blinking cursor: a still frame."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]


SEARCH = ("f11", *"yyzz", "enter")
SCREENS: dict[str, Before] = {
    "kb_results": _steps(*SEARCH),
    "kb_typing": _steps("f11", *"社保", PAUSE),
    "kb_article": _steps(*SEARCH, "enter"),
    "kb_feedback": _steps(*SEARCH, "enter", "f", "right"),
    "intake_kb_suggest": _steps(description="灵活就业怎么交社保"),
    "intake_kb_preview": _steps("f9", description="个体户营业执照怎么办理"),
}


@pytest.mark.parametrize("low_bandwidth", MODES, ids=["default", "low"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_kb_screen(snap_compare, console, hl, who, screen, size, low_bandwidth):
    published(hl, who["adm"])
    published(hl, who["adm"], **SOCIAL)
    app = console("op", low_bandwidth=low_bandwidth, refresh_seconds=3600)
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])
