"""``audit verify --deep``: each order's and part's current row against what its events say.

For a batch of orders (a range of ids, or a sample), one grouped query over the events of those
orders (index ``ix_audit_event_ticket_seq``) finds, per order and per part, the newest event
with a state, the newest with a version, the newest ``register``/``edit`` (an order's own
fields) and the ``assign`` (a part's department, role and order); those events are read and
each is checked against its own MAC, so an event edited to agree with an edited row is named
too. Then (see :mod:`hotline_tui.domain.audit_fields`):

- an order: its state, version and own fields;
- a part (assignment): its state, version, department, role and order;
- a row without events (inserted behind the program's back) and events without their row
  (a row deleted) are reported as ``row``.

The events are trusted as far as the chain is: ``audit verify`` walks it first. The scheduler's
daily job checks a sample with the same code (:func:`check_orders`).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from db.models import Assignment, AuditEvent, Department, Ticket
from hotline_tui.domain.audit_chain import MAC_FIELDS, compute_mac, key_id_of
from hotline_tui.domain.audit_fields import ASSIGN, FIELD_ACTIONS, ORDER_FIELDS, compare
from hotline_tui.domain.permissions import require
from hotline_tui.services.context import Actor, Hotline

BATCH = 500
"""Orders per batch: the events of 500 orders are a few thousand rows."""

Where = Callable[[Any], ColumnElement[bool]]


@dataclass(frozen=True)
class Mismatch:
    """A stored value that is not the audited one.

    ``number`` is the order's (``#id`` when its row is gone), ``part`` the part's department
    (None: the order itself); ``field`` a column, ``row`` (a row without its events, or events
    without their row) or ``event`` (the event that says so does not match its MAC). ``seq``
    is the event the audited value comes from; ``audited`` is None for a digested text.
    """

    number: str
    part: str | None
    field: str
    stored: Any
    audited: Any
    seq: int | None
    digested: bool = False
    ticket_id: int | None = None


@dataclass
class DeepReport:
    """Orders and parts compared, orders whose own fields predate their digests, and the first
    ``limit`` of ``total`` mismatches."""

    orders: int = 0
    parts: int = 0
    unchecked_fields: int = 0
    total: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    limit: int = 20
    bad_orders: set[int] = field(default_factory=set)  # ids of every order with a mismatch

    @property
    def ok(self) -> bool:
        return self.total == 0

    def add(self, mismatch: Mismatch) -> None:
        self.total += 1
        if mismatch.ticket_id is not None:
            self.bad_orders.add(int(mismatch.ticket_id))
        if len(self.mismatches) < self.limit:
            self.mismatches.append(mismatch)


@dataclass
class _Audited:
    """What one order's or part's events say."""

    ticket_id: int | None
    state: str | None = None
    state_seq: int | None = None
    version: int | None = None
    version_seq: int | None = None
    fields: dict[str, Any] | None = None
    fields_seq: int | None = None
    assign: dict[str, Any] | None = None
    unsure: set[str] = field(default_factory=set)  # told by an event that failed its MAC


_TICKET = [col(Ticket.id), col(Ticket.number), col(Ticket.state), col(Ticket.version)] + [
    getattr(Ticket, name) for name in ORDER_FIELDS
]
_PART = [
    col(Assignment.id),
    col(Assignment.ticket_id),
    col(Assignment.dept_id),
    col(Assignment.role),
    col(Assignment.state),
    col(Assignment.version),
]
_EVENT = [getattr(AuditEvent, name) for name in (*MAC_FIELDS, "mac")]


def _newest(condition: ColumnElement[bool]) -> Any:
    return func.max(case((condition, col(AuditEvent.seq))))


def _audited(
    session: Session, key: bytes, where: Where, report: DeepReport
) -> dict[tuple[str, int], _Audited]:
    """What the events of the batch's orders say, per ``(entity, id)``; events that do not
    match their MAC are reported and not used."""
    e = AuditEvent
    grouped = session.execute(
        core_select(
            col(e.entity),
            col(e.entity_id),
            func.max(col(e.ticket_id)),
            _newest(col(e.to_state).is_not(None)),
            _newest(col(e.entity_version).is_not(None)),
            _newest(col(e.action).in_(FIELD_ACTIONS)),
            func.min(case((col(e.action) == ASSIGN, col(e.seq)))),
        )
        .where(where(col(e.ticket_id)), col(e.entity).in_(("ticket", "assignment")))
        .group_by(col(e.entity), col(e.entity_id))
    ).all()
    wanted = {int(s) for row in grouped for s in row[3:] if s is not None}
    events: dict[int, dict[str, Any]] = {}
    forged: set[int] = set()
    ours = key_id_of(key)
    for chunk in _chunks(sorted(wanted), 1000):
        for row in session.execute(select(*_EVENT).where(col(e.seq).in_(chunk))):
            event = dict(row._mapping)
            if event["key_id"] != ours or not hmac.compare_digest(
                compute_mac(key, event), str(event["mac"])
            ):
                ticket_id, seq = event["ticket_id"], int(event["seq"])
                report.add(
                    Mismatch(f"#{ticket_id}", None, "event", None, None, seq, False, ticket_id)
                )
                forged.add(int(event["seq"]))
                continue
            events[int(event["seq"])] = event
    found: dict[tuple[str, int], _Audited] = {}
    for entity, entity_id, ticket_id, state_seq, version_seq, fields_seq, assign_seq in grouped:
        audited = _Audited(ticket_id)
        for name, seq in (("state", state_seq), ("version", version_seq), ("fields", fields_seq)):
            if seq in forged:
                audited.unsure.add(name)
        if (state := events.get(state_seq)) is not None:
            audited.state, audited.state_seq = state["to_state"], state_seq
        if (version := events.get(version_seq)) is not None:
            audited.version, audited.version_seq = version["entity_version"], version_seq
        if (edited := events.get(fields_seq)) is not None:
            audited.fields_seq = fields_seq
            audited.fields = _json(edited["data"]).get("fields")
        if (assign := events.get(assign_seq)) is not None:
            role = _json(assign["data"]).get("role")
            audited.assign = {
                "seq": assign_seq,
                "ticket_id": assign["ticket_id"],
                "dept_id": assign["dept_id"],
                "role": role,
            }
        found[(str(entity), int(entity_id))] = audited
    return found


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _chunks(values: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _check(
    session: Session, key: bytes, where: Where, depts: dict[int, str], report: DeepReport
) -> None:
    """Compare one batch of orders (and their parts) with their events."""
    audited = _audited(session, key, where, report)
    tickets = session.execute(select(*_TICKET).where(where(col(Ticket.id)))).all()
    parts = session.execute(select(*_PART).where(where(col(Assignment.ticket_id)))).all()
    numbers = {int(t.id): str(t.number) for t in tickets}
    for t in tickets:
        report.orders += 1
        said = audited.pop(("ticket", int(t.id)), None)
        if said is None:
            report.add(Mismatch(t.number, None, "row", "present", None, None, False, t.id))
            continue
        for name, stored, value, seq in (
            ("state", t.state, said.state, said.state_seq),
            ("version", t.version, said.version, said.version_seq),
        ):
            if stored != value and name not in said.unsure:
                report.add(Mismatch(t.number, None, name, stored, value, seq, False, t.id))
        if "fields" in said.unsure:
            continue
        if said.fields is None:
            report.unchecked_fields += 1
            continue
        for diff in compare(key, said.fields, dict(t._mapping)):
            report.add(
                Mismatch(
                    t.number,
                    None,
                    diff.field,
                    diff.stored,
                    diff.audited,
                    said.fields_seq,
                    diff.digested,
                    t.id,
                )
            )
    for p in parts:
        report.parts += 1
        number = numbers.get(int(p.ticket_id), f"#{p.ticket_id}")
        dept = depts.get(int(p.dept_id), str(p.dept_id))
        said = audited.pop(("assignment", int(p.id)), None)
        if said is None or said.assign is None:
            report.add(Mismatch(number, dept, "row", "present", None, None, False, p.ticket_id))
            continue
        assign = said.assign
        for name, stored, value, seq in (
            ("state", p.state, said.state, said.state_seq),
            ("version", p.version, said.version, said.version_seq),
            ("ticket_id", p.ticket_id, assign["ticket_id"], assign["seq"]),
            ("dept", dept, depts.get(assign["dept_id"], str(assign["dept_id"])), assign["seq"]),
            ("role", p.role, assign["role"], assign["seq"]),
        ):
            if stored != value and name not in said.unsure:
                report.add(Mismatch(number, dept, name, stored, value, seq, False, p.ticket_id))
    for (entity, _entity_id), said in sorted(audited.items()):
        number = numbers.get(said.ticket_id or 0, f"#{said.ticket_id}")
        dept_id = said.assign["dept_id"] if said.assign is not None else None
        part = None if entity == "ticket" else depts.get(dept_id or 0, "?")
        report.add(
            Mismatch(number, part, "row", None, "audited", said.state_seq, False, said.ticket_id)
        )


def _departments(session: Session) -> dict[int, str]:
    return {
        int(i or 0): str(c)
        for i, c in session.execute(select(col(Department.id), col(Department.code)))
    }


def verify_rows(hl: Hotline, actor: Actor | None = None, *, limit: int = 20) -> DeepReport:
    """Every order and part against its events (batches of :data:`BATCH` orders by id)."""
    if actor is not None:
        require(actor.role, "audit.verify", username=actor.username)
    report = DeepReport(limit=limit)
    key = hl.key.secret
    lower: int | None = None
    with hl.reading() as session:
        depts = _departments(session)
    while True:
        with hl.reading() as session:
            ids = select(col(Ticket.id)).order_by(col(Ticket.id)).limit(BATCH)
            if lower is not None:
                ids = ids.where(col(Ticket.id) > lower)
            found = list(session.execute(ids).scalars())
            upper = int(found[-1]) if found else None
            _check(session, key, _between(lower, upper), depts, report)
        if upper is None:  # the last batch took every id above: events of deleted orders
            return report
        lower = upper


def _between(lower: int | None, upper: int | None) -> Where:
    def where(column: Any) -> ColumnElement[bool]:
        conditions = [column.is_not(None)]
        if lower is not None:
            conditions.append(column > lower)
        if upper is not None:
            conditions.append(column <= upper)
        return and_(*conditions)

    return where


def check_orders(hl: Hotline, ticket_ids: Iterable[int], *, limit: int = 20) -> DeepReport:
    """The orders with these ids (present or not) and their parts against their events."""
    report = DeepReport(limit=limit)
    key = hl.key.secret
    with hl.reading() as session:
        depts = _departments(session)
    for chunk in _chunks(sorted(set(ticket_ids)), BATCH):
        with hl.reading() as session:
            _check(session, key, _among(chunk), depts, report)
    return report


def _among(ids: Sequence[int]) -> Where:
    def where(column: Any) -> ColumnElement[bool]:
        return column.in_(ids)  # type: ignore[no-any-return]

    return where
