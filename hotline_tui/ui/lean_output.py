"""Low-bandwidth output: a partial repaint starts where its dirty region starts.

Textual writes a partial update from the start of each widget's piece of the line up to the end
of the dirty region, so typing at the end of a long description re-sends the whole row before
the cursor. :func:`install` makes the terminal writer crop on the left too (at the dirty
region's first cell), so a keystroke costs the same few dozen bytes wherever it lands. The
dirty regions that start inside a widget come from :class:`~hotline_tui.ui.widgets.lean.
LeanTextArea` and always start on a character boundary.

It replaces ``textual._compositor.ChopsUpdate.render_segments`` (Textual's private API, pinned
at 8.2.8); :func:`install` checks the shape it expects and leaves Textual alone otherwise, and
``scripts/bench_console.py`` shows the difference if an upgrade changes it.
"""

from __future__ import annotations

import inspect
from typing import Any

from rich.console import Console
from rich.segment import Segment
from textual import _compositor

__all__ = ["install", "installed"]

_original = _compositor.ChopsUpdate.render_segments
_installed = False


def _render_segments(self: Any, console: Console) -> str:
    """``ChopsUpdate.render_segments``, cropping each piece to the span on both sides."""
    sequences: list[str] = []
    append = sequences.append
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            left = max(x, x1)
            if left > x or end > x2:
                strip = strip.crop(left - x, min(end, x2) - x)
            append(Segment(f"\x1b[{y + 1};{left + 1}H").text)
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def install() -> bool:
    """Crop partial updates on the left (once per process); False if Textual changed shape."""
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
