"""The one way the console turns stored data into something a widget shows.

Stored text is data, never markup (DESIGN.md §6): :func:`content` and :func:`rich` build a
Textual ``Content`` / Rich ``Text`` from the *plain* string, so ``[@click=app.quit]x[/]`` shows
as typed, and :func:`plain` removes every control character first (C0 except newline and tab,
ESC, DEL, C1, bidi overrides), so an escape sequence such as ``\\x1b]52;…`` or ``\\x1b[2J`` never
reaches the terminal even if something unclean got into the database. Every widget that shows
stored text (tables, lists, labels, notifications, the timeline, inputs being filled) goes
through here.

Also: local times (in the display zone, :mod:`hotline_tui.domain.display_time`) and cell-width
padding for CJK columns.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

from hotline_tui.domain.display_time import local_time, short_time

__all__ = [
    "clip",
    "content",
    "fit",
    "local_time",
    "plain",
    "rich",
    "short_time",
]

# C0 except tab and newline, ESC among them; DEL; C1 (CSI and OSC introducers among them); the
# bidi controls and invisible characters that make a terminal show text in another order.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")


def plain(value: object, *, single_line: bool = False) -> str:
    """``value`` as a string without control characters (and on one line if asked)."""
    if value is None:
        return ""
    text = _LINE_BREAKS.sub("\n", str(value))
    text = _UNSAFE.sub("", text).replace("\t", " ")
    if single_line:
        text = " ".join(text.split("\n"))
    return text


def content(value: object, style: str = "", *, single_line: bool = False) -> Content:
    """A Textual ``Content`` of the plain text (markup is not parsed)."""
    body = Content(plain(value, single_line=single_line))
    return body.stylize(style) if style and body else body


def rich(value: object, style: str = "", *, single_line: bool = True) -> Text:
    """A Rich ``Text`` of the plain text (for DataTable cells and OptionList prompts)."""
    return Text(plain(value, single_line=single_line), style=style, no_wrap=single_line)


def clip(value: object, width: int) -> str:
    """Plain single-line text cut to ``width`` terminal cells (CJK counts two), with an ellipsis."""
    text = plain(value, single_line=True)
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def fit(value: object, width: int) -> str:
    """:func:`clip` padded with spaces to exactly ``width`` cells (CJK columns line up)."""
    text = clip(value, width)
    return text + " " * max(0, width - cell_len(text))
