"""The audit trail's HMAC chain: canonical content, the MAC, and verification. Pure functions.

Each event's MAC covers its content, its sequence number and the previous event's MAC, under a
key kept outside the database. Editing, deleting, inserting or reordering events therefore breaks
the chain at the first bad event; deleting the newest events is caught against the checkpoints
of the head kept outside the database (:mod:`hotline_tui.domain.audit_checkpoints`). The threat
model is tampering with the database by someone who does not hold the key file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MAC_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor",
    "os_user",
    "action",
    "entity",
    "entity_id",
    "entity_version",
    "ticket_id",
    "assignment_id",
    "dept_id",
    "from_state",
    "to_state",
    "note",
    "data",
    "key_id",
    "prev_mac",
)


def key_id_of(key: bytes) -> str:
    """A short public identifier of a key, stored in every event it signed."""
    return hashlib.sha256(b"hotline-audit-key:" + key).hexdigest()[:16]


def canonical(fields: Mapping[str, Any]) -> bytes:
    """The bytes the MAC covers: the fields in a fixed order, datetimes as UTC ISO text."""
    values: dict[str, Any] = {}
    for name in MAC_FIELDS:
        value = fields.get(name)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        values[name] = value
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


def compute_mac(key: bytes, fields: Mapping[str, Any]) -> str:
    return hmac.new(key, canonical(fields), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """The chain head as recorded outside the database; ``n`` numbers it in its file (0 for a
    record from before checkpoints were chained)."""

    seq: int
    mac: str
    n: int = 0


@dataclass(frozen=True)
class VerifyReport:
    """The result of verifying a chain: ``bad_seq`` names the first bad event.

    Problems that are not one event's (the checkpoint file, orders without their events) have
    ``bad_seq`` None. ``checkpoints`` counts the checkpoints the events were compared with.
    """

    ok: bool
    checked: int
    head_seq: int
    bad_seq: int | None = None
    reason: str | None = None
    detail: str = ""
    checkpoints: int = 0
    orders: int | None = None


def verify_chain(
    events: Iterable[Mapping[str, Any]],
    key: bytes,
    checkpoints: Iterable[Checkpoint] = (),
) -> VerifyReport:
    """Walk events in ``seq`` order and report the first one that breaks the chain.

    Reasons: ``wrong_key`` (the events were signed with another key), ``gap`` (a sequence number
    is missing: a deletion), ``sequence`` (numbers out of order or repeated), ``chain`` (the
    previous-MAC link is broken: an insertion or a reordering), ``mac`` (the content was edited),
    ``checkpoint`` (an event recorded at a checkpoint differs or is gone: events rewritten, or
    the newest deleted). Every checkpoint is compared with the event at its number.
    """
    our_key_id = key_id_of(key)
    expected: dict[int, list[Checkpoint]] = {}
    total = 0
    for checkpoint in checkpoints:
        total += 1
        if checkpoint.seq > 0:
            expected.setdefault(checkpoint.seq, []).append(checkpoint)
    expected_seq = 1
    prev_mac = ""
    checked = 0
    for event in events:
        seq = int(event["seq"])
        if seq != expected_seq:
            reason = "gap" if seq > expected_seq else "sequence"
            return VerifyReport(False, checked, seq, expected_seq, reason, f"found seq {seq}")
        if event["key_id"] != our_key_id:
            # Wrong key only if no event at all was signed with ours; otherwise it is tampering.
            reason = "wrong_key" if checked == 0 else "mac"
            detail = f"event key {event['key_id']}, loaded key {our_key_id}"
            return VerifyReport(False, checked, seq, seq, reason, detail)
        if event["prev_mac"] != prev_mac:
            return VerifyReport(False, checked, seq, seq, "chain", "previous-MAC link broken")
        if not hmac.compare_digest(compute_mac(key, event), str(event["mac"])):
            return VerifyReport(False, checked, seq, seq, "mac", "content does not match its MAC")
        for checkpoint in expected.pop(seq, ()):
            if event["mac"] != checkpoint.mac:
                detail = f"differs from checkpoint {_name(checkpoint)}"
                return VerifyReport(False, checked, seq, seq, "checkpoint", detail)
        prev_mac = str(event["mac"])
        checked += 1
        expected_seq += 1
    head = expected_seq - 1
    if expected:
        missing = expected[min(expected)][0]
        detail = f"checkpoint {_name(missing)} names seq {missing.seq}, the chain ends at {head}"
        return VerifyReport(False, checked, head, head + 1, "checkpoint", detail)
    return VerifyReport(True, checked, head, checkpoints=total)


def _name(checkpoint: Checkpoint) -> str:
    return f"no. {checkpoint.n}" if checkpoint.n else "(unnumbered)"
