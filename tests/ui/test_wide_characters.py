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

from hotline_tui.ui.lean_output import _render_chops, render_chops, whole_characters
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


def render_chops_of(screen: Layers, crop: Region) -> list[dict[int, Strip]]:
    """The console's compositor step (lines divided at the cuts) over ``screen``."""
    return [
        {x: strip or Strip([]) for x, strip in line.items()}
        for line in _render_chops(screen, crop, lambda y: True)
    ]


class Layers:
    """A compositor's inputs without an app: widgets (front first) as regions and their lines;
    the cuts are every widget's edges on each line, as Textual computes them."""

    def __init__(self, widgets: list[tuple[Region, list[Strip]]]) -> None:
        self.widgets = widgets
        cuts = [{0, WIDTH} for _ in range(HEIGHT)]
        for region, _lines in widgets:
            for y in region.line_range:
                cuts[y] |= {region.x, region.right}
        self.cuts = [sorted(line_cuts) for line_cuts in cuts]

    def _get_renders(self, crop: Region) -> list[tuple[Region, Region, list[Strip]]]:
        return [(region, region, lines) for region, lines in self.widgets if crop.overlaps(region)]


def painted(widgets: list[tuple[Region, list[Strip]]]) -> list[str]:
    """What a terminal shows when each widget is drawn whole, back to front: a character is
    lost only where a widget in front covers part of it."""
    terminal = Terminal(WIDTH, HEIGHT)
    for region, lines in reversed(widgets):
        for y, line in zip(region.line_range, lines, strict=False):
            terminal.feed(f"\x1b[{y + 1};{region.x + 1}H" + "".join(s.text for s in line))
    return terminal.rows


@st.composite
def layers(draw: st.DrawFn) -> list[tuple[Region, list[Strip]]]:
    widgets = [(Region(0, 0, WIDTH, HEIGHT), [strip_of(draw(runs)) for _ in range(HEIGHT)])]
    for _ in range(draw(st.integers(0, 4))):  # fields, labels, a pick list over them
        x, y = draw(st.integers(0, WIDTH - 1)), draw(st.integers(0, HEIGHT - 1))
        width = draw(st.integers(1, WIDTH - x))
        height = draw(st.integers(1, HEIGHT - y))
        lines = [
            Strip([Segment(t, s) for t, s in draw(runs)]).crop_extend(0, width, None)
            for _ in range(height)
        ]
        widgets.insert(0, (Region(x, y, width, height), lines))  # the newest is in front
    return widgets


# Derandomised: a random run once found the case below, which is not fixed yet; the suite must
# not pass or fail by chance. That case stands on its own as a known failure until it is fixed.
@settings(max_examples=300, deadline=None, derandomize=True)
@given(layers(), st.lists(st.tuples(st.integers(0, WIDTH - 1), st.integers(0, HEIGHT - 1))))
def test_a_widget_over_others_keeps_its_wide_characters_whole(widgets, repainted):
    """Cuts at the edges of the widgets beneath a pick list fell inside its characters."""
    screen = Layers(widgets)
    everything = Region(0, 0, WIDTH, HEIGHT)
    chops = render_chops_of(screen, everything)
    terminal = full_repaint(chops)
    assert terminal.rows == painted(widgets)
    # Repainting cells anywhere (here: single cells, the narrowest region) changes nothing.
    if repainted:
        regions = [Region(x, y, 1, 1) for x, y in repainted]
        spans = list(Compositor._regions_to_spans(regions))
        update = ChopsUpdate(chops, spans, [line_cuts[1:] for line_cuts in screen.cuts])
        for crop_left in (False, True):
            terminal.feed(render_chops(update, console(), crop_left=crop_left))
            assert terminal.cells == full_repaint(chops).cells


def test_a_one_column_widget_over_half_a_wide_character_leaves_its_neighbour_whole():
    widgets = [
        (Region(12, 1, 1, 1), [Strip([Segment(" ")], 1)]),
        (
            Region(8, 0, 5, 2),
            [
                Strip([Segment("     ")], 5),
                Strip([Segment("保", Style()), Segment("1保", Style())], 5),
            ],
        ),
        (Region(0, 0, 9, 2), [Strip([Segment(" " * 9)], 9), Strip([Segment(" " * 9)], 9)]),
        (Region(0, 0, WIDTH, 3), [Strip([Segment(" " * WIDTH)], WIDTH)] * 3),
    ]
    chops = render_chops_of(Layers(widgets), Region(0, 0, WIDTH, HEIGHT))
    assert full_repaint(chops).rows == painted(widgets)
