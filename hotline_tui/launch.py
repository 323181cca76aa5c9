"""The ``hotline`` command's entry point: the console starts without loading the CLI.

``hotline`` with no command (or ``hotline console …``, with the global ``--db`` / ``--as`` before
it) opens the console directly, so that the first paint does not wait for the administration
commands, the services and the database driver to be imported. Everything else goes to the typer
application (:mod:`hotline_tui.cli.main`), which also knows ``console``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["console_argv", "main"]

_GLOBAL = ("--db", "--as")


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


def main() -> None:
    wanted = console_argv(sys.argv[1:])
    if wanted is not None:
        from hotline_tui.ui.entry import main as console_main

        sys.exit(console_main(wanted))
    from hotline_tui.cli.main import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
