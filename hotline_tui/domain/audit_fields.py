"""What an order's and a part's events say its current fields are, and how rows are compared
with that (``audit verify --deep``). Pure functions.

The events already carry each order's and each part's state (the last event's ``to_state``) and
version (the last event's ``entity_version``), and a part's department, role and order (its
``assign`` event). An order's own fields — set at registration and changed only by 修改工单 —
are recorded in the ``register`` and ``edit`` events' data under ``fields``: codes and numbers
as they are, text and personal data (title, description, address, contact name and phone) as
keyed digests (HMAC under the audit key, 128 bits). Digests keep every event small on the
intake path, put no second copy of a caller's words or number into a trail that can never be
edited, and cannot be brute-forced from the trail (a phone number has only 10^11 values)
without the key. So a changed text is found and named, but its audited wording is not shown.
Orders whose newest ``register``/``edit`` event predates this (older databases) have their
state, version and parts checked, not their own fields.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

REGISTER = "register"
EDIT = "edit"  # lifecycle.TicketAction.EDIT
ASSIGN = "assign"
FIELD_ACTIONS = (REGISTER, EDIT)

ORDER_FIELDS = (
    "request_type",
    "urgency",
    "channel",
    "category_id",
    "area_id",
    "caller_id",
    "kb_article_id",
    "confidential",
    "title",
    "description",
    "address",
    "contact_name",
    "contact_phone",
    "callback_phone",  # since issue 14: older events lack it, and it is not compared there
)
DIGESTED = frozenset(
    {"title", "description", "address", "contact_name", "contact_phone", "callback_phone"}
)


def field_digest(key: bytes, name: str, value: str) -> str:
    """A keyed digest of one text field's value (the name is inside: no swapping fields)."""
    message = f"hotline-field:{name}\x00{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def order_fields(key: bytes, row: object) -> dict[str, Any]:
    """The audited snapshot of an order's own fields (``row``: a ticket or a demo record)."""
    values: dict[str, Any] = {}
    for name in ORDER_FIELDS:
        value = getattr(row, name)
        if name in DIGESTED and value is not None:
            value = field_digest(key, name, str(value))
        values[name] = value
    return values


@dataclass(frozen=True)
class FieldDiff:
    """A stored value that is not the audited one; ``audited`` is None for a digested text."""

    field: str
    stored: Any
    audited: Any
    digested: bool = False


def compare(key: bytes, audited: Mapping[str, Any], row: Mapping[str, Any]) -> list[FieldDiff]:
    """The fields of ``row`` (column name → stored value) that differ from the snapshot."""
    diffs = []
    for name in ORDER_FIELDS:
        if name not in audited:
            continue
        stored, expected = row.get(name), audited[name]
        if name in DIGESTED:
            found = field_digest(key, name, str(stored)) if stored is not None else None
            if found != expected:
                diffs.append(FieldDiff(name, stored, None, digested=True))
        elif _plain(stored) != _plain(expected):
            diffs.append(FieldDiff(name, stored, expected))
    return diffs


def _plain(value: Any) -> Any:
    """Booleans as stored by either backend (SQLite gives 0/1) compare with JSON's."""
    return int(value) if isinstance(value, bool) else value
