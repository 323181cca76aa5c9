"""知识库: search the standard answers, read one, say whether it helped.

Typing searches as you go (debounced, in a worker, not logged); Enter submits the search (a
submitted search that finds nothing is a knowledge gap for ``hotline kb gaps``: the service logs
it) and moves to the results; Enter on a result opens the article. Operators are offered only
published articles in effect (the service filters by role). Typing in the results types in the
query, as in every search's results. The index opens in the background when the mode is first
shown; a search made before that waits for it in its worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.kb_hits import HitList
from hotline_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from hotline_tui.services.kb.search import Results

__all__ = ["KbScreen"]

TYPE_DELAY = 0.3  # as-you-type searches wait for a pause this long


class KbScreen(ConsoleScreen):
    CSS_PATH = "../kb.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "search", tr("key.kb_search"), id="kb.search"),
        Binding("escape", "focus_query", tr("key.back"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._timer: Timer | None = None
        self._shown = ""  # the query whose results are on screen

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.kb"))
        with Horizontal(classes="form-row"):
            yield Label(tr("kb.query"), classes="field-label")
            yield Input(
                id="kb-query", compact=True, max_length=200, placeholder=tr("kb.placeholder")
            )
        yield HitList(id="kb-hits", type_back=lambda: self.query_one("#kb-query", Input))
        yield MessageLine(id="kb-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.ui.register_live(self)
        self.query_one("#kb-query", Input).focus()
        if self.ui.actor is not None:
            self.session_ready()

    def session_ready(self) -> None:
        self.query_one(TopBar).user = self.ui.user_label()
        # Open jieba and the index now, in their own thread: the first search should not wait.
        self.db(self.backend.knowledge.start, group="kb-start")

    @property
    def pending(self) -> bool:
        """A search is waiting for the typing to pause (tests wait for it)."""
        return self._timer is not None

    def wants(self, changes: object) -> bool:
        return False  # the index follows the change feed by itself

    # ------------------------------------------------------------------ searching

    @on(Input.Changed, "#kb-query")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        if not event.value.strip():
            return
        self._timer = self.set_timer(TYPE_DELAY, lambda: self._search(submitted=False))

    @on(Input.Submitted, "#kb-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_search()

    def action_search(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._search(submitted=True)

    def _search(self, *, submitted: bool) -> None:
        self._timer = None
        if self.ui.actor is None:
            return
        text = self.query_one("#kb-query", Input).value.strip()
        if not text:
            return
        if not self.backend.knowledge.ready:
            self.query_one(MessageLine).show(tr("kb.loading"))
        self.db(
            lambda: self.backend.knowledge.search(text, submitted=submitted),
            lambda results: self._show(results, submitted),
            group="kb-search",
        )

    def _show(self, results: Results, submitted: bool) -> None:
        message = self.query_one(MessageLine)
        self.query_one(HitList).show(results.hits)
        self._shown = results.query
        if not results.hits:
            message.show(tr("kb.none_logged" if submitted else "kb.none"))
            return
        message.show(tr("kb.found", n=results.total))
        if submitted:
            self.query_one(HitList).focus()

    # ------------------------------------------------------------------ reading

    @on(OptionList.OptionSelected, "#kb-hits")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            from hotline_tui.ui.screens.kb_article import KbArticleScreen

            self.app.push_screen(KbArticleScreen(int(event.option.id)))

    def action_focus_query(self) -> None:
        self.query_one("#kb-query", Input).focus()
