"""The intake's knowledge preview: the articles suggested for the caller's description, the
highlighted one in full, and F10 to answer the call directly from it.

The modal returns the article's id and the version the operator read (the service refuses the
answer if the article changed since); the intake screen makes the one service call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList

from hotline_tui.ui.i18n import error_text, tr
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.widgets.bars import MessageLine
from hotline_tui.ui.widgets.kb_article import ArticlePane
from hotline_tui.ui.widgets.kb_hits import HitList

if TYPE_CHECKING:
    from hotline_tui.services.kb.search import Hit
    from hotline_tui.services.kb.views import ArticleView

__all__ = ["KbPreview"]


class KbPreview(ConsoleModal["tuple[int, int] | None"]):
    """Suggestions and the highlighted article; F10 answers from it, Esc goes back."""

    CSS_PATH = "../kb.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f10", "answer", tr("key.kb_answer"), id="kb.answer", priority=True),
        Binding("escape", "cancel", tr("key.cancel"), id="kb.preview_cancel"),
    ]

    def __init__(self, hits: Sequence[Hit]) -> None:
        super().__init__()
        self.hits = tuple(hits)
        self.view: ArticleView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="kb-preview-box"):
            yield Label(tr("kb.preview_title"), classes="dialog-title")
            yield HitList(id="kb-preview-hits")
            yield ArticlePane(id="kb-preview-article")
            yield MessageLine(id="kb-preview-message")

    def on_mount(self) -> None:
        if not self.hits:
            self.query_one(MessageLine).show(tr("kb.preview_empty"))
            return
        self.query_one(HitList).focus()
        self._load(self.hits[0].article_id)
        self.call_after_refresh(self._show_hits)  # laid out: the snippets fit the width

    def _show_hits(self) -> None:
        self.query_one(HitList).show(self.hits)

    @on(OptionList.OptionHighlighted, "#kb-preview-hits")
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None and (
            self.view is None or self.view.id != int(event.option.id)
        ):
            self._load(int(event.option.id))

    @on(OptionList.OptionSelected, "#kb-preview-hits")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one(ArticlePane).focus()  # Enter: read the article (F10 answers)

    def _load(self, article_id: int) -> None:
        self.db(
            lambda: self.backend.knowledge.article(article_id),
            self._loaded,
            group="kb-preview",
            failed=lambda error: self.query_one(MessageLine).show(error_text(error), "error"),
        )

    def _loaded(self, view: ArticleView) -> None:
        self.view = view
        self.query_one(ArticlePane).show(view)
        self.query_one(MessageLine).show("")

    def action_answer(self) -> None:
        if self.view is not None:
            self.dismiss((self.view.id, self.view.version))

    def action_cancel(self) -> None:
        self.dismiss(None)
