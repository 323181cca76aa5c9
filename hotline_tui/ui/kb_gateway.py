"""The console's door to the knowledge base: this host's index, searched for the logged-in user.

Part of :class:`~hotline_tui.ui.backend.Backend` (``backend.knowledge``); like it, every method
blocks and is called from thread workers only, and the services are imported inside the
methods. :meth:`KnowledgeGateway.start` opens jieba and the index in the knowledge base's own
background thread (:meth:`KnowledgeBase.start`), so nothing waits for it; a search made before
it is ready waits for it then, in its worker.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor, Hotline
    from hotline_tui.services.kb.search import KnowledgeBase, Results
    from hotline_tui.services.kb.views import ArticleView, FeedbackView
    from hotline_tui.services.tickets.intake import Registered

__all__ = ["SEARCH_LIMIT", "SUGGEST_LIMIT", "KnowledgeGateway"]

SEARCH_LIMIT = 20
SUGGEST_LIMIT = 3


class _Core(Protocol):
    """What the gateway needs of the backend."""

    @property
    def hl(self) -> Hotline: ...

    @property
    def actor(self) -> Actor: ...


class KnowledgeGateway:
    """Search, article, feedback and answer-from-article calls of one console session."""

    def __init__(self, core: _Core, *, refresh_seconds: float = 5.0) -> None:
        self._core = core
        self._refresh_seconds = refresh_seconds
        self._kb: KnowledgeBase | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Open jieba and the index in the background, then follow the change feed (idempotent;
        returns at once)."""
        self.base()

    def base(self) -> KnowledgeBase:
        with self._lock:
            if self._kb is None:
                from hotline_tui.services.kb.search import KnowledgeBase

                self._kb = KnowledgeBase(self._core.hl, refresh_seconds=self._refresh_seconds)
                self._kb.start()
            return self._kb

    @property
    def ready(self) -> bool:
        return self._kb is not None and self._kb.ready

    def search(self, text: str, *, submitted: bool = False, limit: int = SEARCH_LIMIT) -> Results:
        """The 知识库 mode's search; ``submitted`` (Enter) logs a search that found nothing as a
        knowledge gap, typing does not."""
        return self.base().search(self._core.actor, text, limit=limit, submitted=submitted)

    def suggest(self, description: str, *, limit: int = SUGGEST_LIMIT) -> Results:
        """Articles for the intake description as typed (never logged)."""
        return self.base().suggest(self._core.actor, description, limit=limit)

    def article(self, article_id: int) -> ArticleView:
        from hotline_tui.services.kb.views import get_article

        return get_article(self._core.hl, self._core.actor, article_id)

    def feedback(self, article_id: int, kind: str, note: str = "") -> FeedbackView:
        from hotline_tui.services.kb.usage import give_feedback

        return give_feedback(self._core.hl, self._core.actor, article_id, kind, note)

    def answer(self, form: Mapping[str, Any], article_id: int, article_version: int) -> Registered:
        """直接答复 from an article: the intake form registered and closed as answered, linked
        to the article (refused if the article changed since the operator read it)."""
        from hotline_tui.services.kb.usage import answer_from_article
        from hotline_tui.ui.intake_forms import intake_input

        return answer_from_article(
            self._core.hl,
            self._core.actor,
            intake_input(form),
            article_id,
            article_version=article_version,
        )

    def close(self) -> None:
        with self._lock:
            if self._kb is not None:
                self._kb.close()
                self._kb = None
