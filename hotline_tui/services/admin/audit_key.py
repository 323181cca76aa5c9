"""The audit key file: created once at initialisation (never overwritten), read by every writer."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.domain.audit_chain import key_id_of
from hotline_tui.domain.errors import ConfigError


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    key_id: str
    path: Path


def create_key(path: Path) -> bool:
    """Create the key file if it does not exist; returns whether it was created.

    ``O_EXCL`` makes creation atomic: two initialisations racing cannot overwrite a key that
    already signed events. Mode 0640: the operators' group may read it, nobody else.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return True


def load_key(path: Path) -> AuditKey:
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        raise ConfigError("config.audit_key_missing", path=str(path)) from None
    except PermissionError:
        raise ConfigError("config.audit_key_unreadable", path=str(path)) from None
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        raise ConfigError("config.audit_key_invalid", path=str(path)) from None
    if len(secret) < 16:
        raise ConfigError("config.audit_key_invalid", path=str(path))
    return AuditKey(secret=secret, key_id=key_id_of(secret), path=path)
