"""The hotline's own late steps in the minute scan, escalated to the supervisors.

An order overdue for dispatch (派单), a department's return overdue for the hotline's review
(退单审核) or its extension request overdue for a decision (延期审批) — the rules are
:mod:`hotline_tui.domain.hotline_steps` — is a step of the scan like the departments' flags
(:mod:`hotline_tui.services.scheduling.escalation`), taken once per step and deadline:

1. :func:`find` - one indexed statement per kind (the partial indexes on the dispatch and the
   review due times), anti-joining the claims already made, read without locks;
2. :func:`take` - per batch, one write transaction: re-read the orders and parts and check the
   step is still due (a dispatcher may have acted meanwhile), *claim* it by inserting its
   ``hotline_step_late`` row (the unique key (order, part, step, deadline) is the
   compare-and-set: a row already there means another scheduler took it), record the audit
   event ``deadline.hotline_late``, and put the event's sequence number on the row. The
   supervisors' notices (:mod:`hotline_tui.services.tickets.notices`) are those rows, in the change
   feed's numbering.

Noted at any hour, as the departments' 红灯 is: the notice tells the supervisors the moment the
hotline is late. A crash rolls the whole batch back, claim and event together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, literal, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from db.models import Assignment, AuditHead, Department, HotlineStepLate, Ticket
from hotline_tui.domain.hotline_steps import HOTLINE, LATE_STEPS, REVIEW_STEP_OF, HotlineStep
from hotline_tui.domain.states import TicketState
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.due_sql import IN_REVIEW_A, TO_DISPATCH_T
from hotline_tui.services.tickets.timelimits import calendar_for
from hotline_tui.services.uow import UnitOfWork

__all__ = ["ACTION", "BATCH", "Late", "find", "notice_rows", "take"]

ACTION = "deadline.hotline_late"
BATCH = 200
_STEP_OF_LATE = {late: step for step, late in LATE_STEPS.items()}
_NOTE = {
    HotlineStep.DISPATCH: "派单时限 {when} 已过，工单仍待派单",
    HotlineStep.RETURN_REVIEW: "退单审核时限 {when} 已过，退单仍待热线审核",
    HotlineStep.EXTENSION_DECISION: "延期审批时限 {when} 已过，延期申请仍待审批",
}


@dataclass(frozen=True)
class Late:
    """A hotline step overdue: the order, the part decided on (0: the order's dispatch), its
    department, the scheduler's step name and the deadline it is late for."""

    ticket_id: int
    part_id: int
    dept_id: int | None
    step: str
    deadline: datetime

    @property
    def key(self) -> tuple[int, int, str, datetime]:
        return (self.ticket_id, self.part_id, self.step, self.deadline)


def _not_taken(ticket_id: Any, part_id: Any, step: str, deadline: Any) -> Any:
    h = HotlineStepLate
    return ~exists().where(
        col(h.ticket_id) == ticket_id,
        col(h.part_id) == part_id,
        col(h.step) == step,
        col(h.deadline) == deadline,
    )


def find(hl: Hotline, now: datetime) -> list[Late]:
    """Every hotline step overdue at ``now`` and not yet escalated for its deadline."""
    t, a = Ticket, Assignment
    found: list[Late] = []
    with hl.reading() as session:
        late = LATE_STEPS[HotlineStep.DISPATCH]
        due = col(t.dispatch_due_at)
        for ticket_id, deadline in session.execute(
            select(col(t.id), due).where(
                text(TO_DISPATCH_T), due <= now, _not_taken(col(t.id), literal(0), late, due)
            )
        ):
            found.append(Late(int(ticket_id), 0, None, late, deadline))
        review = col(a.review_due_at)
        for state, step in REVIEW_STEP_OF.items():
            late = LATE_STEPS[step]
            rows = session.execute(
                select(col(a.id), col(a.ticket_id), col(a.dept_id), review).where(
                    text(IN_REVIEW_A),
                    col(a.state) == state,
                    review <= now,
                    _not_taken(col(a.ticket_id), col(a.id), late, review),
                )
            )
            found += [Late(int(tid), int(aid), int(d), late, at) for aid, tid, d, at in rows]
    found.sort(key=lambda x: (x.ticket_id, x.part_id, x.step))
    return found


def _still_due(late: Late, t: Ticket | None, a: Assignment | None, now: datetime) -> bool:
    """The step's condition, re-read in the taking transaction."""
    if late.deadline > now or t is None:
        return False
    if late.part_id == 0:
        return t.state == TicketState.PENDING_DISPATCH.value and t.dispatch_due_at == late.deadline
    if a is None:
        return False
    step = REVIEW_STEP_OF.get(a.state)
    return step is not None and LATE_STEPS[step] == late.step and a.review_due_at == late.deadline


def _claim(
    session: Session, batch: Sequence[Late], now: datetime, holder: str
) -> set[tuple[int, int, str, datetime]]:
    """Insert the rows; the keys of those this transaction inserted."""
    if not batch:
        return set()
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    h = HotlineStepLate
    statement = (
        insert(h)
        .on_conflict_do_nothing()
        .returning(col(h.ticket_id), col(h.part_id), col(h.step), col(h.deadline))
    )
    rows = session.execute(
        statement,
        [
            {
                "ticket_id": x.ticket_id,
                "part_id": x.part_id,
                "dept_id": x.dept_id,
                "step": x.step,
                "deadline": x.deadline,
                "acted_at": now,
                "seq": None,
                "holder": holder,
            }
            for x in batch
        ],
    )
    return {(int(r[0]), int(r[1]), str(r[2]), r[3]) for r in rows}


def _take_batch(
    hl: Hotline, actor: Actor, batch: Sequence[Late], now: datetime, holder: str
) -> list[str]:
    cal = calendar_for(hl)

    def work(uow: UnitOfWork) -> list[str]:
        uow.now = now  # the scan acts "as of" its own now
        session = uow.session
        tickets = {
            t.id: t
            for t in session.scalars(
                select(Ticket).where(col(Ticket.id).in_({x.ticket_id for x in batch}))
            )
        }
        part_ids = {x.part_id for x in batch if x.part_id}
        parts = (
            {
                a.id: a
                for a in session.scalars(select(Assignment).where(col(Assignment.id).in_(part_ids)))
            }
            if part_ids
            else {}
        )
        due = [
            x for x in batch if _still_due(x, tickets.get(x.ticket_id), parts.get(x.part_id), now)
        ]
        claimed = _claim(session, due, now, holder)
        marks: list[tuple[Late, int]] = []
        for x in due:
            if x.key not in claimed:
                continue  # another scheduler took it first
            marks.append((x, len(uow.events)))
            t, a = tickets[x.ticket_id], parts.get(x.part_id)
            step = _STEP_OF_LATE[x.step]
            when = f"{x.deadline.astimezone(cal.tz):%m-%d %H:%M}"
            uow.record(
                ACTION,
                entity="assignment" if a is not None else "ticket",
                entity_id=a.id if a is not None else t.id,
                ticket_id=t.id,
                assignment_id=a.id if a is not None else None,
                dept_id=a.dept_id if a is not None else None,
                from_state=a.state if a is not None else t.state,
                to_state=a.state if a is not None else t.state,
                note=_NOTE[step].format(when=when),
                data={"step": x.step, "deadline": x.deadline.isoformat(), "auto": True},
            )
        _number(uow, marks)
        return [x.step for x, _mark in marks]

    return uow_module.write(hl, actor, work)


def _number(uow: UnitOfWork, marks: list[tuple[Late, int]]) -> None:
    """Write the audit events, then put each one's sequence number on its row."""
    if not marks:
        return
    pending = len(uow.events)
    uow.flush_audit()
    session = uow.session
    head = session.execute(select(col(AuditHead.seq)).where(col(AuditHead.id) == 1)).scalar_one()
    first = int(head) - pending + 1
    table = HotlineStepLate.__table__  # type: ignore[attr-defined]
    session.execute(
        update(table)
        .where(
            table.c.ticket_id == bindparam("h_ticket"),
            table.c.part_id == bindparam("h_part"),
            table.c.step == bindparam("h_step"),
            table.c.deadline == bindparam("h_deadline"),
        )
        .values(seq=bindparam("h_seq")),
        [
            {
                "h_ticket": x.ticket_id,
                "h_part": x.part_id,
                "h_step": x.step,
                "h_deadline": x.deadline,
                "h_seq": first + mark,
            }
            for x, mark in marks
        ],
    )


def take(
    hl: Hotline, actor: Actor, found: Sequence[Late], now: datetime, holder: str = ""
) -> dict[str, int]:
    """Escalate one batch of the steps found (one transaction); how many of each step this
    scheduler took."""
    taken = {late: 0 for late in LATE_STEPS.values()}
    for step in _take_batch(hl, actor, found, now, holder):
        taken[step] += 1
    return taken


def notice_rows(session: Session, after_seq: int, limit: int) -> list[tuple[Any, ...]]:
    """The escalations after ``after_seq`` as the notices' rows: (seq, acted at, step, order,
    ``hotline``, the part's department short name and name (empty for a dispatch), deadline,
    title, description, urgency)."""
    h = HotlineStepLate
    rows = session.execute(
        select(
            col(h.seq),
            col(h.acted_at),
            col(h.step),
            col(Ticket.number),
            literal(HOTLINE),
            col(Department.short_name),
            col(Department.name),
            col(h.deadline),
            col(Ticket.title),
            col(Ticket.description),
            col(Ticket.urgency),
        )
        .join(Ticket, col(Ticket.id) == col(h.ticket_id))
        .outerjoin(Department, col(Department.id) == col(h.dept_id))
        .where(col(h.seq) > after_seq)
        .order_by(col(h.seq))
        .limit(limit)
    ).all()
    return [(*r[:5], r[5] or "", r[6] or "", *r[7:]) for r in rows]
