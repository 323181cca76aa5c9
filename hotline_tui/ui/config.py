"""The console's settings: the product's one settings object, plus the console's own keys.

:class:`ConsoleSettings` *is* :class:`hotline_tui.settings.Settings` (same sources: ``HOTLINE_*``
environment variables, the site file, the per-user file), with the keys only the console reads:

```toml
console_trust_os_account = true   # SSH hosts: the OS account's mapped hotline user is logged in
console_idle_lock_minutes = 10    # lock an idle console (0: never)
console_low_bandwidth = true      # as --low-bandwidth
console_lang = "en"               # as --lang
console_refresh_seconds = 3       # how often the change feed is read
console_keymap = { "mode.intake" = "f2,ctrl+n" }   # binding id → keys
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field

from hotline_tui.settings import APP_NAME, Settings

__all__ = ["ConsoleOptions", "ConsoleSettings"]


class ConsoleSettings(Settings):
    console_trust_os_account: bool = False
    console_idle_lock_minutes: float = Field(default=10.0, ge=0)
    console_low_bandwidth: bool = False
    console_lang: Literal["zh", "en"] = "zh"
    console_refresh_seconds: float = Field(default=3.0, gt=0)
    console_keymap: dict[str, str] = Field(default_factory=dict)
    console_drafts_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_state_dir(APP_NAME)) / "drafts"
    )


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

    @classmethod
    def from_settings(
        cls,
        settings: ConsoleSettings,
        *,
        low_bandwidth: bool | None = None,
        lang: str | None = None,
        as_user: str | None = None,
        login_user: str | None = None,
    ) -> ConsoleOptions:
        return cls(
            low_bandwidth=settings.console_low_bandwidth
            if low_bandwidth is None
            else low_bandwidth,
            lang=lang or settings.console_lang,
            as_user=as_user,
            login_user=login_user,
            trust_os_account=settings.console_trust_os_account,
            idle_lock_seconds=settings.console_idle_lock_minutes * 60,
            refresh_seconds=settings.console_refresh_seconds,
            keymap=tuple(sorted(settings.console_keymap.items())),
        )
