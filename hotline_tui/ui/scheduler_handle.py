"""The scheduler a console may run in its own threads (the embedded setup), as the console sees
it: started by a function the entry point gives (:mod:`hotline_tui.launch`), since a front end
never imports another; waiting while another scheduler holds the lease; stopped on exit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from hotline_tui.services.context import Hotline

__all__ = ["EmbeddedScheduler", "NoScheduler", "StartScheduler"]


class EmbeddedScheduler(Protocol):
    """What the console needs of a scheduler run in its own threads (the embedded setup)."""

    @property
    def waiting(self) -> bool:
        """Another scheduler holds the lease: asked again later, this one may take over."""
        ...

    @property
    def running(self) -> bool: ...

    def stop(self) -> None: ...


class NoScheduler:
    """The scheduler of a console given no way to start one: never waiting, never running."""

    waiting = False
    running = False

    def stop(self) -> None:
        return None


# ``(core, console_scheduler setting, OS user or None) -> the scheduler``: given by the entry
# point (:mod:`hotline_tui.launch`), since a front end never imports another.
StartScheduler = Callable[["Hotline", str, str | None], EmbeddedScheduler]
