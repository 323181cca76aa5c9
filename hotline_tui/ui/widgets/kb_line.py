"""The intake's knowledge line: the titles of the articles that match the description so far,
after the count of orders the call may repeat (可能重复：N) when there are any.

Kept apart from the result list (:mod:`hotline_tui.ui.widgets.kb_hits`) so the intake form, the
first paint, imports no more than it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.text import clip, plain
from hotline_tui.ui.widgets.still import StillLine

if TYPE_CHECKING:
    from hotline_tui.services.kb.search import Hit

__all__ = ["SuggestLine", "shares"]

MARKS = "123"  # ASCII: circled digits are of ambiguous width in terminals


def shares(needs: Sequence[int], room: int) -> list[int]:
    """Cells for each of ``needs`` in ``room``: each gets what it needs if all fit; otherwise
    the short ones keep theirs and the long ones share the rest equally (so a title is never cut
    while the line has room left)."""
    if sum(needs) <= room:
        return list(needs)
    given = [0] * len(needs)
    left, open_ = room, sorted(range(len(needs)), key=lambda i: needs[i])
    while open_:
        fair = left // len(open_)
        index = open_[0]
        if needs[index] > fair:
            for i in open_:
                given[i] = fair
            break
        given[index] = needs[index]
        left -= needs[index]
        open_.pop(0)
    return given


class SuggestLine(StillLine):
    """One line under the intake description: the titles of the articles that match it.

    It keeps its one row whether it shows anything or not (a line that came and went would move
    the form below it, a repaint of half the screen), repaints only when its text changes, and
    then only from the first cell that changed. In low-bandwidth mode it shows the best title
    only, in one style run. The titles use the line's whole width (keeping wide characters
    whole): the cells a title does not need cost nothing to send.
    """

    DEFAULT_CSS = """
    SuggestLine { height: 1; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.hits: tuple[Hit, ...] = ()
        self.duplicates = ""  # 可能重复：N (…), first on the line; "" when none
        # Low-bandwidth mode: the intake's suggestions (screens/intake_nlp) before all that.
        self.suggestion = ""

    def show_duplicates(self, text: str) -> None:
        """The near-duplicate count before the titles (a short text; "" for none)."""
        self.duplicates = text
        self.show(self.hits)

    def show_suggestion(self, text: str) -> None:
        """The suggested type, category and department, first on the line ("" for none)."""
        self.suggestion = text
        self.show(self.hits)

    def show(self, hits: Sequence[Hit]) -> None:
        self.hits = tuple(hits[: len(MARKS)])
        label = tr("intake.kb_line")
        dups = self.suggestion + self.duplicates
        lean = self.app.has_class("-low-bandwidth")
        if not self.hits:
            self.set_content(Content(dups) if lean else Content.styled(dups, "bold"), partial=True)
            return
        titles = [plain(hit.title, single_line=True) or tr("kb.untitled") for hit in self.hits]
        width = max(20, self.size.width or 66) - cell_len(dups)
        if lean:
            # The best title, readable, and how many more F9 shows: one style run.
            more = tr("intake.kb_more", n=len(titles) - 1) if len(titles) > 1 else ""
            room = width - cell_len(label) - cell_len(more)
            self.set_content(Content(dups + label + clip(titles[0], room) + more), partial=True)
            return
        # Each title after "1." and before the space that parts it from the next: 3 cells.
        room = width - cell_len(label) - 3 * len(titles)
        cells = shares([cell_len(title) for title in titles], max(3 * len(titles), room))
        line = " ".join(
            f"{MARKS[index]}.{clip(title, cells[index])}" for index, title in enumerate(titles)
        )
        self.set_content(Content.assemble((dups, "bold"), (label, "dim"), line), partial=True)
