"""The home an operator had last time, remembered so the intake form can be painted at once.

The role's home is known only after the login, which loads the database layer (about half a
second). An operator's home, the intake form, needs nothing from the database to take a call:
when this user's last session opened on it, the console paints it at once and logs in behind it
(keys typed meanwhile are acted on when the session is ready). Every other home shows data, so
it waits for the login as before. The file holds a mode name only; anything else is ignored.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

__all__ = ["EARLY_HOMES", "read_home", "write_home"]

EARLY_HOMES = frozenset({"intake"})  # homes usable before the session is open
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _path(directory: Path, username: str) -> Path:
    return directory / f"home-{_SAFE.sub('_', username)}"


def read_home(directory: Path, username: str) -> str | None:
    """The mode this user's last session opened on, if it is one that may open early."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        mode = _path(directory, username).read_text(encoding="utf-8").strip()
        return mode if mode in EARLY_HOMES else None
    return None


def write_home(directory: Path, username: str, mode: str) -> None:
    """Remember ``mode`` (a failure to write only costs the next start its head start)."""
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = _path(directory, username)
        if mode in EARLY_HOMES:
            path.write_text(mode, encoding="utf-8")
        else:
            path.unlink(missing_ok=True)
