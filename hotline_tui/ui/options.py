"""The options of one console session, and the console keys the first paint needs, read
without pydantic.

The settings object (:class:`hotline_tui.ui.config.ConsoleSettings`, pydantic-settings) costs a
few hundred milliseconds to import on a busy host; the console loads it in a worker, with the
database, after its first frame. Before that it needs only a few of its own keys (mode, language,
login path, keys), which this module reads from the same sources in the same order: ``HOTLINE_*``
environment variables, the site file (``$HOTLINE_CONFIG``, else ``/etc/hotline/hotline.toml``),
the per-user file. A test holds the two readings equal.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline_tui import trust
from hotline_tui.domain.errors import ConfigError

__all__ = ["DEFAULTS", "EARLY_KEYS", "ConsoleOptions", "read_early"]

# The defaults of the console's own settings (ConsoleSettings takes them from here).
DEFAULTS: dict[str, Any] = {
    "console_low_bandwidth": False,
    "console_lang": "zh",
    "console_trust_os_account": False,
    "console_idle_lock_minutes": 10.0,
    "console_refresh_seconds": 3.0,
    "console_keymap": {},
    "console_scheduler": "auto",  # in-process scheduler: auto (on SQLite), on, off
}
EARLY_KEYS = tuple(DEFAULTS)
_TRUE = {"1", "true", "t", "yes", "y", "on"}


def _user_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("hotline")) / "hotline.toml"


def _site_file() -> tuple[Path | None, bool]:
    try:
        return trust.site_file()
    except ConfigError:
        return None, False  # the settings object, loaded next, refuses the session with words


def _toml(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # the settings object will say what is wrong with it


def _from_env(key: str) -> Any:
    wanted = f"hotline_{key}"
    for name, value in os.environ.items():
        if name.lower() == wanted:
            if key == "console_keymap":
                try:
                    return json.loads(value)
                except ValueError:
                    return None
            return value
    return None


def _coerce(key: str, value: Any) -> Any:
    if key in ("console_low_bandwidth", "console_trust_os_account"):
        return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE
    if key in ("console_idle_lock_minutes", "console_refresh_seconds"):
        return float(value)
    if key == "console_keymap":
        return {str(k): str(v) for k, v in dict(value).items()}
    return str(value)


def read_early() -> dict[str, Any]:
    """The early keys that are set anywhere (missing ones take the settings' defaults)."""
    site, site_trusted = _site_file()
    files = [_toml(site), _toml(_user_file())]
    privileged = trust.privileged()
    found: dict[str, Any] = {}
    for key in EARLY_KEYS:
        if key in trust.IDENTITY_KEYS and not privileged:
            # Who is trusted comes from the site file alone (the settings object refuses a
            # session whose environment or home tries otherwise).
            value = files[0].get(key) if site_trusted else None
        else:
            value = _from_env(key)
            for data in files:
                if value is None and key in data:
                    value = data[key]
        if value is not None:
            try:
                found[key] = _coerce(key, value)
            except (TypeError, ValueError):
                continue  # left to the settings object to refuse
    return found


@dataclass(frozen=True)
class ConsoleOptions:
    """What one console session runs with (settings and command-line flags resolved)."""

    low_bandwidth: bool = False
    lang: str = "zh"
    as_user: str | None = None
    login_user: str | None = None
    trust_os_account: bool = False
    idle_lock_seconds: float = 600.0
    refresh_seconds: float = 3.0
    keymap: tuple[tuple[str, str], ...] = ()
    # A bare ConsoleOptions (tests, embedding) runs no scheduler; the settings default is "auto".
    scheduler: str = "off"

    @classmethod
    def from_values(
        cls,
        values: Mapping[str, Any],
        *,
        low_bandwidth: bool | None = None,
        lang: str | None = None,
        as_user: str | None = None,
        login_user: str | None = None,
    ) -> ConsoleOptions:
        """From the console keys (``read_early()`` or a settings object's), flags winning."""
        known = {**DEFAULTS, **{k: v for k, v in values.items() if k in DEFAULTS}}
        return cls(
            low_bandwidth=bool(known["console_low_bandwidth"])
            if low_bandwidth is None
            else low_bandwidth,
            lang=lang or str(known["console_lang"]),
            as_user=as_user,
            login_user=login_user,
            trust_os_account=bool(known["console_trust_os_account"]),
            idle_lock_seconds=float(known["console_idle_lock_minutes"]) * 60,
            refresh_seconds=float(known["console_refresh_seconds"]),
            keymap=tuple(sorted(dict(known["console_keymap"]).items())),
            scheduler=str(known["console_scheduler"]),
        )

    @classmethod
    def from_settings(cls, settings: Any, **flags: Any) -> ConsoleOptions:
        """From a loaded :class:`~hotline_tui.ui.config.ConsoleSettings`."""
        return cls.from_values({key: getattr(settings, key) for key in EARLY_KEYS}, **flags)
