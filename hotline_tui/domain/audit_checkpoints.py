"""Checkpoints of the audit chain's head, kept outside the database and chained under the key.

A checkpoint record names the head it saw (``seq``, ``mac``), when (``at``), the key
(``key_id``), its number ``n`` in the file and the previous record's MAC (``prev``); its own
MAC (``cmac``) covers all of these under the audit key. Without the key a record can therefore
not be forged or edited, and records cannot be reordered or removed from the middle of the file
unnoticed. Removing the *newest* lines leaves a shorter, valid file: that alone cannot be told
from the file (README, "The audit trail and its threat model").

Records written before checkpoints were chained (``seq``, ``mac``, ``at``, ``key_id`` only) are
read as *legacy* records (``n == 0``): still compared with the events, but not authenticated,
and allowed only before the first chained record.

Pure functions: parsing, sealing, and the rule that a head may not be recorded after a
checkpoint it contradicts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from hotline_tui.domain.audit_chain import key_id_of

CHECKPOINT_FIELDS = ("n", "seq", "mac", "at", "key_id", "prev")


@dataclass(frozen=True)
class CheckpointRecord:
    """One line of the checkpoint file; ``line`` is its line number there (1-based)."""

    n: int
    seq: int
    mac: str
    at: str
    key_id: str
    prev: str = ""
    cmac: str = ""
    line: int = 0

    @property
    def legacy(self) -> bool:
        return self.n == 0

    def to_line(self) -> str:
        values = {name: getattr(self, name) for name in CHECKPOINT_FIELDS}
        return json.dumps({**values, "cmac": self.cmac}, ensure_ascii=False)


def _canonical(record: CheckpointRecord) -> bytes:
    values = {name: getattr(record, name) for name in CHECKPOINT_FIELDS}
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


def checkpoint_mac(key: bytes, record: CheckpointRecord) -> str:
    """The record's own MAC: its fields, the previous record's MAC among them."""
    return hmac.new(key, b"hotline-checkpoint:" + _canonical(record), hashlib.sha256).hexdigest()


def seal(
    key: bytes, previous: CheckpointRecord | None, *, seq: int, mac: str, at: datetime
) -> CheckpointRecord:
    """The record that follows ``previous`` (None: the first chained one) naming this head."""
    chained = previous is not None and not previous.legacy
    record = CheckpointRecord(
        n=previous.n + 1 if chained and previous is not None else 1,
        seq=seq,
        mac=mac,
        at=at.isoformat(),
        key_id=key_id_of(key),
        prev=previous.cmac if chained and previous is not None else "",
    )
    return replace(record, cmac=checkpoint_mac(key, record))


@dataclass(frozen=True)
class CheckpointFile:
    """The records read (up to the first bad one) and, if the file does not verify, why.

    ``problem``: ``syntax`` (not a record), ``wrong_key`` (chained under another key), ``mac``
    (a record edited or forged), ``number`` (records missing, repeated or out of order),
    ``chain`` (the previous-MAC link broken), ``legacy`` (an unauthenticated record after
    chained ones), ``backwards`` (a head lower than the record before it).
    """

    records: list[CheckpointRecord] = field(default_factory=list)
    problem: str | None = None
    line: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def last(self) -> CheckpointRecord | None:
        return self.records[-1] if self.records else None


def _record(number: int, text: str) -> CheckpointRecord:
    """A line as a record (ValueError, KeyError or TypeError if it is not one)."""
    raw = json.loads(text)
    if not isinstance(raw, dict):
        raise TypeError("not an object")
    return CheckpointRecord(
        n=int(raw.get("n", 0)),
        seq=int(raw["seq"]),
        mac=str(raw["mac"]),
        at=str(raw.get("at", "")),
        key_id=str(raw.get("key_id", "")),
        prev=str(raw.get("prev", "")),
        cmac=str(raw.get("cmac", "")),
        line=number,
    )


def parse(lines: Iterable[str], key: bytes) -> CheckpointFile:
    """Read and authenticate the file's records, stopping at the first that does not verify."""
    ours = key_id_of(key)
    records: list[CheckpointRecord] = []
    chained: CheckpointRecord | None = None

    def bad(problem: str, line: int, detail: str) -> CheckpointFile:
        return CheckpointFile(records, problem, line, detail)

    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            record = _record(number, text)
        except (ValueError, KeyError, TypeError) as exc:
            return bad("syntax", number, f"{type(exc).__name__}: {exc}")
        if record.legacy or not record.cmac:
            if chained is not None or record.cmac or record.n:
                return bad("legacy", number, "unauthenticated record after chained ones")
        else:
            if record.key_id != ours:
                problem = "wrong_key" if chained is None else "mac"
                return bad(problem, number, f"record key {record.key_id}, loaded key {ours}")
            if not hmac.compare_digest(checkpoint_mac(key, record), record.cmac):
                return bad("mac", number, "record does not match its MAC")
            expected = chained.n + 1 if chained is not None else 1
            if record.n != expected:
                return bad("number", number, f"record {record.n}, expected {expected}")
            if record.prev != (chained.cmac if chained is not None else ""):
                return bad("chain", number, "previous-record link broken")
            chained = record
        if records and record.seq < records[-1].seq:
            detail = f"head {record.seq} after {records[-1].seq}"
            return bad("backwards", number, detail)
        records.append(record)
    return CheckpointFile(records)


def refusal(last: CheckpointRecord | None, head_seq: int, mac_at_last: str | None) -> str | None:
    """Why the head ``head_seq`` may not be recorded after ``last`` (None: it may).

    ``rewound``: the head is lower than the last checkpoint's (newest events deleted);
    ``forked``: the event at the last checkpoint's number is gone or has another MAC (events
    rewritten). ``mac_at_last`` is the MAC of the event now at ``last.seq``, if any.
    """
    if last is None or last.seq == 0:
        return None
    if head_seq < last.seq:
        return "rewound"
    if mac_at_last is None or not hmac.compare_digest(mac_at_last, last.mac):
        return "forked"
    return None
