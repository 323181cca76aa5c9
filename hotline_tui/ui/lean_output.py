"""Partial repaints that keep wide characters whole, and (low-bandwidth) start where the dirty
region starts.

A partial update writes, for each dirty span of a line, the pieces of the line the span touches.
Textual crops a piece at the span's right edge; when that edge falls inside a two-column
character (Chinese, most emoji), the cropped half becomes a space, and a space written over half
of a wide character erases the whole character on the terminal, while the other half, outside
the span, is never sent again: the character vanishes (``环境保护/大  污染``). Here every cut is
moved outward to the nearest character boundary, so a wide character is always written whole.

In low-bandwidth mode the piece is also cropped on the left, at the dirty region's first cell
(widened the same way), so a keystroke at the end of a long description costs the same few
dozen bytes wherever it lands; Textual re-sends the piece from its start. The dirty regions that
start inside a widget come from :class:`~hotline_tui.ui.widgets.lean.LeanTextArea` and friends.

It replaces ``textual._compositor.ChopsUpdate.render_segments`` (Textual's private API, pinned
at 8.2.8); :func:`install` checks the shape it expects and leaves Textual alone otherwise, and
``scripts/bench_console.py`` shows the difference if an upgrade changes it. The mode is read
from the running app (``crop_partial_updates``), since one process may run both kinds.
"""

from __future__ import annotations

import inspect
from typing import Any

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from textual import _compositor
from textual._context import active_app
from textual.strip import Strip

__all__ = ["install", "installed", "render_chops", "whole_characters"]

_original = _compositor.ChopsUpdate.render_segments
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
            if strip is None or x > x2 or end <= x1:
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


def _render_segments(self: Any, console: Console) -> str:
    """``ChopsUpdate.render_segments`` keeping wide characters whole (and, for an app that
    asks for it, cropping each piece on the left too)."""
    app = active_app.get(None)
    crop_left = bool(getattr(app, "crop_partial_updates", False))
    return render_chops(self, console, crop_left=crop_left)


def install() -> bool:
    """Replace Textual's partial-update output (once per process); False if Textual changed
    shape."""
    global _installed
    if _installed:
        return True
    try:
        parameters = list(inspect.signature(_original).parameters)
    except (TypeError, ValueError):
        return False
    if parameters != ["self", "console"]:
        return False
    _compositor.ChopsUpdate.render_segments = _render_segments  # type: ignore[method-assign]
    _installed = True
    return True


def installed() -> bool:
    return _installed
