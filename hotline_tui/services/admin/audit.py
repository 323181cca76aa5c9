"""Audit trail services: verify the chain against every checkpoint and against the orders,
record checkpoints, read the change feed.

:func:`verify` walks every event (its MAC and its link), compares every checkpoint of the file
with the event at its number, checks the file's own chain, the head row, and that every order
has its registration event and every registration its order (two anti-joins on a partial index
of the registration events: no loop over orders here). :func:`checkpoint` appends the head to
the checkpoint file under its lock, refusing a head that went backwards or forked since the
last checkpoint. The business rows themselves are compared with their events by
:mod:`hotline_tui.services.admin.audit_deep`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, String, exists, func, literal_column
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from db.models import AuditEvent, AuditHead, Ticket
from hotline_tui.domain.audit_chain import MAC_FIELDS, Checkpoint, VerifyReport, verify_chain
from hotline_tui.domain.audit_checkpoints import CheckpointFile, refusal, seal
from hotline_tui.domain.errors import AuditMismatch, ConfigError
from hotline_tui.domain.permissions import require
from hotline_tui.services.admin import checkpoint_file
from hotline_tui.services.context import Actor, Hotline

log = logging.getLogger(__name__)

BATCH = 5000
NAMED = 5
"""How many orders a failed check names (the count says how many there are)."""

REGISTER: ColumnElement[str] = literal_column("'register'", String)
"""Every order's first event (``tickets.intake.register_op``). A literal, not a parameter: the
partial index ``ix_audit_event_register`` serves only a query whose condition names the value."""


def read_checkpoint(path: Path) -> Checkpoint | None:
    """The newest checkpoint line of the file, if any (not authenticated: for the status)."""
    try:
        lines = [line for line in path.read_text().splitlines() if line.strip()]
    except FileNotFoundError:
        return None
    if not lines:
        return None
    try:
        last = json.loads(lines[-1])
        return Checkpoint(seq=int(last["seq"]), mac=str(last["mac"]), n=int(last.get("n", 0)))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ConfigError("config.checkpoint_invalid", path=str(path)) from None


def read_checkpoints(hl: Hotline) -> CheckpointFile:
    """Every record of the checkpoint file, authenticated under the audit key."""
    return checkpoint_file.read(hl.settings.checkpoint_path, hl.key.secret)


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


@dataclass(frozen=True)
class HeadState:
    """The head row and the events around it, read in one statement (one snapshot)."""

    seq: int
    mac: str
    mac_at_head: str | None
    newest: int
    mac_at: str | None  # the MAC of the event at the number asked about


def read_head(session: Session, at: int = 0) -> HeadState:
    e = AuditEvent
    row = session.execute(
        core_select(
            col(AuditHead.seq),
            col(AuditHead.mac),
            select(col(e.mac)).where(col(e.seq) == col(AuditHead.seq)).scalar_subquery(),
            select(func.coalesce(func.max(col(e.seq)), 0)).scalar_subquery(),
            select(col(e.mac)).where(col(e.seq) == at).scalar_subquery(),
        ).where(col(AuditHead.id) == 1)
    ).one()
    return HeadState(int(row[0]), str(row[1]), row[2], int(row[3]), row[4])


def _head_problem(head: HeadState, walked: int) -> str | None:
    """Why the head row disagrees with the events (events may have been added since the walk)."""
    if head.seq < walked:
        return f"head row says {head.seq}, the chain goes to {walked}"
    if head.seq and head.mac_at_head != head.mac:
        return f"head row says {head.seq} with another MAC than that event's"
    if head.newest != head.seq:
        return f"head row says {head.seq}, the newest event is {head.newest}"
    return None


_REGISTERED = exists().where(
    col(AuditEvent.ticket_id) == col(Ticket.id), col(AuditEvent.action) == REGISTER
)
_HAS_ORDER = exists().where(col(Ticket.id) == col(AuditEvent.ticket_id))


def unregistered_orders(session: Session) -> tuple[int, list[str]]:
    """Orders without their registration event: how many, and the first ones' numbers."""
    missing = ~_REGISTERED
    count = int(session.exec(select(func.count()).select_from(Ticket).where(missing)).one())
    if not count:
        return 0, []
    first = select(col(Ticket.number)).where(missing).order_by(col(Ticket.id)).limit(NAMED)
    return count, [str(number) for number in session.exec(first)]


def vanished_orders(session: Session) -> tuple[int, list[str]]:
    """Registration events whose order row is gone: how many, and the first ones' ids."""
    gone = (col(AuditEvent.action) == REGISTER) & ~_HAS_ORDER
    count = int(session.exec(select(func.count()).select_from(AuditEvent).where(gone)).one())
    if not count:
        return 0, []
    first = select(col(AuditEvent.ticket_id)).where(gone).order_by(col(AuditEvent.seq)).limit(NAMED)
    return count, [f"#{ticket_id}" for ticket_id in session.exec(first)]


def verify(hl: Hotline, actor: Actor | None = None, *, use_checkpoint: bool = True) -> VerifyReport:
    """Check the whole chain against the key, every checkpoint, the head row and the orders."""
    if actor is not None:
        require(actor.role, "audit.verify", username=actor.username)
    found = read_checkpoints(hl) if use_checkpoint else CheckpointFile()
    marks = [Checkpoint(r.seq, r.mac, r.n) for r in found.records]
    report = verify_chain(_events(hl), hl.key.secret, marks)
    if not report.ok:
        return report
    if not found.ok:
        detail = f"line {found.line}: {found.problem} ({found.detail})"
        return replace(report, ok=False, reason="checkpoint_file", detail=detail)
    with hl.reading() as session:
        problem = _head_problem(read_head(session), report.head_seq)
        if problem is not None:
            return replace(
                report, ok=False, bad_seq=report.head_seq + 1, reason="head", detail=problem
            )
        orders = int(session.exec(select(func.count()).select_from(Ticket)).one())
        missing, numbers = unregistered_orders(session)
        gone, ids = vanished_orders(session)
    report = replace(report, orders=orders)
    if missing:
        detail = f"{missing} orders without their registration events: {', '.join(numbers)}"
        return replace(report, ok=False, reason="orders", detail=detail)
    if gone:
        detail = f"{gone} registered orders missing from the database: {', '.join(ids)}"
        return replace(report, ok=False, reason="orders_gone", detail=detail)
    return report


@dataclass(frozen=True)
class CheckpointTaken:
    n: int
    seq: int
    mac: str
    path: str


def checkpoint(hl: Hotline, actor: Actor | None = None) -> CheckpointTaken:
    """Append the current head to the checkpoint file, chained to the last record, durably.

    Under the file's lock: the file must verify, the head row must be the newest event, and
    the head must not have gone below the last checkpoint nor lost the event it recorded
    (:class:`AuditMismatch` otherwise: such a head is evidence of tampering, never recorded).
    """
    if actor is not None:
        require(actor.role, "audit.checkpoint", username=actor.username)
    path, key = hl.settings.checkpoint_path, hl.key.secret
    with checkpoint_file.locked(path, exclusive=True) as handle:
        assert handle is not None
        found = checkpoint_file.read_locked(path, key)
        if not found.ok:
            raise AuditMismatch(
                "audit.checkpoint_file", path=str(path), line=found.line, problem=found.problem
            )
        last = found.last
        with hl.reading() as session:
            head = read_head(session, last.seq if last is not None else 0)
        if head.newest != head.seq or (head.seq and head.mac_at_head != head.mac):
            raise AuditMismatch("audit.head_mismatch", head=head.seq, newest=head.newest)
        why = refusal(last, head.seq, head.mac_at)
        if why is not None and last is not None:
            raise AuditMismatch(
                f"audit.checkpoint_{why}", seq=head.seq, checkpoint_seq=last.seq, n=last.n
            )
        record = seal(key, last, seq=head.seq, mac=head.mac, at=hl.now())
        checkpoint_file.append(handle, record)
    # Also in the log: a copy of each record kept elsewhere is what reveals a truncated file.
    log.info("audit checkpoint %d: seq %d cmac %s", record.n, record.seq, record.cmac)
    return CheckpointTaken(record.n, record.seq, record.mac, str(path))


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
