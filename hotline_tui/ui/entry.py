"""``hotline`` (no arguments) / ``hotline console``: start the console.

Fast start: only Textual and the console's own modules are imported before the first paint; the
settings object (pydantic), the database driver, the services, jieba and pypinyin load in
workers afterwards (the few console keys the first paint needs are read by
:func:`hotline_tui.ui.options.read_early`). Logs go to the log file,
never to the terminal the console draws on.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotline_tui.settings import Settings
    from hotline_tui.ui.scheduler_handle import StartScheduler

__all__ = ["load_settings", "main", "parser"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hotline console", description="12345 热线工单系统 — the operator console."
    )
    p.add_argument("--db", help="database URL (overrides the settings)")
    p.add_argument(
        "--as",
        dest="as_user",
        help="log in as this hotline user (root or the admin group only)",
    )
    p.add_argument("--user", help="the user name to offer on the login screen")
    p.add_argument(
        "--low-bandwidth",
        action="store_true",
        default=None,
        help="16 colours, no animation, no blinking cursor, no mouse (slow SSH links)",
    )
    p.add_argument("--lang", choices=("zh", "en"), help="language (default: zh)")
    return p


def setup_logging(path: Path, level: str) -> None:
    """Everything logs to the log file; nothing may write to the console's terminal."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        target: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        target = logging.NullHandler()
    target.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(target)
    root.setLevel(level.upper())


def load_settings(database_url: str | None) -> Settings:
    """The console's settings (in the worker that opens the database), with what they set for
    the whole process: the log file and the zone times are shown in."""
    from hotline_tui.domain.display_time import use_zone
    from hotline_tui.ui.config import ConsoleSettings

    overrides: dict[str, Any] = {"database_url": database_url} if database_url else {}
    settings = ConsoleSettings(**overrides)
    setup_logging(settings.log_file, settings.log_level)
    use_zone(settings.timezone)
    return settings


def main(
    argv: Sequence[str] | None = None, *, start_scheduler: StartScheduler | None = None
) -> int:
    """Run the console; ``start_scheduler`` (from :mod:`hotline_tui.launch`) runs the scheduler
    in its threads when the settings ask for it (the embedded setup)."""
    args = parser().parse_args(list(argv) if argv is not None else None)
    # Nothing may write to the terminal the console draws on, not even logging's last resort:
    # the log file is set up with the settings, in the worker that opens the database.
    logging.getLogger().addHandler(logging.NullHandler())
    from hotline_tui.trust import os_user
    from hotline_tui.ui.i18n import set_lang
    from hotline_tui.ui.options import ConsoleOptions, read_early

    options = ConsoleOptions.from_values(
        read_early(),
        low_bandwidth=args.low_bandwidth,
        lang=args.lang,
        as_user=args.as_user,
        login_user=args.user,
    )
    # Bindings and labels are worded when their modules load: choose the language first.
    set_lang(options.lang)
    from hotline_tui.ui.app import make_app
    from hotline_tui.ui.backend import Backend

    backend = Backend(
        load_settings=partial(load_settings, args.db), start_scheduler=start_scheduler
    )
    app = make_app(backend, options, os_user=os_user())
    app.run(mouse=not options.low_bandwidth)
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
