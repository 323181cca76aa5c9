"""The console's live parts: the change feed that refreshes the screens, the scheduler run in
this console, and the notices (a mixin of :class:`~hotline_tui.ui.app.HotlineApp`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from weakref import WeakSet

from hotline_tui.ui.notices import NoticesScreen, NoticeWatch, bars_of
from hotline_tui.ui.workers import DbWork

if TYPE_CHECKING:
    from textual.timer import Timer

    from hotline_tui.services.context import Actor
    from hotline_tui.services.live import Change
    from hotline_tui.ui.backend import Backend
    from hotline_tui.ui.options import ConsoleOptions
    from hotline_tui.ui.scheduler_handle import EmbeddedScheduler
    from hotline_tui.ui.screens.base import ConsoleScreen
    from hotline_tui.ui.widgets.bars import TopBar

__all__ = ["SCHEDULER_RETRY", "LiveParts"]

SCHEDULER_RETRY = 60.0  # seconds between looks at another scheduler's lease

# The app's own parts: at run time plain mixins of HotlineApp (ui/app.py), which is also a
# Textual App; typed as one here.
if TYPE_CHECKING:
    from textual.app import App

    _App = App[None]
else:
    _App = object


class LiveParts(DbWork, _App):
    """The change feed, the embedded scheduler and the notices."""

    actor: Actor | None
    backend: Backend
    options: ConsoleOptions
    os_user: str
    feed_seq: int | None
    notice_watch: NoticeWatch
    _polling: bool
    _scheduler_retry: Timer | None
    _live: WeakSet[ConsoleScreen]

    if TYPE_CHECKING:

        def open_order(self, number: str, dept: str | None = None) -> None: ...

    # ------------------------------------------------------------------ change feed

    def _feed_started(self, head: int) -> None:
        self.feed_seq = head
        self.notice_watch.start(head)
        self.set_interval(self.options.refresh_seconds, self.poll_feed)

    def poll_feed(self) -> None:
        if self._polling or self.feed_seq is None or self.actor is None:
            return
        self._polling = True
        after = self.feed_seq
        self.db(
            lambda: self.backend.changes(after),
            self._feed_arrived,
            group="feed",
            failed=self._feed_failed,
        )

    def _feed_arrived(self, changes: Sequence[Change]) -> None:
        self._polling = False
        if not changes:
            return
        self.feed_seq = changes[-1].seq
        for screen in list(self._live):
            screen.changes_arrived(changes)
        self.notice_watch.changes_arrived(changes)

    def _feed_failed(self, error: BaseException) -> None:
        self._polling = False  # logged; the next tick tries again

    # ------------------------------------------------------------------ in-process scheduler

    def start_scheduler(self) -> None:
        """Run the scheduler in this console if no other holds the lease; while one does, look
        again every minute (it may be another console that closes)."""
        mode, os_user = self.options.scheduler, self.os_user

        def started(embedded: EmbeddedScheduler) -> None:
            if embedded.waiting and self._scheduler_retry is None:
                retry = self.set_interval(SCHEDULER_RETRY, self.start_scheduler)
                self._scheduler_retry = retry
            elif not embedded.waiting and self._scheduler_retry is not None:
                self._scheduler_retry.stop()
                self._scheduler_retry = None

        self.db(lambda: self.backend.start_scheduler(mode, os_user), started, group="scheduler")

    # ------------------------------------------------------------------ notices

    @property
    def notice_line(self) -> str:
        return self.notice_watch.line

    def notice_bars(self) -> list[TopBar]:
        return bars_of([*self._live, *self.screen_stack])

    def action_notices(self) -> None:
        if self.actor is None or isinstance(self.screen, NoticesScreen):
            return

        def chosen(notice: tuple[str, str | None] | None) -> None:
            if notice is not None:
                self.open_order(*notice)  # on the part the notice is about

        self.push_screen(NoticesScreen(list(self.notice_watch.recent)), chosen)
