"""The scheduler inside a console: the embedded single-host setup (SQLite, one host).

A console may run the scheduler in its own background threads so that a demo or a small site
needs no separate ``hotline scheduler run``. The setting ``console_scheduler`` says when:

- ``auto`` (the default): on an SQLite database (the embedded setup), off on PostgreSQL (a city
  runs its scheduler as a service, see the README's systemd unit);
- ``on`` / ``off``: always / never.

It starts only when no other scheduler holds a live lease (a ``hotline scheduler run``, another
console): :func:`start_if_free` then starts nothing and says who holds it (the console asks
again every minute, so the scheduler lives on when that console closes). Started, it is an
ordinary scheduler under the lease (APScheduler's threads, never the caller's) and stops with
:meth:`EmbeddedScheduler.stop`, which hands the lease back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hotline_tui.scheduler.loop import SchedulerProcess, start_background
from hotline_tui.services.admin.users import system_actor
from hotline_tui.services.context import Hotline
from hotline_tui.services.scheduling.lease import DEFAULT_LEASE_SECONDS, Lease, other_scheduler

__all__ = ["MODES", "EmbeddedScheduler", "start_if_free", "wanted"]

MODES = ("auto", "on", "off")
log = logging.getLogger(__name__)


@dataclass
class EmbeddedScheduler:
    """What :func:`start_if_free` did: ``process`` if it started one, else ``other`` (the
    live lease of the scheduler that runs elsewhere) or neither (the setting says no)."""

    process: SchedulerProcess | None = None
    other: Lease | None = None

    @property
    def waiting(self) -> bool:
        """Another scheduler held the lease: this console may take over once it is free."""
        return self.process is None and self.other is not None

    @property
    def running(self) -> bool:
        return self.process is not None and not self.process.stopping.is_set()

    def stop(self) -> None:
        """Stop (a running scan ends at its next batch) and hand the lease back; idempotent."""
        process, self.process = self.process, None
        if process is not None:
            process.stop()
            log.info("in-process scheduler %s stopped", process.holder)


def wanted(mode: str, dialect: str) -> bool:
    """Whether the setting asks for an in-process scheduler on this database."""
    return mode == "on" or (mode == "auto" and dialect == "sqlite")


def start_if_free(
    hl: Hotline,
    mode: str,
    *,
    os_user: str | None = None,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
) -> EmbeddedScheduler:
    """Start the scheduler in this process if the setting asks for it and the lease is free."""
    if not wanted(mode, hl.dialect):
        return EmbeddedScheduler()
    other = other_scheduler(hl)
    if other is not None:
        log.info("scheduler runs elsewhere (%s): none in this console", other.holder)
        return EmbeddedScheduler(other=other)
    actor = system_actor(hl, os_user=os_user)
    process = start_background(hl, actor=actor, lease_seconds=lease_seconds)
    log.info("in-process scheduler %s started", process.holder)
    return EmbeddedScheduler(process=process)
