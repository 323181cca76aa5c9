"""Knowledge-base hits on screen: highlighted snippets and the result list (the intake's
one-line suggestions are in :mod:`hotline_tui.ui.widgets.kb_line`).

The index hands back snippets as plain-text spans (``Span(text, hit)``); they become styled
``Content`` here, each piece through :func:`~hotline_tui.ui.text.plain`, so an article's text is
never read as markup and its control characters never reach the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Input
from textual.widgets.option_list import Option

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.text import clip, plain
from hotline_tui.ui.widgets.selection import SelectList
from hotline_tui.ui.widgets.typeback import TypeBack

if TYPE_CHECKING:
    from hotline_tui.services.kb.search import Hit, Span

__all__ = ["HIT_STYLE", "HitList", "spans_content"]

HIT_STYLE = "bold yellow"  # one of the 16 ANSI colours: the same in low-bandwidth mode


def spans_content(
    spans: Iterable[Span], *, width: int | None = None, style: str = "", hit: str = HIT_STYLE
) -> Content:
    """The spans on one line, the query's terms in ``hit`` style, cut to ``width`` cells."""
    parts: list[tuple[str, str]] = []
    used = 0
    for span in spans:
        text = plain(span.text, single_line=True)
        if width is not None:
            room = width - used
            if room <= 0:
                break
            if cell_len(text) > room:
                text = clip(text.rstrip("…"), room)
        used += cell_len(text)
        if text:
            parts.append((text, hit if span.hit else style))
    return Content.assemble(*parts)


def hit_title(hit: Hit, width: int | None = None) -> Content:
    if hit.title_spans:
        return spans_content(hit.title_spans, width=width, style="bold")
    if hit.title:
        return Content(clip(hit.title, width) if width else plain(hit.title, single_line=True))
    return Content(tr("kb.untitled")).stylize("dim")


def hit_prompt(hit: Hit, width: int) -> Content:
    """Two lines: the title (and owner), then the snippet, both cut to ``width``."""
    title = hit_title(hit, width)
    owner = plain(hit.owner, single_line=True)
    room = width - title.cell_length - 3
    if owner and room > 4:
        title = Content.assemble(title, (" · " + clip(owner, room), "dim"))
    snippet = spans_content(hit.snippet, width=max(8, width - 3), style="dim")
    return Content.assemble(title, "\n  ", snippet)


class HitList(TypeBack, SelectList):
    """Search results, two lines each; the option ids are the article ids. With ``type_back``
    (the query field) what is typed here goes back to the query
    (:mod:`hotline_tui.ui.widgets.typeback`)."""

    DEFAULT_CSS = """
    HitList { height: 1fr; border: none; padding: 0; }
    """

    def __init__(
        self, *, id: str | None = None, type_back: Callable[[], Input] | None = None
    ) -> None:
        super().__init__(id=id, compact=True)
        self.type_back = type_back
        self.hits: tuple[Hit, ...] = ()

    def show(self, hits: Sequence[Hit]) -> None:
        self.hits = tuple(hits)
        # Cut to the width the list has (once laid out; before that, an 80-column screen's).
        width = max(20, (self.scrollable_content_region.width or 76) - 1)
        self.set_options(
            [Option(hit_prompt(hit, width), id=str(hit.article_id)) for hit in self.hits]
        )
        if self.hits:
            self.highlighted = 0

    @property
    def current(self) -> Hit | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.hits):
            return None
        return self.hits[index]
