"""Type-ahead that lands where the operator meant it: one key at a time through the widgets.

Textual forwards each key to the widget focused *when the key arrives*; a key that moves the
focus (Tab, Enter in a form) takes effect only once it has bubbled up to the app. Over a slow
link keys arrive in bursts - "Tab Tab q" in one packet - and the ``q`` lands in the field the
Tabs left. :class:`KeyQueue` holds each key until the one before it has been handled all the way
up: after forwarding a key it posts a :class:`KeyDone` marker to the same widget; the marker
bubbles the same way behind the key, so when it reaches the app the key is done (stopped by a
widget, or handled by a binding). A marker that cannot arrive (its widget went away) releases
the queue after :data:`RELEASE_AFTER` seconds. A paste waits in the same queue, so it lands after
the keys typed before it and before the keys typed after it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

from textual import events
from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer

__all__ = ["RELEASE_AFTER", "KeyDone", "KeyQueue"]

RELEASE_AFTER = 0.5


class KeyDone(Message, bubble=True):
    """Follows a key through the widgets; when it reaches the app, that key has been handled."""

    def __init__(self, serial: int) -> None:
        super().__init__()
        self.serial = serial


class KeyQueue:
    """The app's keys, forwarded one at a time."""

    def __init__(
        self,
        owner: MessagePump,
        forward: Callable[[events.Key | events.Paste], Awaitable[None]],
        target: Callable[[], MessagePump],
    ) -> None:
        self.owner = owner
        self.forward = forward  # Textual's own forwarding (App.on_event)
        self.target = target  # where Textual forwards a key now: the focused widget or screen
        self.pending: deque[events.Key | events.Paste] = deque()
        self.in_flight: int | None = None
        self.serial = 0
        self._release: Timer | None = None

    async def key(self, event: events.Key | events.Paste) -> None:
        """A key (or a paste) from the terminal: forward it now, or once the keys before it are
        done."""
        if self.in_flight is not None:
            self.pending.append(event)
            return
        await self._send(event)

    async def done(self, message: KeyDone) -> None:
        """A marker reached the app: send the next key to whatever has the focus now."""
        if message.serial == self.in_flight:
            await self._next()

    async def _send(self, event: events.Key | events.Paste) -> None:
        target = self.target()
        await self.forward(event)
        if not event.is_forwarded:
            return  # a priority binding of the app took it: already done
        self.serial += 1
        self.in_flight = self.serial
        target.post_message(KeyDone(self.serial))
        self._release = self.owner.set_timer(RELEASE_AFTER, self._timed_out)

    async def _next(self) -> None:
        if self._release is not None:
            self._release.stop()
            self._release = None
        self.in_flight = None
        while self.pending and self.in_flight is None:
            await self._send(self.pending.popleft())

    async def _timed_out(self) -> None:
        if self.in_flight is not None:
            await self._next()
