"""Audit trail services: verify the chain, record checkpoints, read the change feed."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from db.models import AuditEvent, AuditHead
from hotline_tui.domain.audit_chain import MAC_FIELDS, Checkpoint, VerifyReport, verify_chain
from hotline_tui.domain.errors import ConfigError
from hotline_tui.domain.permissions import require
from hotline_tui.services.context import Actor, Hotline

BATCH = 5000


def read_checkpoint(path: Path) -> Checkpoint | None:
    """The newest checkpoint line of the file, if any."""
    try:
        lines = [line for line in path.read_text().splitlines() if line.strip()]
    except FileNotFoundError:
        return None
    if not lines:
        return None
    try:
        last = json.loads(lines[-1])
        return Checkpoint(seq=int(last["seq"]), mac=str(last["mac"]))
    except (ValueError, KeyError, TypeError):
        raise ConfigError("config.checkpoint_invalid", path=str(path)) from None


def _events(hl: Hotline) -> Iterator[dict[str, Any]]:
    """All events in seq order, read in batches so a long chain needs little memory."""
    after = 0
    columns = [getattr(AuditEvent, name) for name in (*MAC_FIELDS, "mac")]
    while True:
        with hl.reading() as session:
            rows = session.exec(
                select(*columns)
                .where(AuditEvent.seq > after)
                .order_by(col(AuditEvent.seq))
                .limit(BATCH)
            ).all()
        if not rows:
            return
        for row in rows:
            yield dict(row._mapping)
        after = int(rows[-1].seq)


def verify(hl: Hotline, actor: Actor | None = None, *, use_checkpoint: bool = True) -> VerifyReport:
    """Check the whole chain against the key and the newest checkpoint."""
    if actor is not None:
        require(actor.role, "audit.verify", username=actor.username)
    checkpoint = read_checkpoint(hl.settings.checkpoint_path) if use_checkpoint else None
    report = verify_chain(_events(hl), hl.key.secret, checkpoint)
    if report.ok:
        with hl.reading() as session:
            head = session.exec(select(AuditHead).where(AuditHead.id == 1)).one()
        if head.seq != report.head_seq:
            return VerifyReport(
                False,
                report.checked,
                report.head_seq,
                report.head_seq + 1,
                "head",
                f"head row says {head.seq}",
            )
    return report


@dataclass(frozen=True)
class CheckpointRecord:
    seq: int
    mac: str
    path: str


def checkpoint(hl: Hotline, actor: Actor | None = None) -> CheckpointRecord:
    """Append the current head to the checkpoint file (outside the database), durably."""
    if actor is not None:
        require(actor.role, "audit.checkpoint", username=actor.username)
    with hl.reading() as session:
        head = session.exec(select(AuditHead).where(AuditHead.id == 1)).one()
    path = hl.settings.checkpoint_path
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {"seq": head.seq, "mac": head.mac, "at": hl.now().isoformat(), "key_id": hl.key.key_id}
    )
    with path.open("a") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return CheckpointRecord(int(head.seq), str(head.mac), str(path))


def changes_since(hl: Hotline, after_seq: int, limit: int = 1000) -> list[dict[str, Any]]:
    """The change feed: events after ``after_seq`` in order (console refresh, index refresh)."""
    with hl.reading() as session:
        rows = session.exec(
            select(AuditEvent)
            .where(AuditEvent.seq > after_seq)
            .order_by(col(AuditEvent.seq))
            .limit(limit)
        )
        return [
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "action": e.action,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "ticket_id": e.ticket_id,
            }
            for e in rows
        ]
