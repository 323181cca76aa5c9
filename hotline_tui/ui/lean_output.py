"""Screen output that keeps wide characters whole, and partial repaints that start where the
dirty region starts.

Textual divides each line of the screen into pieces at every widget's edge ("cuts") and gives
each piece to the front-most widget there. A widget's line is divided at the edges of the
widgets under or over it too, and when such an edge falls inside one of its two-column
characters, both halves become spaces: a pick list dropped over the form showed
``环境保护/大  污染/餐  油烟``, cut by the edges of the fields beneath it. :func:`install` makes the
compositor keep such a character whole: the pieces of one widget around that edge stay one
piece (when nothing in front of it owns either), and the pieces it swallowed stay empty.

A partial update writes, for each dirty span of a line, the pieces of the line the span touches.
Textual crops a piece at the span's right edge; when that edge falls inside a two-column
character (Chinese, most emoji), the cropped half becomes a space, and a space written over half
of a wide character erases the whole character on the terminal, while the other half, outside
the span, is never sent again: the character vanishes (``环境保护/大  污染``). Here every cut is
moved outward to the nearest character boundary, so a wide character is always written whole.

The console (both modes) also crops the piece on the left, at the dirty region's first cell
(widened the same way), so a keystroke at the end of a long description costs the same few
dozen bytes wherever it lands; Textual re-sends the piece from its start. The dirty regions that
start inside a widget come from :class:`~hotline_tui.ui.widgets.lean.LeanTextArea` and friends.

It replaces Textual's ``ChopsUpdate.render_segments`` and ``Compositor._render_chops`` (private
API: the replacement, and the version check that guards it, are
:mod:`hotline_tui.ui.textual_compat`'s); ``scripts/bench_console.py`` shows the difference if an
upgrade changes it. The left crop is asked for by the running app (``crop_partial_updates``),
since one process may run other apps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip

from hotline_tui.ui import textual_compat

__all__ = ["install", "installed", "render_chops", "whole_characters"]

_EMPTY = Strip([])  # a piece whose cells the piece before it writes
_installed = False


def whole_characters(strip: Strip, left: int, right: int) -> tuple[int, int]:
    """``left``/``right`` (cells of ``strip``) moved outward so that neither falls inside a
    character: a wide character the cut would halve is then inside ``[left, right)``."""
    position = 0
    for text, _style, control in strip:
        if control:
            continue
        width = cell_len(text)
        end = position + width
        if end > left and (position < left < end or position < right < end):
            # A cut lands inside this segment: find the characters around it.
            x = position
            for character in text:
                size = get_character_cell_size(character)
                if x < left < x + size:
                    left = x
                if x < right < x + size:
                    right = x + size
                x += size
        position = end
        if position >= right:
            break
    return left, right


def render_chops(update: Any, console: Console, *, crop_left: bool) -> str:
    """The terminal bytes of a ``ChopsUpdate``: each piece of a line that a dirty span touches,
    cut at the span's edges widened to whole characters; from the piece's start unless
    ``crop_left``."""
    sequences: list[str] = []
    append = sequences.append
    chops = update.chops
    chop_ends = update.chop_ends
    last_y = update.spans[-1][0]
    for y, x1, x2 in update.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or not strip.cell_length:
                continue
            end = max(end, x + strip.cell_length)  # a piece kept whole over a cut
            if x > x2 or end <= x1:
                continue
            left = max(x, x1) if crop_left else x
            right = min(end, x2)
            if right <= left:
                continue
            if left > x or right < end:
                left, right = whole_characters(strip, left - x, right - x)
                strip = strip.crop(left, right)
                left += x
            append(Segment(f"\x1b[{y + 1};{left + 1}H").text)
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def _wide_across(strip: Strip, cuts: Sequence[int]) -> set[int]:
    """Those of ``cuts`` (cells of ``strip``) that fall inside a two-column character."""
    found: set[int] = set()
    wanted = set(cuts)
    position = 0
    for text, _style, control in strip:
        if control:
            continue
        for character in text:
            size = get_character_cell_size(character)
            if size == 2 and position + 1 in wanted:
                found.add(position + 1)
            position += size
    return found


def _render_chops(
    self: Any, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[dict[int, Strip | None]]:
    """``Compositor._render_chops``, keeping a widget's wide character whole across a cut."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in textual_compat.get_renders(self, crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            line_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            across = (
                _wide_across(strip, [cut - render_x for cut in line_cuts[1:-1]])
                if len(line_cuts) > 2
                else set()
            )
            # Runs of pieces joined by the cuts a wide character lies across.
            groups: list[list[int]] = [[line_cuts[0]]]
            for cut in line_cuts[1:-1]:
                if cut - render_x in across:
                    groups[-1].append(cut)
                else:
                    groups.append([cut])
            bounds = [group[0] for group in groups] + [line_cuts[-1]]
            pieces = strip.divide([bound - render_x for bound in bounds[1:]])
            for group, piece in zip(groups, pieces, strict=False):
                _place_run(line, group, piece)
    return chops


def _place_run(line: dict[int, Strip | None], group: list[int], piece: Strip) -> None:
    """Give ``piece`` (the cells from ``group[0]`` to the run's end) to the cuts of ``group``
    that nothing in front owns yet.

    The cuts inside the run lie across wide characters. Each stretch of cuts not owned by a
    widget in front gets its cells as one piece (the first cut holds it, the others stay empty),
    so a character is halved only where a widget in front really hides half of it; a character
    beside that one, in the same run, stays whole.
    """
    start = group[0]
    end = start + piece.cell_length
    index = 0
    while index < len(group):
        if line.get(group[index]) is not None:
            index += 1  # owned by a widget in front
            continue
        first = index
        while index + 1 < len(group) and line.get(group[index + 1]) is None:
            index += 1
        stop = group[index + 1] if index + 1 < len(group) else end
        line[group[first]] = piece.crop(group[first] - start, stop - start)
        for cut in group[first + 1 : index + 1]:
            line[cut] = _EMPTY
        index += 1


def _render_segments(self: Any, console: Console) -> str:
    """``ChopsUpdate.render_segments`` keeping wide characters whole (and, for an app that
    asks for it, cropping each piece on the left too)."""
    app = textual_compat.current_app()
    crop_left = bool(getattr(app, "crop_partial_updates", False))
    return render_chops(self, console, crop_left=crop_left)


def install() -> bool:
    """Replace Textual's partial-update output (once per process); False if this Textual is not
    the one it was verified against (Textual's own output is kept)."""
    global _installed
    _installed = textual_compat.replace_compositor_output(_render_segments, _render_chops)
    return _installed


def installed() -> bool:
    return _installed
