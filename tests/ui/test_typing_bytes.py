"""What a keystroke costs on the wire does not grow along the line, in either mode: the partial
repaint of a description starts where the change is, not at the field's left edge. In the
default mode every Chinese character typed re-sent the whole line before it (134 B per character
and growing, measured over a pseudo-terminal)."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.screen import Screen
from textual.widgets import TextArea

from hotline_tui.ui.app import HotlineApp
from tests.ui.conftest import drive, settle

LINE = "楼下餐馆油烟直排噪声也大多次反映一直没有解决希望尽快处理谢谢"


def count_bytes(app: HotlineApp) -> list[int]:
    """A one-item list holding the bytes the app has written so far (a headless app writes
    nothing: each update is rendered as the driver would)."""
    written = [0]
    display = app._display

    def record(screen: Screen[Any], renderable: RenderableType | None) -> None:
        display(screen, renderable)
        if isinstance(renderable, CompositorUpdate) and not app._batch_count:
            with app._context():
                written[0] += len(renderable.render_segments(app.console).encode())

    app._display = record  # type: ignore[method-assign]
    return written


@pytest.mark.parametrize("low_bandwidth", [True, False], ids=["low", "default"])
def test_a_character_at_the_end_of_a_long_line_costs_what_one_at_its_start_does(
    console, who, low_bandwidth
):
    app = console("op", low_bandwidth=low_bandwidth)
    written = count_bytes(app)

    async def scenario(pilot):
        description = app.screen.query_one("#description", TextArea)
        description.focus()
        await settle(pilot)
        sizes = []
        for character in LINE:
            before = written[0]
            await pilot.press(character)
            await pilot.pause()
            sizes.append(written[0] - before)
        assert description.text == LINE
        # Medians: a cursor blink may fall into any keystroke's bytes.
        early, late = statistics.median(sizes[1:8]), statistics.median(sizes[-7:])
        assert late <= early + 12, (early, late, sizes)

    drive(app, scenario)
