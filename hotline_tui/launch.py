"""The ``hotline`` command's entry point: the console starts without loading the CLI.

``hotline`` with no command (or ``hotline console …``, with the global ``--db`` / ``--as`` before
it) opens the console directly, so that the first paint does not wait for the administration
commands, the services and the database driver to be imported. Everything else goes to the typer
application (:mod:`hotline_tui.cli.main`), which also knows ``console``.

This module is above every front end: the only place that knows them all. The front ends never
import each other, so what one needs of another is handed to it here — the console to the CLI's
``console`` command, the scheduler to ``hotline scheduler run``, the web front end to ``hotline
serve`` (:mod:`hotline_tui.cli.handoffs`)
and to a console that runs it in its own threads (``Backend(start_scheduler=…)``).

The collector is paused while a command loads (:mod:`hotline_tui.collector`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hotline_tui.collector import pause_collector, resume_collector

if TYPE_CHECKING:
    from hotline_tui.cli.handoffs import SchedulerRun, WebRun
    from hotline_tui.scheduler.embedded import EmbeddedScheduler
    from hotline_tui.services.context import Hotline

__all__ = [
    "console_argv",
    "main",
    "open_console",
    "pause_collector",
    "resume_collector",
    "run_scheduler",
    "run_web",
    "start_embedded_scheduler",
]

_GLOBAL = ("--db", "--as")
# Set by the shell's completion script (``hotline --install-completion``): the words typed so
# far are in other variables and argv is bare, which must not open the console.
COMPLETE_VAR = "_HOTLINE_COMPLETE"


def console_argv(argv: Sequence[str]) -> list[str] | None:
    """The console's arguments if ``argv`` asks for the console, else None."""
    globals_: list[str] = []
    rest = list(argv)
    while rest and rest[0].split("=", 1)[0] in _GLOBAL:
        option = rest.pop(0)
        globals_.append(option)
        if "=" not in option:
            if not rest:
                return None
            globals_.append(rest.pop(0))
    if not rest:
        return globals_
    if rest[0] == "console" and not any(a in ("--help", "-h") for a in rest[1:]):
        return globals_ + rest[1:]
    return None


def open_console(argv: Sequence[str]) -> int:
    """The console, with the scheduler it may run in its own threads."""
    from hotline_tui.ui.entry import main as console_main

    return console_main(argv, start_scheduler=start_embedded_scheduler)


def start_embedded_scheduler(hl: Hotline, mode: str, os_user: str | None) -> EmbeddedScheduler:
    """The scheduler in a console's threads (imported only when a console asks for it)."""
    from hotline_tui.scheduler.embedded import start_if_free

    return start_if_free(hl, mode, os_user=os_user)


def run_scheduler(run: SchedulerRun) -> None:
    """``hotline scheduler run``: the scheduler front end in the foreground."""
    from hotline_tui.scheduler.loop import run_in_foreground

    run_in_foreground(
        run.hl,
        actor=run.actor,
        lease_seconds=run.lease_seconds,
        tick_seconds=run.tick_seconds,
        on_tick=run.on_tick,
        announce=run.announce,
    )


def run_web(run: WebRun) -> None:
    """``hotline serve``: the web front end (the page and the Open311 API) in the foreground."""
    from hotline_tui.web.server import serve

    serve(
        run.settings,
        host=run.host,
        port=run.port,
        workers=run.workers,
        forwarded_allow_ips=run.forwarded_allow_ips,
        announce=run.announce,
        questions_per_minute=run.questions_per_minute,
        requests_per_minute=run.requests_per_minute,
    )


def main() -> None:
    wanted = None if COMPLETE_VAR in os.environ else console_argv(sys.argv[1:])
    if wanted is not None:
        sys.exit(open_console(wanted))
    pause_collector()
    from hotline_tui.cli.handoffs import Handoffs, give
    from hotline_tui.cli.main import main as cli_main

    give(Handoffs(open_console=open_console, run_scheduler=run_scheduler, run_web=run_web))
    cli_main()


if __name__ == "__main__":
    main()
