"""The ``hotline`` command's entry point: the console starts without loading the CLI.

``hotline`` with no command (or ``hotline console …``, with the global ``--db`` / ``--as`` before
it) opens the console directly, so that the first paint does not wait for the administration
commands, the services and the database driver to be imported. Everything else goes to the typer
application (:mod:`hotline_tui.cli.main`), which also knows ``console``.

A command imports some six hundred modules, whose objects live as long as the process; the
cyclic garbage collector would scan them over and over while they load, and once more at exit,
a fifth of a plain command's time. So it is paused while the command loads
(:func:`pause_collector`) and, once the command's modules are in, they are frozen out of its
sight and it runs again (:func:`resume_collector`, called by the CLI before the command runs).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

__all__ = ["console_argv", "main", "pause_collector", "resume_collector"]

_paused = False

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


def pause_collector() -> None:
    """Stop the cyclic garbage collector while a command's modules are imported."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Start the collector again (if :func:`pause_collector` stopped it), leaving every object
    made so far out of its scans: they are the loaded modules, kept to the end anyway."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def main() -> None:
    wanted = None if COMPLETE_VAR in os.environ else console_argv(sys.argv[1:])
    if wanted is not None:
        from hotline_tui.ui.entry import main as console_main

        sys.exit(console_main(wanted))
    pause_collector()
    from hotline_tui.cli.main import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
