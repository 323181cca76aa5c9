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
console_scheduler = "auto"        # run the scheduler in the console: auto (SQLite), on, off
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field

from hotline_tui.settings import APP_NAME, Settings
from hotline_tui.ui.options import DEFAULTS

__all__ = ["ConsoleSettings"]


class ConsoleSettings(Settings):
    console_trust_os_account: bool = DEFAULTS["console_trust_os_account"]
    console_idle_lock_minutes: float = Field(default=DEFAULTS["console_idle_lock_minutes"], ge=0)
    console_low_bandwidth: bool = DEFAULTS["console_low_bandwidth"]
    console_lang: Literal["zh", "en"] = DEFAULTS["console_lang"]
    console_refresh_seconds: float = Field(default=DEFAULTS["console_refresh_seconds"], gt=0)
    console_keymap: dict[str, str] = Field(default_factory=dict)
    console_scheduler: Literal["auto", "on", "off"] = DEFAULTS["console_scheduler"]
    console_drafts_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_state_dir(APP_NAME)) / "drafts"
    )
