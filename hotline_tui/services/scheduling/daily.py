"""The scheduler's daily jobs: KPI snapshot, knowledge-article expiry, calendar coverage, audit
checkpoint, deep audit sample. Each takes the time it runs for and returns a small dict of
figures for the job's record (``scheduler_job.result``) and ``hotline status``.

The KPI snapshot counts one local day (Asia/Shanghai) from the change feed: the day's audit
events are found by bisecting the gap-free sequence on the events' times (a few primary-key
reads, no scan of the trail), then grouped by action and department; the in-time counts join the
assignments' stored due times. One row per department with activity, and one ``all`` row; taking
the same day twice changes nothing (the rows are unique per day and scope).
"""

from __future__ import annotations

import importlib
import json
import logging
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from db.models import (
    Assignment,
    AuditEvent,
    AuditHead,
    Department,
    KpiSnapshot,
    SchedulerJob,
    Ticket,
)
from db.models.scheduling import SCOPE_ALL
from hotline_tui.domain.workcal import SHANGHAI
from hotline_tui.services.admin import audit
from hotline_tui.services.admin.audit_deep import check_orders
from hotline_tui.services.admin.users import system_actor
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import deadlines
from hotline_tui.services.tickets.deadlines import Board
from hotline_tui.services.tickets.timelimits import coverage_alerts

__all__ = [
    "KB_HOOK",
    "audit_checkpoint",
    "audit_deep",
    "calendar_coverage",
    "day_bounds",
    "has_knowledge_base",
    "kb_expiry",
    "kpi_snapshot",
    "seq_at",
]

log = logging.getLogger(__name__)

KB_HOOK = ("hotline_tui.services.kb.usage", "flag_expired")
"""The knowledge base's expiry check, ``flag_expired(hl, actor) -> int`` (articles flagged to
their owners), called once a day as the system user when the knowledge-base tables exist;
without them the job does nothing."""

_COUNTED = {
    "register": "registered",
    "answer": "answered",
    "assign": "dispatched",
    "sign": "signed",
    "reply": "replied",
    "return": "returns",
    "return_reject": "returns_rejected",
    "urge": "urged",
    "supervise": "supervised",
}
_VISITS = ("visit_satisfied", "visit_unsatisfied")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day as a UTC half-open interval."""
    start = datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(UTC)
    return start, start + timedelta(days=1)


def seq_at(session: Session, moment: datetime) -> int:
    """The first audit sequence number whose event is at or after ``moment`` (head + 1 if none).

    Bisects on the primary key: events are numbered in commit order and stamped with their
    transaction's time, so times follow the numbers (a transaction open across midnight may
    land on either side, as its own clock says).
    """
    head = int(session.execute(select(col(AuditHead.seq))).scalar_one())
    low, high = 1, head + 1
    while low < high:
        middle = (low + high) // 2
        at = session.execute(
            select(col(AuditEvent.at)).where(col(AuditEvent.seq) == middle)
        ).scalar()
        if at is not None and at < moment:
            low = middle + 1
        else:
            high = middle
    return low


def _event_counts(session: Session, first: int, last: int) -> dict[int | None, dict[str, int]]:
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    e = AuditEvent
    in_range = and_(col(e.seq) > first, col(e.seq) <= last)
    for action, dept_id, count in session.execute(
        select(col(e.action), col(e.dept_id), func.count())
        .where(in_range, col(e.action).in_(list(_COUNTED)))
        .group_by(col(e.action), col(e.dept_id))
    ):
        counts[dept_id][_COUNTED[action]] += int(count)
    # In time: the event before the assignment's stored deadline (extensions moved it).
    for name, action, deadline in (
        ("signed_in_time", "sign", col(Assignment.sign_due_at)),
        ("replied_in_time", "reply", col(Assignment.due_at)),
    ):
        for dept_id, count in session.execute(
            select(col(e.dept_id), func.count())
            .join(Assignment, col(Assignment.id) == col(e.assignment_id))
            .where(in_range, col(e.action) == action, col(e.at) <= deadline)
            .group_by(col(e.dept_id))
        ):
            counts[dept_id][name] += int(count)
    lead = (
        select(col(e.action), col(e.data), col(Assignment.dept_id), col(Ticket.handover_count))
        .join(Ticket, col(Ticket.id) == col(e.ticket_id))
        .outerjoin(Assignment, col(Assignment.id) == col(Ticket.lead_assignment_id))
        .where(in_range, col(e.entity) == "ticket")
    )
    for _action, data, dept_id, _handovers in session.execute(
        lead.where(col(e.action).in_(_VISITS))
    ):
        found = json.loads(data or "{}")
        bucket = counts[dept_id]
        bucket["visits"] += 1
        satisfaction, resolution = found.get("satisfaction"), found.get("resolution")
        if satisfaction in ("satisfied", "basic", "unsatisfied"):
            bucket[satisfaction] += 1
        if resolution in ("resolved", "partly", "unresolved"):
            bucket[resolution] += 1
    for _action, _data, dept_id, handovers in session.execute(
        lead.where(col(e.to_state) == "closed", col(e.from_state).is_distinct_from("closed"))
    ):
        counts[dept_id]["closed"] += 1
        counts[dept_id]["handovers"] += int(handovers or 0)
    return counts


def kpi_snapshot(hl: Hotline, day: date, now: datetime) -> dict[str, Any]:
    """Count ``day`` per department and for the whole hotline; store it once."""
    start, end = day_bounds(day)
    with hl.reading() as session:
        first, last = seq_at(session, start) - 1, seq_at(session, end) - 1
        counts = _event_counts(session, first, last)
        codes = {
            int(i or 0): str(c)
            for i, c in session.execute(select(col(Department.id), col(Department.code)))
        }
    actor = system_actor(hl)
    for board, name in ((Board.OVERDUE, "overdue_open"), (Board.SIGN_OVERDUE, "sign_overdue_open")):
        for row in deadlines.counts(hl, actor, now=min(now, end), boards=(board,)):
            dept_id = next((i for i, c in codes.items() if c == row.dept), None)
            counts[dept_id][name] += row.count
    total: dict[str, int] = defaultdict(int)
    rows = []
    for dept_id, bucket in counts.items():
        for key, value in bucket.items():
            total[key] += value
        if dept_id is not None and dept_id in codes:
            rows.append({"scope": codes[dept_id], **bucket})
    rows.append({"scope": SCOPE_ALL, **total})
    base = {"day": day, "taken_at": now, "first_seq": first, "last_seq": last}
    values = [{**base, **row} for row in rows]
    insert = pg_insert if hl.dialect == "postgresql" else sqlite_insert
    statement = insert(KpiSnapshot).values(values).on_conflict_do_nothing()
    with hl.engines.write.begin() as conn:
        stored = len(conn.execute(statement.returning(col(KpiSnapshot.id))).all())
    return {"day": day.isoformat(), "scopes": len(values), "stored": stored, **total}


def has_knowledge_base(hl: Hotline) -> bool:
    """Whether the database has the knowledge base's tables (its migration ran)."""
    return any(name.startswith("kb_") for name in inspect(hl.engines.read).get_table_names())


def kb_expiry(hl: Hotline, now: datetime) -> dict[str, Any]:
    """Flag expired knowledge articles to their owners, if there is a knowledge base."""
    if not has_knowledge_base(hl):
        return {"skipped": "no_knowledge_base"}
    module_name, attribute = KB_HOOK
    del now  # the knowledge base counts expiry in local days of its own clock
    try:
        hook: Callable[[Hotline, Actor], int] | None = getattr(
            importlib.import_module(module_name), attribute, None
        )
    except ImportError:
        hook = None
    if hook is None:
        return {"skipped": "no_expiry_hook"}
    return {"flagged": int(hook(hl, system_actor(hl)))}


def calendar_coverage(hl: Hotline, now: datetime) -> dict[str, Any]:
    """The years due times count (or soon will) without their holiday notice."""
    alerts = coverage_alerts(hl, now.astimezone(SHANGHAI).date())
    for alert in alerts:
        log.warning("calendar: the holiday notice of %d is missing (%s)", alert.year, alert.reason)
    return {"missing": [{"year": a.year, "reason": a.reason} for a in alerts]}


def audit_checkpoint(hl: Hotline, now: datetime) -> dict[str, Any]:
    """Record the audit chain's head outside the database."""
    del now
    record = audit.checkpoint(hl)
    return {"seq": record.seq, "path": record.path}


DEEP_SAMPLE = 1000
"""Orders the daily deep check draws at random, besides those changed since its last run."""
DEEP_WINDOW = timedelta(days=7)
"""How far back "changed since the last run" reaches after a long outage."""


def _previous_result(hl: Hotline, name: str) -> dict[str, Any]:
    with hl.reading() as session:
        stored = session.execute(
            select(col(SchedulerJob.result)).where(col(SchedulerJob.name) == name)
        ).scalar()
    try:
        found = json.loads(stored or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def audit_deep(hl: Hotline, now: datetime, *, sample: int = DEEP_SAMPLE) -> dict[str, Any]:
    """Compare orders with their audited events (``audit verify --deep`` on a sample): every
    order changed since the last run (at most :data:`DEEP_WINDOW` back), ``sample`` drawn at
    random, and those found wrong last time, so a finding stays until the rows are put right.
    Mismatches are logged and counted in the result; ``hotline status`` reports them."""
    previous = _previous_result(hl, "audit_deep")
    with hl.reading() as session:
        head = int(session.execute(select(col(AuditHead.seq))).scalar_one())
        since = max(int(previous.get("mark") or 0), seq_at(session, now - DEEP_WINDOW) - 1)
        changed = set(
            session.execute(
                select(col(AuditEvent.ticket_id))
                .where(col(AuditEvent.seq) > since, col(AuditEvent.seq) <= head)
                .where(col(AuditEvent.ticket_id).is_not(None))
                .distinct()
            ).scalars()
        )
        low, high = session.execute(
            select(func.min(col(Ticket.id)), func.max(col(Ticket.id)))
        ).one()
    # Drawn from the system's randomness: a sample someone could predict, they could avoid.
    draw = random.SystemRandom()
    picked = {draw.randint(low, high) for _ in range(sample)} if low is not None else set()
    again = {int(i) for i in previous.get("bad") or []}
    report = check_orders(hl, {int(i) for i in changed} | picked | again)
    for found in report.mismatches:
        log.error("audit deep check: %s", found)
    return {
        "orders": report.orders,
        "parts": report.parts,
        "changed": len(changed),
        "sampled": len(picked),
        "unchecked_fields": report.unchecked_fields,
        "mismatches": report.total,
        "bad": sorted(report.bad_orders)[:1000],
        "mark": head,
    }
