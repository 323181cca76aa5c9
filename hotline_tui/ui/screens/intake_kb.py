"""The intake's knowledge suggestions: articles that follow what the operator types into the
description, their preview (F9), and answering the call directly from one.

Typing never waits for them: a search starts only after a pause (:data:`SUGGEST_DELAY`), in a
worker that supersedes the previous one, and is not logged as a knowledge gap. The one line
under the description repaints only when the titles it shows change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hotline_tui.ui.i18n import state_name, tr
from hotline_tui.ui.widgets.bars import MessageLine
from hotline_tui.ui.widgets.kb_line import SuggestLine

if TYPE_CHECKING:
    from textual.timer import Timer

    from hotline_tui.services.kb.search import Hit, Results
    from hotline_tui.services.tickets.intake import Registered
    from hotline_tui.ui.screens.intake import IntakeScreen

__all__ = ["MIN_CHARS", "SUGGEST_DELAY", "IntakeKnowledge"]

SUGGEST_DELAY = 0.5  # seconds of pause in the typing before suggestions are searched
MIN_CHARS = 2


class IntakeKnowledge:
    """The knowledge part of one intake screen."""

    def __init__(self, screen: IntakeScreen) -> None:
        self.screen = screen
        self._timer: Timer | None = None
        self._asked = ""  # the description the last search was for

    @property
    def pending(self) -> bool:
        """A search is waiting for the typing to pause (tests wait for it)."""
        return self._timer is not None

    @property
    def line(self) -> SuggestLine:
        return self.screen.query_one("#kb-suggest", SuggestLine)

    def typed(self, description: str) -> None:
        """The description changed: search again after a pause (if it changed in substance)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = " ".join(description.split())
        if len(text) < MIN_CHARS:
            self._asked = ""
            self.line.show(())
            return
        if text == self._asked or self.screen.ui.actor is None:
            return
        self._timer = self.screen.set_timer(SUGGEST_DELAY, lambda: self._search(text))

    def _search(self, text: str) -> None:
        self._timer = None
        self._asked = text
        self.screen.db(
            lambda: self.screen.backend.knowledge.suggest(text),
            self._found,
            group="kb-suggest",
            failed=lambda _error: None,  # logged; suggestions are a help, not a step
        )

    def _found(self, results: Results) -> None:
        self.line.show(results.hits)

    def clear(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._asked = ""
        self.line.show(())

    # ------------------------------------------------------------------ preview and answer

    def preview(self) -> None:
        """F9: the suggestions and the highlighted article; F10 there answers from it."""
        screen = self.screen
        if screen.ui.actor is None or screen.saving:
            return
        description = screen.form.values().get("description", "")
        if len(" ".join(description.split())) < MIN_CHARS:
            screen.query_one(MessageLine).show(tr("kb.preview_needs_text"), "error")
            screen._focus_field("description")
            return
        text = " ".join(description.split())
        if text == self._asked and self._timer is None and self.line.hits:
            self._open(self.line.hits)
            return
        # Not searched yet (typed just now): search, then open.
        self._asked = text
        screen.db(
            lambda: screen.backend.knowledge.suggest(text),
            self._found_then_open,
            group="kb-suggest",
        )

    def _found_then_open(self, results: Results) -> None:
        self._found(results)
        self._open(results.hits)

    def _open(self, hits: Sequence[Hit]) -> None:
        from hotline_tui.ui.screens.kb_preview import KbPreview

        def chosen(picked: tuple[int, int] | None) -> None:
            if picked is not None:
                self.answer(*picked)

        self.screen.app.push_screen(KbPreview(hits), chosen)

    def answer(self, article_id: int, version: int) -> None:
        """直接答复 from the article: one service call registers the call and closes it."""
        screen = self.screen
        if screen.saving:
            return
        values = screen.form.values()
        form: dict[str, object] = dict(values)
        form["confidential"] = values.get("confidential") == "1"
        if form.get("caller_kind") == "anonymous":
            form["name"] = ""
        screen.saving = True
        screen.query_one(MessageLine).show("…")

        def done(result: Registered) -> None:
            screen._saved(result)
            message = tr(
                "kb.answered", id=article_id, number=result.number, state=state_name(result.state)
            )
            screen.query_one(MessageLine).show(message)

        screen.db(
            lambda: screen.backend.knowledge.answer(form, article_id, version),
            done,
            group="save",
            exclusive=False,
            failed=screen._save_failed,
        )
