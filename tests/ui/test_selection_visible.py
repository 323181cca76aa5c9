"""The selected row of every list reads on any 16-colour or monochrome terminal: it is in
reverse video, in both modes (issue 15: in low-bandwidth mode a picker's selected row carried no
attribute at all, and in the default theme it differed from the others by one shade).

Each list is read twice: from the screen's rendered strips (the segments' styles), and from the
bytes the console writes to the terminal for that screen, read back cell by cell through their
SGR attributes (:func:`terminal_reverse`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len
from textual._compositor import CompositorUpdate
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, OptionList

from hotline_tui.services.tickets import handling
from hotline_tui.ui.app import HotlineApp
from hotline_tui.ui.widgets.kb_hits import HitList
from hotline_tui.ui.widgets.picker import Picker
from tests.kb_index.service_helpers import published
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, settle
from tests.ui.test_kb import wait_typing

MODES = [False, True]  # low bandwidth


def selected_lines(widget: Widget) -> tuple[list[int], list[int]]:
    """Screen rows (y) of the widget's selected row, and of its other rows."""
    region = widget.content_region
    top = widget.scroll_offset.y
    if isinstance(widget, OptionList):
        lines = widget._lines  # (option index, line of the option) per line: Textual's own map
        chosen = [i for i, (index, _) in enumerate(lines) if index == widget.highlighted]
        others = [i for i, (index, _) in enumerate(lines) if index != widget.highlighted]
    else:
        assert isinstance(widget, DataTable)
        header = 1 if widget.show_header else 0
        chosen = [header + widget.cursor_row]
        others = [header + row for row in range(widget.row_count) if row != widget.cursor_row]
    visible = range(top, top + region.height)
    return (
        [region.y + i - top for i in chosen if i in visible],
        [region.y + i - top for i in others if i in visible],
    )


def strip_reverse(app: HotlineApp, widget: Widget, y: int) -> list[bool]:
    """Whether each non-blank character of screen row ``y`` inside ``widget`` is reversed."""
    region = widget.content_region
    strip = app.screen._compositor.render_strips()[y].crop(region.x, region.right)
    return [bool(s.style and s.style.reverse) for s in strip for ch in s.text if ch.strip()]


SGR = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")


def terminal_reverse(app: HotlineApp) -> list[list[bool | None]]:
    """The screen as a terminal shows it from the bytes the console writes for a full repaint:
    per cell, whether it is in reverse video (None for a blank cell). Cursor moves and SGR are
    followed; other control sequences change no cell."""
    width, height = app.size
    cells: list[list[bool | None]] = [[None] * width for _ in range(height)]
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, CompositorUpdate)
    data = update.render_segments(app.console)
    x = y = 0
    reverse = False
    position = 0
    while position < len(data):
        match = SGR.match(data, position)
        if match:
            params, command = match.groups()
            if command == "H":
                row, _, column = params.partition(";")
                y, x = int(row or 1) - 1, int(column or 1) - 1
            elif command == "m":
                codes = [int(c) for c in params.split(";") if c.isdigit()] or [0]
                for code in codes:
                    if code == 0 or code == 27:
                        reverse = False
                    elif code == 7:
                        reverse = True
            position = match.end()
            continue
        ch = data[position]
        position += 1
        if ch == "\n":
            y, x = y + 1, 0
            continue
        if ch == "\r" or ch == "\x1b":
            continue
        if 0 <= y < height and 0 <= x < width:
            cells[y][x] = reverse if ch.strip() else None
        x += cell_len(ch)
    return cells


def assert_selection_visible(app: HotlineApp, widget: Widget) -> None:
    chosen, others = selected_lines(widget)
    assert chosen, "the selected row is on screen"
    region = widget.content_region
    terminal = terminal_reverse(app)
    for y in chosen:
        in_strips = strip_reverse(app, widget, y)
        assert in_strips and all(in_strips), f"row {y} of {widget!r} is reversed in its segments"
        written = [c for c in terminal[y][region.x : region.right] if c is not None]
        assert written and all(written), f"row {y} of {widget!r} is reversed on the terminal"
    for y in others:
        assert not any(strip_reverse(app, widget, y)), f"only the selected row is reversed ({y})"
        assert not any(terminal[y][region.x : region.right])


# ---------------------------------------------------------------------- pickers


@pytest.mark.parametrize("low_bandwidth", MODES, ids=["default", "low-bandwidth"])
@pytest.mark.parametrize(
    ("field", "query"),
    [("category", "登记"), ("area", "区"), ("lead", "测试市"), ("co", "测试市")],
    ids=["分类", "区划", "主办", "协办"],
)
def test_the_row_chosen_in_an_intake_picker_is_in_reverse_video(
    console: Callable[..., HotlineApp], low_bandwidth: bool, field: str, query: str
) -> None:
    app = console("op", low_bandwidth=low_bandwidth)

    async def scenario(pilot: Pilot[Any]) -> None:
        picker = app.screen.query_one(f"#{field}", Picker)
        picker.focus()
        await settle(pilot)
        for key in query:
            await pilot.press(key)
        await settle(pilot)
        await pilot.press("down")  # the second match: not just the first row
        await settle(pilot)
        options = picker.query_one(OptionList)
        assert picker.list_open and options.option_count >= 2
        assert options.highlighted == 1
        assert_selection_visible(app, options)

    drive(app, scenario)


@pytest.mark.parametrize("low_bandwidth", MODES, ids=["default", "low-bandwidth"])
def test_the_department_chosen_in_the_dispatch_dialog_is_in_reverse_video(
    console: Callable[..., HotlineApp], hl: Any, who: Any, low_bandwidth: bool
) -> None:
    new_order(hl, who)
    app = console("disp", low_bandwidth=low_bandwidth)

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("d")
        await settle(pilot)
        picker = app.screen.query(Picker).first()
        picker.focus()
        for key in "测试市":
            await pilot.press(key)
        await settle(pilot)
        options = picker.query_one(OptionList)
        assert picker.list_open and options.option_count >= 2
        assert_selection_visible(app, options)

    drive(app, scenario)


# ---------------------------------------------------------------------- tables and lists


@pytest.mark.parametrize("low_bandwidth", MODES, ids=["default", "low-bandwidth"])
def test_the_queue_row_under_the_cursor_is_in_reverse_video(
    console: Callable[..., HotlineApp], hl: Any, who: Any, low_bandwidth: bool
) -> None:
    for _ in range(3):
        new_order(hl, who)
    app = console("disp", low_bandwidth=low_bandwidth)

    async def scenario(pilot: Pilot[Any]) -> None:
        grid = app.screen.query_one("#queue", DataTable)
        assert grid.has_focus and grid.row_count == 3
        await pilot.press("down")
        await settle(pilot)
        assert grid.cursor_row == 1
        assert_selection_visible(app, grid)

    drive(app, scenario)


@pytest.mark.parametrize("low_bandwidth", MODES, ids=["default", "low-bandwidth"])
def test_the_order_views_tables_show_their_row_in_reverse_when_focused(
    console: Callable[..., HotlineApp], hl: Any, who: Any, low_bandwidth: bool
) -> None:
    number = new_order(hl, who, lead="M01", co=["M02"])
    handling.sign(hl, who["h1"], number)
    app = console("disp", low_bandwidth=low_bandwidth)

    async def scenario(pilot: Pilot[Any]) -> None:
        app.open_order(number)
        await settle(pilot)
        parts = app.screen.query_one("#detail-parts", DataTable)
        timeline = app.screen.query_one("#detail-timeline", DataTable)
        assert parts.has_focus and parts.row_count == 2
        await pilot.press("down")
        await settle(pilot)
        assert_selection_visible(app, parts)
        # The table without the focus keeps its row marked (underlined), not reversed: the
        # reversed row is where the keys go.
        y = selected_lines(timeline)[0][0]
        region = timeline.content_region
        row = app.screen._compositor.render_strips()[y].crop(region.x, region.right)
        styled = [s.style for s in row if s.text.strip()]
        assert styled and all(s and s.underline and not s.reverse for s in styled)
        timeline.focus()
        await settle(pilot)
        assert_selection_visible(app, timeline)

    drive(app, scenario, size=(100, 40))


@pytest.mark.parametrize("low_bandwidth", MODES, ids=["default", "low-bandwidth"])
def test_the_found_order_under_the_cursor_is_in_reverse_video(
    console: Callable[..., HotlineApp], hl: Any, who: Any, low_bandwidth: bool
) -> None:
    for _ in range(2):
        new_order(hl, who, phone="13800138000")
    app = console("op", low_bandwidth=low_bandwidth)

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await settle(pilot)
        app.find_phone("13800138000")
        await settle(pilot)
        grid = app.screen.query_one("#results", DataTable)
        grid.focus()
        await pilot.press("down")
        await settle(pilot)
        assert grid.row_count == 2
        assert_selection_visible(app, grid)

    drive(app, scenario)


@pytest.mark.parametrize("low_bandwidth", MODES, ids=["default", "low-bandwidth"])
def test_the_knowledge_article_under_the_cursor_is_in_reverse_video(
    console: Callable[..., HotlineApp], hl: Any, who: Any, low_bandwidth: bool
) -> None:
    published(hl, who["adm"])
    published(
        hl, who["adm"], title="营业执照遗失补办", body="营业执照遗失后可在区政务服务中心补办。"
    )
    app = console("op", low_bandwidth=low_bandwidth)

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("f11")
        await settle(pilot)
        await pilot.press(*"yyzz")
        await wait_typing(pilot)
        hits = app.screen.query_one(HitList)
        assert len(hits.hits) == 2
        await pilot.press("enter")  # submitted: the list has the focus
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert hits.highlighted == 1
        assert_selection_visible(app, hits)

    drive(app, scenario)
