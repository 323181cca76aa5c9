"""The lean widgets repaint only what changed: the caller-history lines (a line that did not
change is not repainted, a changed one only over its text's width) and the one-line input (an
edit repaints from the changed cell to the cursor after the text), and still show everything."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region

from hotline_tui.ui.widgets.history import HistoryLines
from hotline_tui.ui.widgets.lean import LeanInput


class Harness(App[None]):
    def compose(self) -> ComposeResult:
        yield LeanInput(id="field", compact=True)
        yield HistoryLines(id="lines")


def spy(widget: Any) -> list[tuple[Region, ...]]:
    """Record the regions each repaint marks dirty (none: the whole widget)."""
    calls: list[tuple[Region, ...]] = []
    original = widget._set_dirty

    def set_dirty(*regions: Region) -> Any:
        calls.append(regions)
        return original(*regions)

    widget._set_dirty = set_dirty
    return calls


def run(scenario: Any) -> None:
    async def main() -> None:
        app = Harness()
        async with app.run_test(size=(60, 8)) as pilot:
            await scenario(app, pilot)

    asyncio.run(main())


def test_history_lines_repaint_only_the_changed_line_over_its_width():
    async def scenario(app, pilot):
        lines = app.query_one(HistoryLines)
        lines.show_lines([Content("历史来电 2 件")])
        await pilot.pause()
        calls = spy(lines)
        lines.show_lines([Content("历史来电 2 件"), Content("● 1 办理中")])
        assert calls == [(Region(0, 1, 10, 1),)]
        await pilot.pause()
        calls.clear()
        lines.show_lines([Content("无历史来电")])  # shorter, and line 1 goes away
        assert calls == [(Region(0, 0, 13, 1),), (Region(0, 1, 10, 1),)]
        await pilot.pause()
        rows = [s.text.rstrip() for s in app.screen._compositor.render_strips()]
        assert rows[1] == "无历史来电" and rows[2] == ""

    run(scenario)


def test_lean_input_repaints_from_the_edit_to_the_cursor():
    async def scenario(app, pilot):
        field = app.query_one(LeanInput)
        field.cursor_blink = False  # a blink repaints the whole field
        field.focus()
        await pilot.press(*"1380")
        await pilot.pause()
        calls = spy(field)
        await pilot.press("0")
        assert (Region(4, 0, 2, 1),) in calls and () not in calls
        calls.clear()
        await pilot.press("backspace")
        assert (Region(4, 0, 2, 1),) in calls and () not in calls
        await pilot.press(*"99")
        await pilot.pause()
        assert field.value == "138099"
        assert app.screen._compositor.render_strips()[0].text.startswith("138099")

    run(scenario)
