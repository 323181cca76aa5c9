"""The intake's knowledge line: the titles of the articles that match the description so far.

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
    from hotline_tui.services.kb_search import Hit

__all__ = ["LEAN_CELLS", "SuggestLine"]

MARKS = "123"  # ASCII: circled digits are of ambiguous width in terminals
LEAN_CELLS = 48  # the line's width in low-bandwidth mode


class SuggestLine(StillLine):
    """One line under the intake description: the titles of the articles that match it.

    It keeps its one row whether it shows anything or not (a line that came and went would move
    the form below it, a repaint of half the screen), repaints only when its text changes, and
    then only from the first cell that changed. In low-bandwidth mode it shows the best title
    only, in :data:`LEAN_CELLS` cells and one style run: a change costs about a hundred bytes.
    """

    DEFAULT_CSS = """
    SuggestLine { height: 1; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.hits: tuple[Hit, ...] = ()

    def show(self, hits: Sequence[Hit]) -> None:
        self.hits = tuple(hits[: len(MARKS)])
        label = tr("intake.kb_line")
        if not self.hits:
            self.set_content(Content(""), partial=True)
            return
        titles = [plain(hit.title, single_line=True) or tr("kb.untitled") for hit in self.hits]
        if self.app.has_class("-low-bandwidth"):
            # The best title, readable, and how many more F9 shows: few cells, one style run.
            more = tr("intake.kb_more", n=len(titles) - 1) if len(titles) > 1 else ""
            room = LEAN_CELLS - cell_len(label) - cell_len(more)
            self.set_content(Content(label + clip(titles[0], room) + more), partial=True)
            return
        width = max(20, self.size.width or 66)
        share = max(6, (width - cell_len(label)) // len(titles))
        line = " ".join(
            f"{MARKS[index]}.{clip(title, share - 3)}" for index, title in enumerate(titles)
        )
        self.set_content(Content.assemble((label, "dim"), line), partial=True)
