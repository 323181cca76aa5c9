"""The 统计 mode's drawing by hand, on hand-computed vectors: sparklines with gaps, the five
heat levels and their legend ranges, cells padded to their display width with Chinese text."""

from __future__ import annotations

import pytest
from wcwidth import wcswidth

from hotline_tui.ui.stats_draw import (
    Cell,
    level,
    level_ranges,
    line_text,
    line_width,
    pad,
    sparkline,
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0.0, 0.5, 1.0], "▁▅█"),  # 0.5 of 7 steps rounds to 4: ▅
        ([None, 2.0, None, 4.0], " ▁ █"),  # a missing period is a gap
        ([3.0, 3.0], "▄▄"),  # all equal: the middle block
        ([None, None], "  "),
        ([], ""),
        ([0.2, 0.3, 0.9], "▁▂█"),  # (0.3-0.2)/0.7*7 = 1
    ],
)
def test_sparkline(values, expected):
    assert sparkline(values) == expected


@pytest.mark.parametrize(
    ("count", "top", "expected"),
    [(0, 10, 0), (1, 10, 1), (2, 10, 1), (3, 10, 2), (8, 10, 4), (9, 10, 5), (10, 10, 5),
     (1, 1, 5), (5, 0, 0), (1, 3, 2)],
)  # fmt: skip
def test_level_by_fifths_of_the_largest(count, top, expected):
    assert level(count, top) == expected


def test_legend_ranges_cover_every_count_once():
    assert level_ranges(10) == [(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8), (5, 9, 10)]
    assert level_ranges(3) == [(2, 1, 1), (4, 2, 2), (5, 3, 3)]  # levels no count reaches: none
    for top in range(1, 60):
        for count in range(1, top + 1):
            (k,) = [k for k, low, high in level_ranges(top) if low <= count <= high]
            assert k == level(count, top)


def test_cells_pad_to_their_display_width_with_chinese_text():
    assert pad("东湖", 6, ">") == "  东湖"
    assert pad("市场监管", 5) == "市场…"  # cut whole, with an ellipsis: 4 + 1 cells
    assert pad("区", 4, "^") == " 区 "
    row = (Cell("满意率（仅满意）", 16), Cell("100.0%", 7, ">"), Cell("达标", 4))
    assert wcswidth(line_text(row)) == line_width(row) == 29
