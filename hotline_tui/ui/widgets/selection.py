"""An option list whose selected row is in reverse video, so it reads on any 16-colour or
monochrome terminal (the pickers' drop-downs, the knowledge hits; the command palette's list
uses :func:`mark_selected`).

The stylesheet gives the row the plain text and background colours (``console.tcss``); the
reverse attribute is added here because Textual's option list builds its row style from the
stylesheet without ``reverse`` (its visual style keeps bold, dim, italic, underline and strike
only). Tables take ``text-style: reverse`` from the stylesheet as it is.
"""

from __future__ import annotations

from rich.style import Style
from textual.strip import Strip
from textual.widgets import OptionList

from hotline_tui.ui.textual_compat import option_lines

__all__ = ["SELECTED", "SelectList", "mark_selected"]

SELECTED = Style(reverse=True, bold=True)


def mark_selected(options: OptionList, y: int, strip: Strip) -> Strip:
    """``strip`` (line ``y`` of ``options`` on screen), reversed if it shows the highlighted
    option."""
    line = options.scroll_offset.y + y
    # What ``OptionList.render_line`` itself reads: (option index, line of the option).
    lines = option_lines(options)
    chosen = options.highlighted
    if chosen is not None and 0 <= line < len(lines) and lines[line][0] == chosen:
        return strip.apply_style(SELECTED)
    return strip


class SelectList(OptionList):
    """An :class:`OptionList` with the highlighted option in reverse video."""

    def render_line(self, y: int) -> Strip:
        return mark_selected(self, y, super().render_line(y))
