"""Bracketed pastes that arrive whole, in order, without control characters.

A terminal sends a paste between ``ESC [200~`` and ``ESC [201~``. Textual's input parser takes
an ESC inside the paste for the start of an escape sequence: it stops collecting the paste
there, sends everything after it as key presses (the ESC itself as ``^``, a BEL as Ctrl+G, which
may fire a binding) and only then the text before it as the paste, so a paste ``第一段 ESC 第二段``
was stored as ``^第二段第一段``. :class:`PasteFilter` sits in front of the parser and removes the
control characters from a paste's content (everything :func:`~hotline_tui.domain.text.clean_paste`
removes; tab and line breaks stay), so the parser only ever sees text between the two markers,
however the terminal's reads split them.

:func:`install` makes the Linux drivers use :class:`PasteSafeParser` (a subclass of Textual's
private ``XTermParser``, replaced through :mod:`hotline_tui.ui.textual_compat`, which checks the
version and leaves Textual alone on another). The app also passes pastes through its key queue,
so a paste lands after the keys typed before it (see :mod:`hotline_tui.ui.typeahead`).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.message import Message

from hotline_tui.domain.text import clean_paste
from hotline_tui.ui.textual_compat import (
    BRACKETED_PASTE_END,
    BRACKETED_PASTE_START,
    XTermParser,
    replace_terminal_parser,
)

__all__ = ["PasteFilter", "PasteSafeParser", "install"]

START = BRACKETED_PASTE_START
END = BRACKETED_PASTE_END


class PasteFilter:
    """Terminal input in, the same input out with control characters removed inside pastes."""

    def __init__(self) -> None:
        self.pasting = False
        self._matched = 0  # characters of the marker being looked for matched so far
        self._held = ""  # inside a paste: what may be the start of the end marker

    def feed(self, data: str) -> str:
        out: list[str] = []
        for character in data:
            if not self.pasting:
                out.append(character)
                self._matched = _advance(START, self._matched, character)
                if self._matched == len(START):
                    self.pasting, self._matched = True, 0
                continue
            self._inside(character, out)
        return "".join(out)

    def _inside(self, character: str, out: list[str]) -> None:
        if character == END[len(self._held)]:
            self._held += character
            if self._held == END:
                out.append(END)
                self.pasting, self._held = False, ""
            return
        # Not the end marker after all: what was held is content (its ESC goes), and this
        # character may begin the marker anew.
        held, self._held = self._held, ""
        out.append(_content(held))
        if character == END[0]:
            self._held = character
        else:
            out.append(_content(character))


def _content(text: str) -> str:
    """``text`` without the characters a paste loses; a carriage return stays for now (it may
    be half of a CRLF, which the app turns into one line break)."""
    return "".join(c for c in text if c == "\r" or clean_paste(c) == c)


def _advance(marker: str, matched: int, character: str) -> int:
    """How much of ``marker`` is matched after ``character`` (markers start with their only
    ESC, so a mismatch restarts at 0, or at 1 on an ESC)."""
    if character == marker[matched]:
        return matched + 1
    return 1 if character == marker[0] else 0


class PasteSafeParser(XTermParser):
    """Textual's terminal input parser behind a :class:`PasteFilter`."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._paste_filter = PasteFilter()

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            return super().feed(data)  # the end of input
        filtered = self._paste_filter.feed(data)
        # A read that held back only a possible end marker gives nothing yet; "" would mean
        # the end of input to the parser.
        return super().feed(filtered) if filtered else []


def install() -> bool:
    """Use :class:`PasteSafeParser` in the Linux drivers; False if this Textual is not the one it
    was verified against (Textual's own parser is kept)."""
    return replace_terminal_parser(PasteSafeParser)
