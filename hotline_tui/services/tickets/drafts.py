"""Intake drafts kept safe on disk: if the connection drops mid-call, the next login offers them.

A draft is the intake form's fields as plain strings, saved (atomically, readable only by the
OS account) under ``<drafts dir>/<hotline user>.json`` while the operator types and removed when
the order is saved or the operator discards it. Values are cleaned of control characters when
loaded, like any other input.

A form with nothing typed is no draft (:func:`is_blank`): its choices (caller kind, request type,
urgency…) always hold a value, so they alone never make one, and a blank draft is neither
written nor offered.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hotline_tui.domain.text import clean_text

__all__ = [
    "CHOICE_FIELDS",
    "MAX_FIELD",
    "Draft",
    "discard_draft",
    "draft_path",
    "is_blank",
    "load_draft",
    "save_draft",
]

MAX_FIELD = 8000
# The intake form's fields that always hold a value (a choice's current option): a form that
# differs from a fresh one only in these has nothing an operator typed.
CHOICE_FIELDS = frozenset(
    {"caller_kind", "request_type", "urgency", "confidential", "channel", "disposition"}
)
_SAFE_NAME = re.compile(r"[^a-z0-9_.-]")


@dataclass(frozen=True)
class Draft:
    username: str
    saved_at: datetime
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return is_blank(self.fields)


def is_blank(fields: Mapping[str, str]) -> bool:
    """Nothing typed: every field but the choices is blank."""
    return not any(value.strip() for name, value in fields.items() if name not in CHOICE_FIELDS)


def draft_path(directory: Path, username: str) -> Path:
    return directory / f"{_SAFE_NAME.sub('_', username.lower())}.json"


def save_draft(directory: Path, draft: Draft) -> Path:
    """Write the draft atomically (temporary file, then rename), mode 0600."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = draft_path(directory, draft.username)
    payload = json.dumps(
        {
            "username": draft.username,
            "saved_at": draft.saved_at.isoformat(),
            "fields": {k: v[:MAX_FIELD] for k, v in draft.fields.items()},
        },
        ensure_ascii=False,
    )
    handle, temp = tempfile.mkstemp(dir=directory, prefix=".draft-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        Path(temp).chmod(0o600)
        Path(temp).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise
    return target


def load_draft(directory: Path, username: str) -> Draft | None:
    """The user's saved draft, or None (a missing, unreadable or damaged file is no draft)."""
    path = draft_path(directory, username)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        fields = {
            str(k): clean_text(str(v), max_length=None)[:MAX_FIELD]
            for k, v in dict(raw["fields"]).items()
        }
        draft = Draft(str(raw["username"]), datetime.fromisoformat(raw["saved_at"]), fields)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if draft.username != username or draft.empty:
        return None
    return draft


def discard_draft(directory: Path, username: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        draft_path(directory, username).unlink()
