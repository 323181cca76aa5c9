"""One knowledge article in the 知识库 mode, and the operator's feedback on it.

``f`` asks for feedback (有用 / 已过时 / 有错误, with a note) in a modal that makes the one service
call itself, so a refusal is shown there and the note typed stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from hotline_tui.ui.i18n import error_text, tr
from hotline_tui.ui.screens.base import ConsoleModal, ConsoleScreen
from hotline_tui.ui.text import content
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.kb_article import ArticlePane
from hotline_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from hotline_tui.services.kb.views import ArticleView, FeedbackView

__all__ = ["FEEDBACK_KINDS", "FeedbackModal", "KbArticleScreen"]

FEEDBACK_KINDS = ("helpful", "outdated", "wrong")


class KbArticleScreen(ConsoleScreen):
    CSS_PATH = "../kb.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", tr("key.back"), id="kb.back"),
        Binding("f", "feedback", tr("key.kb_feedback"), id="kb.feedback"),
    ]

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.view: ArticleView | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(f"{tr('mode.kb')} {self.article_id}")
        yield ArticlePane(id="kb-article")
        yield MessageLine(id="kb-article-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TopBar).user = self.ui.user_label()
        self.query_one(ArticlePane).focus()
        self.reload()

    def wants(self, changes: object) -> bool:
        return False

    def reload(self) -> None:
        article_id = self.article_id
        self.db(
            lambda: self.backend.knowledge.article(article_id),
            self._loaded,
            group="kb-article",
            failed=self._failed,
        )

    def _loaded(self, view: ArticleView) -> None:
        self.view = view
        self.query_one(ArticlePane).show(view)
        self.query_one(MessageLine).show(
            tr(
                "kb.feedback_counts",
                helpful=view.helpful_count,
                outdated=view.outdated_count,
                wrong=view.wrong_count,
            )
        )

    def _failed(self, error: BaseException) -> None:
        self.query_one(MessageLine).show(error_text(error), "error")

    def action_back(self) -> None:
        self.dismiss(None)

    def action_feedback(self) -> None:
        if self.view is None:
            return

        def given(result: FeedbackView | None) -> None:
            if result is not None:
                self.notify(
                    tr("kb.feedback_done", kind=tr(f"fb.{result.kind}")), markup=False, timeout=4
                )
                self.reload()

        self.app.push_screen(FeedbackModal(self.view.id), given)


class FeedbackModal(ConsoleModal["FeedbackView | None"]):
    """有用 / 已过时 / 有错误 and a note: one service call, made here."""

    CSS_PATH = "../kb.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f10", "submit", tr("key.confirm"), id="kb.feedback_submit", priority=True),
        Binding("escape", "cancel", tr("key.cancel"), id="kb.feedback_cancel"),
    ]

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="kb-feedback-box"):
            yield Label(
                content(tr("kb.feedback_title", id=self.article_id)), classes="dialog-title"
            )
            with Horizontal(classes="form-row"):
                yield Label(tr("kb.feedback_kind"), classes="field-label")
                yield Choice([(k, tr(f"fb.{k}")) for k in FEEDBACK_KINDS], id="fb-kind")
            with Horizontal(classes="form-row"):
                yield Label(tr("kb.feedback_note"), classes="field-label")
                yield Input(id="fb-note", compact=True, max_length=1000)
            yield MessageLine(id="fb-message")
            yield Label(
                tr("key.confirm") + ": Ctrl+S / F10   " + tr("key.cancel") + ": Esc", classes="hint"
            )

    def on_mount(self) -> None:
        self.query_one("#fb-kind", Choice).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        kind = self.query_one("#fb-kind", Choice).value
        note = self.query_one("#fb-note", Input).value
        self.busy = True
        article_id = self.article_id
        self.db(
            lambda: self.backend.knowledge.feedback(article_id, kind, note),
            self._given,
            group="kb-feedback",
            failed=self._failed,
        )

    def _given(self, result: FeedbackView) -> None:
        self.dismiss(result)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.query_one(MessageLine).show(error_text(error), "error")

    def action_cancel(self) -> None:
        self.dismiss(None)
