"""The console application: modes on function keys, the session (login, lock), the change feed.

:class:`HotlineApp` is built with its dependencies (:func:`make_app`): the :class:`Backend` over
the core and the session's :class:`ConsoleOptions`. Nothing is painted until the
user's role is known: the first screen is the role's home (:data:`HOME_MODE`), never another
mode's form first. With a trusted user (``--as``, the OS account) the login runs in a worker
before that first paint; otherwise the login screen is the first, and the database is opened in
a worker behind it. Work the home does not need (the change feed, the scheduler, the draft, the
pick lists) starts once the home has shown what it loads.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakSet

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from hotline_tui.domain.permissions import allowed
from hotline_tui.domain.states import Role
from hotline_tui.domain.text import clean_paste
from hotline_tui.ui import lean_output, paste_input, textual_compat
from hotline_tui.ui.app_drafts import DraftHandover
from hotline_tui.ui.app_feed import LiveParts
from hotline_tui.ui.app_modes import MODE_PERMISSION, ModeKeys
from hotline_tui.ui.i18n import error_text, tr
from hotline_tui.ui.notices import NoticeWatch
from hotline_tui.ui.options import ConsoleOptions
from hotline_tui.ui.palette import CommandsProvider, JumpProvider
from hotline_tui.ui.remembered_home import read_home, write_home
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.screens.intake import IntakeScreen
from hotline_tui.ui.screens.login import LockScreen, LoginScreen
from hotline_tui.ui.text import plain
from hotline_tui.ui.typeahead import KeyDone, KeyQueue
from hotline_tui.ui.workers import DbWork

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widget import AwaitMount

    from hotline_tui.services.context import Actor
    from hotline_tui.services.reference.pickers import PickerSet
    from hotline_tui.ui.backend import Backend

__all__ = ["HOME_MODE", "MODE_PERMISSION", "HotlineApp", "make_app"]

log = logging.getLogger("hotline.ui")

WARM_CHECK = 0.5
WARM_AFTER_IDLE = 1.5
# Each role's home: the mode its first screen shows.
HOME_MODE = {
    Role.OPERATOR: "intake",
    Role.DISPATCHER: "queues",
    Role.HANDLER: "queues",
    Role.SUPERVISOR: "board",
    Role.ADMIN: "orders",
}


def _screen(module: str, name: str) -> Screen[Any]:
    """A mode's screen, its module imported on first use."""
    loaded = importlib.import_module(f"hotline_tui.ui.screens.{module}")
    screen: Screen[Any] = getattr(loaded, name)()
    return screen


class HotlineApp(ModeKeys, LiveParts, DraftHandover, DbWork, App[None]):
    """The operator console."""

    CSS_PATH = "console.tcss"
    # No DEFAULT_MODE: Textual's own, an empty screen that is never painted (the home replaces it
    # before the first frame, or the login screen covers it).
    TITLE = tr("app.title")
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "intake": IntakeScreen,
        # The other modes load when first entered (only the role's home at the start).
        "orders": lambda: _screen("orders", "OrdersScreen"),
        "queues": lambda: _screen("queues", "QueuesScreen"),
        "visits": lambda: _screen("visits", "VisitsScreen"),
        "board": lambda: _screen("board", "BoardScreen"),
        "kb": lambda: _screen("kb", "KbScreen"),
        "stats": lambda: _screen("stats", "StatsScreen"),
    }
    # The palette offers the console's own jumps and commands only, in Chinese (not Textual's
    # theme, screenshot and maximize commands): see ui/palette.py.
    COMMANDS: ClassVar[set[type[Any] | Callable[[], type[Any]]]] = {
        JumpProvider,
        CommandsProvider,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", tr("key.help"), id="help"),
        Binding("f2", "mode('intake')", tr("mode.intake"), id="mode.intake"),
        Binding("f3", "mode('orders')", tr("mode.orders"), id="mode.orders"),
        Binding("f4", "mode('queues')", tr("mode.queues"), id="mode.queues"),
        Binding("f5", "mode('visits')", tr("mode.visits"), id="mode.visits"),
        Binding("f6", "mode('board')", tr("mode.board"), id="mode.board"),
        Binding("f10", "mode('stats')", tr("mode.stats"), id="mode.stats"),
        Binding("f11", "mode('kb')", tr("mode.kb"), id="mode.kb"),
        Binding("f12", "lock", tr("key.lock"), id="lock", show=False),
        Binding("ctrl+t", "notices", tr("key.notices"), id="notices", show=False),
        # Textual's own ctrl+p and ctrl+q, named in Chinese (they are in the help).
        Binding(
            "ctrl+p", "command_palette", tr("key.palette"), id="palette", show=False, priority=True
        ),
        Binding("ctrl+q", "quit", tr("key.quit"), id="quit", show=False, priority=True),
    ]

    def __init__(
        self,
        backend: Backend,
        options: ConsoleOptions,
        *,
        os_user: str = "",
        may_act_as_others: bool | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(ansi_color=options.low_bandwidth)
        self.backend = backend
        self.options = options
        self.os_user = os_user
        self.may_act_as_others = may_act_as_others
        self.monotonic = monotonic
        self.actor: Actor | None = None
        self.feed_seq: int | None = None
        self.locked = False
        self._polling = False
        self._last_input = monotonic()
        self._live: WeakSet[ConsoleScreen] = WeakSet()
        self._started_early = False  # the remembered home was painted before the login
        self.draft_answered = False  # the previous session's draft: offered and answered
        self._draft_to_restore: dict[str, str] | None = None
        self.notice_watch = NoticeWatch(self)
        self._scheduler_retry: Timer | None = None
        self._keys = KeyQueue(self, self._forward_key, lambda: self.focused or self.screen)
        # Partial repaints keep wide characters whole and start where the dirty region starts,
        # in both modes (see lean_output): from the widget's left edge, a keystroke at the end of
        # a description cost more the longer its line (134 B per Chinese character and growing,
        # in the default mode).
        lean_output.install()
        paste_input.install()
        self.crop_partial_updates = True
        if options.low_bandwidth:
            self.theme = "ansi-dark"
            self.animation_level = "none"
            self.add_class("-low-bandwidth")

    # ------------------------------------------------------------------ start

    @property
    def trusted(self) -> bool:
        """Whether the user is known without a password (``--as``, the OS account)."""
        return bool(self.options.as_user or self.options.trust_os_account)

    async def on_mount(self) -> None:
        if self.options.keymap:
            self.set_keymap(dict(self.options.keymap))
        if self.trusted:
            early = self._early_home()
            if early is not None:
                # The intake form needs no data to take a call: painted now, the login behind it.
                self._started_early = True
                await self.switch_mode(early)
                self.run_worker(self._start_trusted(), name="start", group="start")
                return
            # Still before the first frame (Textual paints once the app is mounted): the
            # terminal stays blank until the role's home is there, and keys typed meanwhile
            # wait for it.
            await self._start_trusted()
        else:
            self.push_screen(LoginScreen(user=self.options.login_user or ""))

    def on_ready(self) -> None:
        """The login screen is on the terminal: open the database behind it."""
        if not self.trusted:
            self._open_core()

    def _open_core(self) -> None:
        self.db(self.backend.open, group="open", failed=self._open_failed)

    def _open_failed(self, error: BaseException) -> None:
        self.notify(plain(error_text(error)), severity="error", markup=False, timeout=15)

    async def _start_trusted(self) -> None:
        """Log the trusted user in (in a thread), then show their home."""

        def work() -> Actor:
            self.backend.open()
            actor = self.backend.login_trusted(
                self.os_user, self.options.as_user, self.may_act_as_others
            )
            home = HOME_MODE.get(actor.role, "orders")
            with contextlib.suppress(Exception):  # only the next start's head start is at stake
                write_home(self.backend.drafts_dir, self._remembered_user(), home)
            return actor

        worker = self.run_worker(
            work, name="login", group="login", thread=True, exit_on_error=False
        )
        try:
            actor = await worker.wait()
        except WorkerFailed as failed:
            self.log_failure(failed.error)
            self.push_screen(LoginScreen(message=error_text(failed.error)))
            return
        await self.start_session(actor)

    def _remembered_user(self) -> str:
        return self.options.as_user or self.os_user

    def _early_home(self) -> str | None:
        """The home this user's last session opened on, when it can be shown before the login
        (:mod:`hotline_tui.ui.remembered_home`; kept beside the user's draft)."""
        try:
            return read_home(self.backend.drafts_dir, self._remembered_user())
        except Exception:  # unreadable settings: the login below will say what is wrong
            return None

    def start_session(self, actor: Actor) -> AwaitMount:
        """Logged in: show the role's home (awaitable: until it is mounted); once it has
        loaded, start the rest of the session. A home painted before the login is told the
        session is ready."""
        self.actor = actor
        textual_compat.report()  # the log is set up by now
        home_mode = HOME_MODE.get(actor.role, "orders")
        already = self._started_early and self.current_mode == home_mode
        home = self.switch_mode(home_mode)
        if already:
            for screen in list(self._live):
                screen.session_ready()
        self.refresh_bindings()
        self.call_after_refresh(self._after_home)
        return home

    def _after_home(self) -> None:
        """The home is painted: once its own loading is done, the rest of the session (the
        threads share one interpreter: the home's query first)."""
        loading = [w for w in self.workers if w.node is self.screen and not w.is_finished]

        async def when_loaded() -> None:
            for worker in loading:
                with contextlib.suppress(WorkerFailed, WorkerCancelled):  # the screen says so
                    await worker.wait()
            self._session_background()

        self.run_worker(when_loaded(), name="after-home", group="after-home")

    def _session_background(self) -> None:
        """The change feed, the scheduler, the idle lock, the draft, the pick lists."""
        actor = self.actor
        assert actor is not None
        self.db(self.backend.head, self._feed_started, group="feed")
        if (
            self.options.scheduler != "off"
        ):  # the embedded setup: the entry point gives the backend its scheduler
            self.start_scheduler()
        if self.options.idle_lock_seconds > 0:
            self.set_interval(min(30.0, self.options.idle_lock_seconds / 2), self.check_idle_lock)
        if allowed(actor.role, "register"):
            self.db(self.backend.load_draft, self._offer_draft, group="draft")
            self._warm_timer = self.set_interval(WARM_CHECK, self._warm_when_idle)

    def idle_seconds(self) -> float:
        """Seconds since the last key or click."""
        return self.monotonic() - self._last_input

    def _warm_when_idle(self) -> None:
        """Load the pick lists and the word segmenter (a second or two of work that holds the
        interpreter) once the operator has paused, not while they type."""
        if self.monotonic() - self._last_input < WARM_AFTER_IDLE:
            return
        self._warm_timer.stop()
        self.db(self.backend.warm_up, self._warmed, group="warm-up")

    def _warmed(self, pickers: PickerSet) -> None:
        intake = self.get_intake()
        if intake is not None:
            intake.pickers_ready(pickers)

    def user_label(self) -> str:
        if self.actor is None:
            return ""
        return f"{self.actor.username} {self.actor.display_name}"

    def register_live(self, screen: ConsoleScreen) -> None:
        self._live.add(screen)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.options.low_bandwidth and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False  # a blinking cursor repaints twice a second

    # ------------------------------------------------------------------ idle lock

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste | events.MouseDown):
            self._last_input = self.monotonic()
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            await self._keys.key(event)  # one at a time: see ui/typeahead.py
            return
        await super().on_event(event)

    async def _forward_key(self, event: events.Key | events.Paste) -> None:
        if isinstance(event, events.Paste):
            # As typed, without control characters; a one-line field gets the lines side by
            # side (Textual's Input would keep only the first).
            text = clean_paste(event.text)
            if isinstance(self.focused, Input):
                text = text.strip("\n").replace("\n", " ")
            event.text = text
        await super().on_event(event)

    async def on_key_done(self, message: KeyDone) -> None:
        message.stop()
        await self._keys.done(message)

    def check_idle_lock(self) -> None:
        idle = self.monotonic() - self._last_input
        if self.actor is not None and not self.locked and idle >= self.options.idle_lock_seconds:
            self.action_lock()

    def action_lock(self) -> None:
        if self.actor is None or self.locked:
            return
        self.locked = True
        intake = self.get_intake()
        if intake is not None:
            intake.save_draft_now()

        def unlocked(_result: bool | None) -> None:
            self.locked = False
            self._last_input = self.monotonic()
            self.refresh_bindings()

        self.push_screen(LockScreen(self.actor.username), unlocked)

    # ------------------------------------------------------------------ errors

    def log_failure(self, error: BaseException) -> None:
        from hotline_tui.domain.errors import HotlineError

        if isinstance(error, HotlineError):
            log.info("refused: %s", error.describe())
        else:
            log.error("worker failed", exc_info=error)

    def report_error(self, error: BaseException) -> None:
        """The one place a failed worker becomes a visible error; the session goes on."""
        self.log_failure(error)
        self.notify(
            plain(tr("error.worker", message=error_text(error))),
            severity="error",
            markup=False,
            timeout=10,
        )

    def on_unmount(self) -> None:
        self.backend.close()


def make_app(
    backend: Backend,
    options: ConsoleOptions | None = None,
    *,
    os_user: str = "",
    may_act_as_others: bool | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> HotlineApp:
    return HotlineApp(
        backend,
        options or ConsoleOptions(),
        os_user=os_user,
        may_act_as_others=may_act_as_others,
        monotonic=monotonic,
    )
