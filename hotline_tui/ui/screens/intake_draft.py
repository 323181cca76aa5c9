"""The intake's draft: what the operator typed, kept on disk so that a dropped call is never lost.

- A short pause in the typing (:data:`DRAFT_DELAY`) writes the form, in a worker.
- The terminal going away (SIGHUP), the console being told to stop (SIGTERM: ``kill``, a
  shutdown), the console closing and the screen going away write it at once, on the event loop:
  there is no later then.
- A form with nothing typed is no draft (``services.tickets.drafts.is_blank``): it removes the
  file, never writes one. Saving the order and starting a new call remove it too.
- Until the offer of the previous session's draft has been answered (:meth:`release`), nothing
  is written: it would overwrite the draft being offered.

Writes and removals take effect in the order they were asked: a write that its worker ran late
never brings back a draft removed after it (a sequence number, checked under a lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from hotline_tui.services.tickets.drafts import is_blank

if TYPE_CHECKING:
    from textual.timer import Timer

    from hotline_tui.ui.screens.intake import IntakeScreen

__all__ = ["DRAFT_DELAY", "IntakeDraft"]

DRAFT_DELAY = 0.5  # seconds of pause in the typing before the draft is written
# The terminal went away; the console is told to stop. Either ends the process at once unless
# handled, the draft unwritten.
EXIT_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGHUP", None), getattr(signal, "SIGTERM", None)) if s is not None
)


class IntakeDraft:
    """The draft part of one intake screen."""

    def __init__(self, screen: IntakeScreen) -> None:
        self.screen = screen
        self._timer: Timer | None = None
        self._latest: dict[str, str] | None = None  # the form as last changed, not yet written
        self._held = True
        self._lock = threading.Lock()
        self._asked = 0  # sequence number of the last write or removal asked for
        self._applied = 0  # … and of the last one that took effect
        self._signals_installed: list[int] = []
        self.delay = DRAFT_DELAY

    @property
    def pending(self) -> bool:
        """A change waits to be written (tests wait for it, or close the console)."""
        return self._latest is not None

    @property
    def held(self) -> bool:
        return self._held

    # ------------------------------------------------------------------ what the screen calls

    def changed(self, values: dict[str, str]) -> None:
        """The form changed: write it after a pause in the typing."""
        self._latest = values
        self._schedule()

    def release(self) -> None:
        """The previous session's draft was offered and answered (or there was none): from now
        on the form is the draft."""
        self._held = False
        self._schedule()

    def write_now(self) -> None:
        """Write the latest change now, in a worker (the console locks, say)."""
        self._stop_timer()
        values = self._take()
        if values is not None:
            self._run(self._operation(values))

    def discard(self) -> None:
        """The call was saved or given up: no draft (the removal outranks any earlier write)."""
        self._stop_timer()
        self._latest = None
        if self.screen.ui.actor is not None:
            self._run(self.screen.backend.discard_draft)

    def write_at_exit(self) -> None:
        """The console is closing: write the latest change here and now (a failure is logged;
        the console closes all the same)."""
        self._stop_timer()
        values = self._take()
        if values is None:
            return
        try:
            self._apply(self._number(), self._operation(values))
        except Exception as error:
            self.screen.ui.log_failure(error)

    # ------------------------------------------------------------------ hang-up, termination

    def install_hangup(self) -> None:
        """When the terminal goes away (SIGHUP: the SSH connection dropped, the terminal was
        closed) or the console is told to stop (SIGTERM), write the draft, then close the
        console."""
        for number in EXIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                asyncio.get_running_loop().add_signal_handler(number, self.hung_up)
                self._signals_installed.append(number)

    def remove_hangup(self) -> None:
        installed, self._signals_installed = self._signals_installed, []
        for number in installed:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                asyncio.get_running_loop().remove_signal_handler(number)

    def hung_up(self) -> None:
        self.write_at_exit()
        self.screen.app.exit()

    # ------------------------------------------------------------------ inside

    def _schedule(self) -> None:
        if self._held or self._latest is None or self.screen.ui.actor is None:
            return
        self._stop_timer()
        self._timer = self.screen.set_timer(self.delay, self.write_now)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _take(self) -> dict[str, str] | None:
        """The change to write, if it may be written now."""
        if self._held or self._latest is None or self.screen.ui.actor is None:
            return None
        values, self._latest = self._latest, None
        return values

    def _operation(self, values: dict[str, str]) -> Callable[[], None]:
        backend = self.screen.backend
        if is_blank(values):
            return backend.discard_draft
        return lambda: backend.save_draft(values)

    def _number(self) -> int:
        self._asked += 1
        return self._asked

    def _run(self, operation: Callable[[], None]) -> None:
        number = self._number()
        self.screen.db(
            lambda: self._apply(number, operation),
            group="draft",
            exclusive=False,  # a newer one must not cancel an older one before it ran
            failed=lambda _error: None,  # logged; the form itself is intact
        )

    def _apply(self, number: int, operation: Callable[[], None]) -> None:
        with self._lock:
            if number < self._applied:
                return  # a later write or removal took effect already
            operation()
            self._applied = number
