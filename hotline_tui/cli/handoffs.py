"""What the command line hands to the other front ends, given to it by the entry point.

``hotline console`` opens the console, ``hotline scheduler run`` runs the scheduler and
``hotline serve`` the web front end, yet the CLI imports none of them (front ends never import
each other: an import contract holds it). :mod:`hotline_tui.launch`, which sits above every
front end, gives the CLI these functions before it runs a command (:func:`give`); a command
asks for them with :func:`handoffs`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline_tui.domain.errors import ConfigError

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor, Hotline
    from hotline_tui.services.scheduling.jobs import TickReport
    from hotline_tui.settings import Settings

__all__ = ["Handoffs", "SchedulerRun", "WebRun", "give", "handoffs"]


@dataclass(frozen=True)
class SchedulerRun:
    """One foreground scheduler: ``announce`` is called with its holder name once it has started
    and ``on_tick`` with each tick's report; the call returns when SIGTERM or SIGINT stops it."""

    hl: Hotline
    actor: Actor
    lease_seconds: float
    tick_seconds: float | None
    on_tick: Callable[[TickReport], None]
    announce: Callable[[str], None]


@dataclass(frozen=True)
class WebRun:
    """One ``hotline serve``: the settings to open the database with in each worker, where to
    listen, how many worker processes, which proxies' forwarded addresses to believe;
    ``announce`` is called with the address once the server listens."""

    settings: Settings
    host: str
    port: int
    workers: int
    forwarded_allow_ips: str
    announce: Callable[[str], None]
    # Per client address and worker: questions and new requests a minute (None: the defaults).
    questions_per_minute: float | None = None
    requests_per_minute: float | None = None


@dataclass(frozen=True)
class Handoffs:
    open_console: Callable[[Sequence[str]], int]
    run_scheduler: Callable[[SchedulerRun], None]
    run_web: Callable[[WebRun], None] | None = None


_given: Handoffs | None = None


def give(given: Handoffs) -> None:
    """Called by the entry point before the command runs."""
    global _given
    _given = given


def handoffs() -> Handoffs:
    """The front ends' functions; refused when the CLI was started without the entry point."""
    if _given is None:
        raise ConfigError("config.entry_point", command="hotline")
    return _given
