"""Snapshots of every screen at 80×24 and 120×40, in default and low-bandwidth mode, with a
frozen clock (the test world's ``FakeClock``), compared with the SVGs in ``__snapshots__``.

Regenerate after an intended change with ``pytest tests/ui/test_snapshots.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from hotline_tui.services.tickets import closing, handling, materials
from hotline_tui.ui.i18n import tr
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import history_painted, settle
from tests.world import PASSWORD

Before = Callable[[Pilot[Any]], Awaitable[None]]
SIZES = [(80, 24), (120, 40)]
MODES = [False, True]  # low bandwidth


def _keys(*keys: str) -> Before:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await history_painted(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]  # a still frame
        await settle(pilot)

    return run


def world(hl, who) -> dict[str, str]:
    """A few orders in different states (the same every time: frozen clock, fresh database)."""
    first = new_order(hl, who, lead="M01", co=["M02"])
    second = new_order(hl, who, lead="M01", description="投诉商户占道经营，[b]严重[/b]影响通行")
    handling.sign(hl, who["h1"], second)
    third = new_order(hl, who, lead="M01", phone="13900139000", description="噪音扰民")
    handling.sign(hl, who["h1"], third)
    handling.reply(hl, who["h1"], third, text="已联系商户，承诺夜间停止施工")
    closing.review(hl, who["disp"], third, passed=True)
    new_order(hl, who, description="咨询社保缴费基数")
    return {"first": first, "second": second, "third": third}


SCREENS: dict[str, tuple[str | None, Callable[[dict[str, str]], Before]]] = {
    "login": (None, lambda n: _keys(*"disp")),
    "intake": ("op", lambda n: _keys()),
    "intake_history": ("op", lambda n: _keys(*"13800138000", "tab", "tab", "tab", "right")),
    "intake_picker": ("op", lambda n: _keys(*["tab"] * 6, "y", "y")),
    "orders": ("op", lambda n: _keys("f3", "tab", *"13800138000", "enter")),
    "detail": ("disp", lambda n: _keys("ctrl+p", *n["first"], "enter")),
    "queue_handler": ("h1", lambda n: _keys()),
    "queue_dispatcher": ("disp", lambda n: _keys()),
    "action_return": ("h1", lambda n: _keys("b", *"wrong area")),
    "visits": ("op", lambda n: _keys("f5")),
    "board": ("sup", lambda n: _keys()),
    "help": ("h1", lambda n: _keys("f1")),
    "lock": ("op", lambda n: _keys("f12")),
    # The order tools.
    "action_merge": ("disp", lambda n: _keys("m")),
    "action_edit": ("op", lambda n: _keys("ctrl+p", *n["first"], "enter", "E")),
    "action_reveal": ("h1", lambda n: _keys("ctrl+p", *n["first"], "enter", "i", *"call back")),
    "action_attach": ("op", lambda n: _keys("ctrl+p", *n["first"], "enter", "A")),
    "materials": ("op", lambda n: _keys("ctrl+p", *n["first"], "enter", "O")),
    "material_viewer": ("op", lambda n: _viewer(n["first"])),
    "visit_due": ("op", lambda n: _keys("f5", "f7")),
    # The return-visit call: whom to call, the reply to read out, the outcome, the note.
    "visit_call": ("op", lambda n: _keys("f5", "enter", "1", "1", *"市民表示满意")),
}


def _viewer(number: str) -> Before:
    """The material viewer, its storage path (under the test's temporary directory) masked."""
    keys = _keys("ctrl+p", *number, "enter", "O", "enter")

    async def run(pilot: Pilot[Any]) -> None:
        await keys(pilot)
        shown = pilot.app.screen.query_one("#viewer-path", Static)
        shown.update(tr("materials.stored", path="<data>/materials/…"))
        await settle(pilot)

    return run


def attach(hl, who, number: str, folder: Path) -> None:
    source = folder / "现场说明.txt"
    source.write_text("井盖缺失，位于小区东门。\n请尽快处理。\n", encoding="utf-8")
    materials.add_material(hl, who["op"], number, source)


@pytest.mark.parametrize("low_bandwidth", MODES, ids=["default", "low"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, console, hl, who, clock, tmp_path, screen, size, low_bandwidth):
    numbers = world(hl, who)
    user, before = SCREENS[screen]
    if screen in ("materials", "material_viewer"):
        attach(hl, who, numbers["first"], tmp_path)
    if screen in ("board", "visit_due"):
        clock.advance(days=10)  # everything open is overdue by now
    app = console(user, low_bandwidth=low_bandwidth, refresh_seconds=3600)
    assert snap_compare(app, terminal_size=size, run_before=before(numbers))


def test_password_is_never_in_a_snapshot():
    assert PASSWORD not in str(SCREENS)
