"""Chinese characters vanished from the screen: a partial repaint whose region started or ended
inside a two-column character wrote a space over half of it, and the terminal erased the whole
character (``环境保护/大  污染/餐  油烟``). Whatever regions a repaint covers, the terminal must end
up showing what a full repaint shows, in both output modes."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from hotline_tui.ui.lean_output import render_chops, whole_characters
from tests.ui.terminal_screen import Terminal

WIDTH, HEIGHT = 24, 3
CHARACTERS = "ab 1/-.环境保护大气污染餐饮油烟队回访，：😀📞●…"
STYLES = [Style(), Style(bold=True), Style(color="red"), Style(reverse=True)]

runs = st.lists(
    st.tuples(st.text(alphabet=CHARACTERS, min_size=1, max_size=6), st.sampled_from(STYLES)),
    max_size=6,
)


def strip_of(pieces: list[tuple[str, Style]]) -> Strip:
    return Strip([Segment(text, style) for text, style in pieces]).crop_extend(0, WIDTH, None)


def cells(strip: Strip) -> list[tuple[str, int, Style | None]]:
    """The line as the terminal holds it: (character, which half, style) per column."""
    out: list[tuple[str, int, Style | None]] = []
    for text, style, _control in strip:
        for character in text:
            out.extend(
                (character, half, style) for half in range(get_character_cell_size(character))
            )
    return out


def chopped(lines: list[Strip], cuts: list[list[int]]) -> list[dict[int, Strip]]:
    """Each line divided at its widgets' edges, as the compositor divides it."""
    return [
        dict(zip(line_cuts[:-1], line.divide(line_cuts[1:]), strict=True))
        for line, line_cuts in zip(lines, cuts, strict=True)
    ]


def console() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=WIDTH)


def full_repaint(chops: list[dict[int, Strip]]) -> Terminal:
    terminal = Terminal(WIDTH, HEIGHT)
    update = LayoutUpdate([list(chop.values()) for chop in chops], Region(0, 0, WIDTH, HEIGHT))
    terminal.feed(update.render_segments(console()))
    return terminal


@st.composite
def repaints(draw: st.DrawFn) -> tuple[list[Strip], list[Strip], list[list[int]], list[Region]]:
    old = [strip_of(draw(runs)) for _ in range(HEIGHT)]
    new = []
    for line in old:
        kind = draw(st.sampled_from(["same", "edit", "other"]))
        if kind == "same":
            new.append(line)
        elif kind == "other":
            new.append(strip_of(draw(runs)))
        else:  # text typed or deleted somewhere in the line: the rest shifts
            at = draw(st.integers(0, WIDTH))
            gone = draw(st.integers(0, 4))
            typed = draw(runs)
            head, tail = line.crop(0, at), line.crop(min(WIDTH, at + gone), WIDTH)
            pieces = [*head, *(Segment(t, s) for t, s in typed), *tail]
            new.append(Strip(pieces).crop_extend(0, WIDTH, None))
    cuts = [
        sorted({0, WIDTH, *draw(st.sets(st.integers(1, WIDTH - 1), max_size=3))})
        for _ in range(HEIGHT)
    ]
    extra = draw(
        st.lists(
            st.tuples(st.integers(0, WIDTH - 1), st.integers(0, HEIGHT - 1), st.integers(1, 8)),
            max_size=4,
        )
    )
    regions = [Region(x, y, min(w, WIDTH - x), 1) for x, y, w in extra]
    return old, new, cuts, regions


@settings(max_examples=300, deadline=None)
@given(repaints(), st.booleans())
def test_a_partial_repaint_leaves_the_screen_a_full_repaint_would(case, crop_left):
    old, new, cuts, extra = case
    old_chops, new_chops = chopped(old, cuts), chopped(new, cuts)
    # The regions Textual marks dirty cover at least every cell that changed; any other region
    # (a cursor, a neighbour's repaint) may come on top, starting or ending anywhere.
    regions = list(extra)
    for y in range(HEIGHT):
        before = cells(Strip.join(old_chops[y].values()))
        after = cells(Strip.join(new_chops[y].values()))
        regions += [Region(x, y, 1, 1) for x in range(WIDTH) if before[x] != after[x]]
    terminal = full_repaint(old_chops)
    if regions:
        spans = list(Compositor._regions_to_spans(regions))
        update = ChopsUpdate(new_chops, spans, [line_cuts[1:] for line_cuts in cuts])
        terminal.feed(render_chops(update, console(), crop_left=crop_left))
    expected = full_repaint(new_chops)
    assert terminal.rows == expected.rows
    assert terminal.cells == expected.cells


def test_a_cut_inside_a_wide_character_moves_to_its_edges():
    strip = Strip([Segment("ab"), Segment("环境", Style(bold=True)), Segment("c😀")])
    assert whole_characters(strip, 3, 5) == (2, 6)  # 环 from 2, 境 to 6
    assert whole_characters(strip, 2, 6) == (2, 6)  # already whole
    assert whole_characters(strip, 0, 8) == (0, 9)  # into the emoji
    assert whole_characters(strip, 1, 2) == (1, 2)
