"""The minute scan: deadline flags and the escalation ladder, each step exactly once.

:func:`scan` is stateless: given ``now`` it finds, with one indexed statement per step, the
assignments on which a step is due and not yet taken for their current deadline
(:mod:`hotline_tui.services.scheduling.escalation_find`; the rules are
:mod:`hotline_tui.domain.escalation`), and takes it. Missed minutes need no replay: after an
outage one scan finds everything that fell due meanwhile, once.

Taking a step, in one write transaction per batch (:func:`hotline_tui.services.uow.write`):

1. re-read the orders and assignments of the batch — locked when the step changes them
   (催办, 督办) — and check the step is still due (the candidates were read without locks; a
   department may have replied meanwhile);
2. *claim* it: insert its ``escalation_step`` row; the unique key (assignment, step, deadline)
   is the compare-and-set — a row already there means another scheduler took it, and nothing
   more is done for it;
3. act through the ticket services' own operations (``urge_op``, ``supervise_op``) as the
   ``system`` user, or record the flag's or the 通报's audit event;
4. write the audit events and put each one's sequence number on its step row (the console
   polls notices by that number, :mod:`hotline_tui.services.tickets.notices`).

A crash anywhere rolls the whole batch back, claim and act together: a restarted scan finds those
steps again and takes them once.

After the departments' steps, the hotline's own late steps (派单, 退单审核, 延期审批 overdue) are
escalated to the supervisors the same way
(:mod:`hotline_tui.services.scheduling.escalation_hotline`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from db.models import Assignment, AuditHead, Department, EscalationStep, Supervision, Ticket
from hotline_tui.domain.clock import clock_runs
from hotline_tui.domain.escalation import LADDER_STEPS, Step, in_working_time
from hotline_tui.domain.hotline_steps import LATE_STEPS
from hotline_tui.domain.states import AssignmentState, TicketState
from hotline_tui.domain.workcal import WorkCalendar
from hotline_tui.services import uow as uow_module
from hotline_tui.services.admin.users import system_actor
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.scheduling import escalation_hotline
from hotline_tui.services.scheduling.escalation_find import (
    FULL_EVERY,
    LADDER_STATES,
    Candidate,
    ScanMark,
    feed_head,
    find,
    window_since,
)
from hotline_tui.services.tickets.supervision import supervise_op, urge_op
from hotline_tui.services.tickets.timelimits import calendar_for
from hotline_tui.services.uow import UnitOfWork

__all__ = ["BATCH", "Candidate", "ScanMark", "ScanReport", "find", "scan"]

BATCH = 200
FLAG_ACTIONS = {
    Step.NEAR_DUE: "deadline.near_due",
    Step.OVERDUE: "deadline.overdue",
    Step.SIGN_OVERDUE: "deadline.sign_overdue",
    Step.VISIT_DUE: "deadline.visit_due",
}
NOTICE_ACTION = "public_notice"
BatchHook = Callable[[str, int], None]


@dataclass
class ScanReport:
    """What one scan found and took, per step (``working_time``: whether the ladder ran;
    ``full``: whether it searched everything or since the last scan; ``mark``: where it left
    off, for the next one)."""

    now: datetime
    working_time: bool
    full: bool = True
    found: dict[str, int] = field(default_factory=dict)
    taken: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    mark: ScanMark | None = None

    @property
    def total_taken(self) -> int:
        return sum(self.taken.values())


# -------------------------------------------------------------------------------------- taking


def _still_due(step: Step, c: Candidate, a: Assignment, t: Ticket, now: datetime) -> bool:
    """The step's condition, re-read under lock (the same rules as the finding queries)."""
    if step is Step.VISIT_DUE:
        return (
            t.state == TicketState.PENDING_VISIT.value
            and t.lead_assignment_id == a.id
            and t.visit_due_at == c.deadline
        )
    if step is Step.SIGN_OVERDUE:
        return a.state == AssignmentState.PENDING_SIGN.value and a.sign_due_at == c.deadline
    if step is Step.NOTICE:
        return a.state in LADDER_STATES
    if a.due_at != c.deadline:
        return False
    if step is Step.OVERDUE:
        return clock_runs(a.state) and c.deadline <= now
    if step is Step.NEAR_DUE:
        warned = a.warn_at is not None and a.warn_at <= now
        return clock_runs(a.state) and warned and c.deadline > now
    return a.state in LADDER_STATES and a.paused_at is None


def _claim(
    session: Session, step: Step, batch: Sequence[Candidate], now: datetime, holder: str
) -> set[tuple[int, datetime]]:
    """Insert the step rows; (assignment, deadline) of those this transaction inserted."""
    if not batch:
        return set()
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # One statement, executed for many rows: compiled once and cached (a multi-VALUES literal
    # would be compiled anew for every batch).
    statement = (
        insert(EscalationStep)
        .on_conflict_do_nothing()
        .returning(col(EscalationStep.assignment_id), col(EscalationStep.deadline))
    )
    rows = session.execute(
        statement,
        [
            {
                "assignment_id": c.assignment_id,
                "ticket_id": c.ticket_id,
                "dept_id": c.dept_id,
                "step": step.value,
                "deadline": c.deadline,
                "acted_at": now,
                "seq": None,
                "supervision_id": c.supervision_id,
                "holder": holder,
            }
            for c in batch
        ],
    )
    return {(int(row[0]), row[1]) for row in rows}


def _local(cal: WorkCalendar, at: datetime) -> str:
    return f"{at.astimezone(cal.tz):%m-%d %H:%M}"


def _act(
    uow: UnitOfWork, step: Step, c: Candidate, t: Ticket, a: Assignment, cal: WorkCalendar
) -> None:
    """Take the step on the order (its audit event is the next one recorded)."""
    when = _local(cal, c.deadline)
    if step is Step.URGE:
        # A catch-up (after hours, a holiday, downtime) may urge after the deadline has passed.
        late = c.deadline <= uow.now
        urge_op(uow, t, a, f"系统催办：办理时限 {when} " + ("已过，请尽快办理" if late else "临近"))
        return
    if step is Step.SUPERVISE:
        supervise_op(uow, t, a, f"系统督办：已超过办理时限 {when}，请回复办理情况")
        return
    if step is Step.NOTICE:
        note = f"系统通报：{when} 的督办五个工作日未回复"
        action = NOTICE_ACTION
    else:
        note, action = f"时限 {when}", FLAG_ACTIONS[step]
    visit = step is Step.VISIT_DUE
    uow.record(
        action,
        entity="ticket" if visit else "assignment",
        entity_id=t.id if visit else a.id,
        ticket_id=t.id,
        assignment_id=a.id,
        dept_id=a.dept_id,
        from_state=t.state if visit else a.state,
        to_state=t.state if visit else a.state,
        note=note,
        data={"step": step.value, "deadline": c.deadline.isoformat(), "auto": True},
    )


def _take_batch(
    hl: Hotline,
    actor: Actor,
    step: Step,
    batch: Sequence[Candidate],
    now: datetime,
    holder: str,
    cal: WorkCalendar,
) -> int:
    """One transaction: lock, re-check, claim, act, number. How many steps it took."""
    ladder = step in (Step.URGE, Step.SUPERVISE)

    def work(uow: UnitOfWork) -> int:
        uow.now = now  # the scan acts "as of" its own now (a scan may be run for a given time)
        session = uow.session
        ticket_query = (
            select(Ticket)
            .where(col(Ticket.id).in_({c.ticket_id for c in batch}))
            .order_by(col(Ticket.id))
        )
        assignment_query = (
            select(Assignment)
            .where(col(Assignment.id).in_({c.assignment_id for c in batch}))
            .order_by(col(Assignment.id))
        )
        if ladder:  # the ops change the order and the assignment: lock them, orders first
            ticket_query = ticket_query.with_for_update()
            assignment_query = assignment_query.with_for_update()
        tickets = {t.id: t for t in session.scalars(ticket_query)}
        assignments = {a.id: a for a in session.scalars(assignment_query)}
        # Held for the transaction: the session keeps only weak references, and the ops look
        # each assignment's department up by id (one query each if it were not in memory).
        departments = list(
            session.scalars(
                select(Department).where(col(Department.id).in_({c.dept_id for c in batch}))
            )
        )
        answered: set[int | None] = set()
        if step is Step.NOTICE:  # locked: an answer being saved now waits, or is seen
            followed = session.execute(
                select(col(Supervision.id), col(Supervision.answered_at))
                .where(col(Supervision.id).in_({c.supervision_id for c in batch}))
                .order_by(col(Supervision.id))
                .with_for_update()
            )
            answered = {sid for sid, at in followed if at is not None}
        due = [
            c
            for c in batch
            if c.assignment_id in assignments
            and c.ticket_id in tickets
            and c.supervision_id not in answered
            and _still_due(step, c, assignments[c.assignment_id], tickets[c.ticket_id], now)
        ]
        claimed = _claim(session, step, due, now, holder)
        marks: list[tuple[Candidate, int]] = []
        for c in due:
            if (c.assignment_id, c.deadline) not in claimed:
                continue  # another scheduler took it first
            marks.append((c, len(uow.events)))
            _act(uow, step, c, tickets[c.ticket_id], assignments[c.assignment_id], cal)
        made = {item.assignment_id: item for item in session.new if isinstance(item, Supervision)}
        _number(uow, step, marks, made)
        del departments
        return len(marks)

    return uow_module.write(hl, actor, work)


def _number(
    uow: UnitOfWork,
    step: Step,
    marks: list[tuple[Candidate, int]],
    made: dict[int | None, Supervision],
) -> None:
    """Write the audit events, then put each act's sequence number (and the 督办 it made or
    follows) on its step row."""
    if not marks:
        return
    pending = len(uow.events)
    uow.flush_audit()  # flushes the session first: the new 督办 have their ids
    session = uow.session
    head = session.execute(select(col(AuditHead.seq)).where(col(AuditHead.id) == 1)).scalar_one()
    first = int(head) - pending + 1
    table = EscalationStep.__table__  # type: ignore[attr-defined]
    session.execute(
        update(table)
        .where(
            table.c.assignment_id == bindparam("a_id"),
            table.c.step == step.value,
            table.c.deadline == bindparam("a_deadline"),
        )
        .values(seq=bindparam("a_seq"), supervision_id=bindparam("a_supervision")),
        [
            {
                "a_id": c.assignment_id,
                "a_deadline": c.deadline,
                "a_seq": first + mark,
                "a_supervision": made[c.assignment_id].id
                if step is Step.SUPERVISE
                else c.supervision_id,
            }
            for c, mark in marks
        ],
    )


# ---------------------------------------------------------------------------------------- scan


def scan(
    hl: Hotline,
    now: datetime | None = None,
    *,
    since: ScanMark | None = None,
    actor: Actor | None = None,
    holder: str = "",
    steps: Sequence[Step] = tuple(Step),
    on_batch: BatchHook | None = None,
    batch_size: int | None = None,
    full_every: timedelta = FULL_EVERY,
    hotline: bool = True,
) -> ScanReport:
    """Take every step due at ``now``: the flags at any hour, the ladder in working time, and
    (``hotline``) the hotline's own late steps.

    ``since``: the mark of the last complete scan; the search then looks only at what changed
    since (:mod:`hotline_tui.services.scheduling.escalation_find`), and everywhere once
    ``full_every`` has passed since the last full search. The hotline's steps are few (the orders
    waiting for dispatch, the parts under review) and always searched in full.
    """
    now = now or hl.now()
    actor = actor or system_actor(hl)
    cal = calendar_for(hl)
    with hl.reading() as session:
        head = feed_head(session)  # events after it are the next scan's to look at
        window = window_since(session, since, now, head, full_every)
    report = ScanReport(now=now, working_time=in_working_time(cal, now), full=window is None)
    size = batch_size or BATCH
    for step in steps:
        if step in LADDER_STEPS and not report.working_time:
            continue
        found = find(hl, step, now, window)
        report.found[step.value] = len(found)
        taken = 0
        for start in range(0, len(found), size):
            taken += _take_batch(hl, actor, step, found[start : start + size], now, holder, cal)
            report.batches += 1
            if on_batch is not None:
                on_batch(step, taken)
        report.taken[step.value] = taken
    if hotline:
        _hotline_steps(hl, actor, report, now, holder, size, on_batch)
    if tuple(steps) == tuple(Step):
        ladder = now if report.working_time else (since.ladder if since and window else None)
        full = now if window is None else since.full if since else now
        report.mark = ScanMark(now=now, ladder=ladder, seq=head, full=full)
    return report


def _hotline_steps(
    hl: Hotline,
    actor: Actor,
    report: ScanReport,
    now: datetime,
    holder: str,
    size: int,
    on_batch: BatchHook | None,
) -> None:
    """The hotline's late steps, counted in the report under their own step names."""
    found = escalation_hotline.find(hl, now)
    for late in LATE_STEPS.values():
        report.found[late] = sum(1 for x in found if x.step == late)
        report.taken[late] = 0
    for start in range(0, len(found), size):
        batch = found[start : start + size]
        taken = escalation_hotline.take(hl, actor, batch, now, holder)
        report.batches += 1
        for late, count in taken.items():
            report.taken[late] += count
        if on_batch is not None:
            on_batch(batch[0].step, sum(taken.values()))
