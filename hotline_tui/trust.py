"""Who the OS account is, and which settings it may not choose for itself.

Some settings decide who may act as whom: the admin group (whose members may use ``--as``), the
console's trust in OS accounts, and the locations of the database and the audit key (point them
elsewhere and the audit trail is signed with your own key, or another database is yours to
administer). On a shared host these come only from the site configuration, which root or the
service account owns — never from an operator's environment, home directory or command line.

- The **service account** is the owner of ``/etc/hotline`` (root creates that directory at
  installation and may give it to the account the scheduler runs as).
- A **trusted file** is owned by root or the service account and writable by nobody else.
- A **privileged process** runs as root or as the service account: everything goes, as before.
- For anyone else the site file is ``$HOTLINE_CONFIG`` only if that names a trusted file (else,
  where ``/etc/hotline/hotline.toml`` exists, the command is refused: the variable cannot hide
  the site file), and a value from the environment, the per-user file or the command line may
  not differ from the site's (or the default) for an identity setting, nor for a location
  setting once the site file fixes any location.

Standard library only: the console's early reading of its keys (``ui.options``) uses it before
pydantic is loaded.
"""

from __future__ import annotations

import getpass
import grp
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hotline_tui.domain.errors import ConfigError

SITE_DIR = Path("/etc/hotline")
SITE_CONFIG = SITE_DIR / "hotline.toml"

# Who may act as whom.
IDENTITY_KEYS = frozenset({"admin_group", "console_trust_os_account"})
# Which database and which audit key; fixed once the site file names any of them.
LOCATION_KEYS = frozenset({"data_dir", "database_url", "audit_key_file", "audit_checkpoint_file"})


def os_user() -> str:
    return getpass.getuser()


def service_uid() -> int | None:
    """The service account: the owner of the site directory, if there is one."""
    try:
        return SITE_DIR.stat().st_uid
    except OSError:
        return None


def privileged() -> bool:
    """Root or the service account: the processes that set up and run the site."""
    uid = os.geteuid()
    return uid == 0 or uid == service_uid()


def trusted_file(path: Path) -> bool:
    """Owned by root or the service account, and writable by no one else."""
    try:
        info = path.stat()
    except OSError:
        return False
    owner_ok = info.st_uid == 0 or info.st_uid == service_uid()
    return owner_ok and stat.S_ISREG(info.st_mode) and not info.st_mode & 0o022


def site_file() -> tuple[Path | None, bool]:
    """The site settings file and whether its settings are trusted.

    Privileged processes take ``$HOTLINE_CONFIG`` as it is. For others an untrusted
    ``$HOTLINE_CONFIG`` is refused where the host has a site file (it would replace it) and is
    read like a per-user file where it has none.
    """
    named = os.environ.get("HOTLINE_CONFIG")
    if privileged():
        if named:
            return Path(named), True
        return (SITE_CONFIG, True) if SITE_CONFIG.exists() else (None, True)
    if named:
        path = Path(named)
        if trusted_file(path):
            return path, True
        if SITE_CONFIG.exists():
            raise ConfigError("config.site_untrusted", path=named, site=str(SITE_CONFIG))
        return (path if path.exists() else None), False
    if not SITE_CONFIG.exists():
        return None, True
    if not trusted_file(SITE_CONFIG):
        raise ConfigError("config.site_untrusted", path=str(SITE_CONFIG), site=str(SITE_CONFIG))
    return SITE_CONFIG, True


def may_act_as_others(admin_group: str) -> bool:
    """Root, or a member of the admin group (by its primary group too), may use ``--as``."""
    if os.geteuid() == 0:
        return True
    try:
        group = grp.getgrnam(admin_group)
    except KeyError:
        return False
    member = group.gr_gid == os.getegid() or group.gr_gid in os.getgroups()
    return member or os_user() in group.gr_mem


def check_untrusted(
    source: str,
    values: Mapping[str, Any],
    trusted: Mapping[str, Any],
    *,
    site_fixes_location: bool,
) -> None:
    """Refuse an identity or (where the site fixes it) location setting from ``source`` that
    differs from the trusted value; ``trusted`` holds the site's values, else the defaults."""
    for key, value in values.items():
        guarded = key in IDENTITY_KEYS or (site_fixes_location and key in LOCATION_KEYS)
        if guarded and _normal(value) != _normal(trusted.get(key)):
            raise ConfigError("config.untrusted_setting", setting=key, source=source)


def _normal(value: Any) -> str:
    """One spelling per value: environment text, TOML values and defaults compare equal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    text = str(value).strip()
    lowered = text.lower()
    if lowered in {"1", "true", "t", "yes", "y", "on"}:
        return "true"
    if lowered in {"0", "false", "f", "no", "n", "off"}:
        return "false"
    return os.path.normpath(text) if "/" in text and "://" not in text else text
