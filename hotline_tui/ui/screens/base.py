"""The base of the console's screens: workers, live refresh, and a lean focus change.

- :class:`ConsoleScreen` - a mode's screen: ``self.db(...)`` for database work, ``reload()``
  when changes from elsewhere touch what it shows (at once if it is on screen, when it is
  shown again otherwise).
- :class:`ConsoleModal` - a modal that returns a value, with the same worker helper.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from hotline_tui.ui.textual_compat import FocusStylesHook
from hotline_tui.ui.workers import DbWork

if TYPE_CHECKING:
    from hotline_tui.services.live import Change
    from hotline_tui.ui.backend import Backend

__all__ = ["ConsoleModal", "ConsoleScreen"]

R = TypeVar("R")


class LeanFocus(FocusStylesHook):
    """Restyle only the two widgets a focus change involves.

    Textual restyles every descendant of the nearest ``:focus-within`` ancestor on each focus
    change; the console's stylesheet has no ``:focus-within`` rule, so the two widgets (and their
    scrollbars) are all that can change.
    """

    def restyle_focus(self, focused: Widget | None, blurred: Widget | None) -> None:
        nodes = [w for w in (focused, blurred) if w is not None and w.is_attached]
        if nodes:
            self.app.stylesheet.update_nodes(nodes, animate=False)  # type: ignore[attr-defined]


class ConsoleScreen(LeanFocus, DbWork, Screen[None]):
    """A mode's screen."""

    # Textual repaints the whole screen when focus moves (``focused`` repaints); the two
    # widgets involved repaint themselves, which is all a focus change shows.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    _stale = False

    @property
    def backend(self) -> Backend:
        return self.ui.backend

    def session_ready(self) -> None:
        """The user has logged in: load what the screen shows."""

    def reload(self) -> None:
        """Read again what the screen shows (in a worker)."""

    def wants(self, changes: Sequence[Change]) -> bool:
        """Whether ``changes`` touch what the screen shows (default: any order changed)."""
        return any(c.ticket for c in changes)

    def changes_arrived(self, changes: Sequence[Change]) -> None:
        if not self.wants(changes):
            return
        if self.is_current:
            self.reload()
        else:
            self._stale = True

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if self._stale:
            self._stale = False
            self.reload()


class ConsoleModal(LeanFocus, DbWork, ModalScreen[R]):
    """A short task that returns a value."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    @property
    def backend(self) -> Backend:
        return self.ui.backend

    def changes_arrived(self, changes: Sequence[Any]) -> None:
        """Modals keep what the user typed; their screen refreshes when they close."""
