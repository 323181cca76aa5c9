"""Notices for the console: what the scheduler flagged or escalated, and what a supervisor
urged, supervised, escalated or called a consultation for, for the people concerned.

A notice is an escalation step (:mod:`hotline_tui.services.scheduling.escalation`) or a
supervision's party (:mod:`hotline_tui.services.tickets.parties`: a hand-given 催办 or 督办,
a 提级's or 会商's participants) seen by its audience, in the change feed's own numbering:
each carries the sequence number of its audit event, so a console polls
:func:`notices_since` with the last number it has seen (start from :func:`notice_head`)
and never misses or repeats one — the numbers are gap-free and assigned in commit order
(the parties of one act share its number and come together).

Who is told:

- a department's handlers: the flags and the ladder on their department's assignments
  (黄灯, 红灯, 签收超时, 催办, 督办, 通报), by the scheduler or by hand, and the 提级 and 会商
  their department is called to;
- supervisors, dispatchers and administrators: every one of every department (a 提级's leader
  among them);
- operators: the return visits that fell due (回访到期);
- supervisors, dispatchers and administrators also: the hotline's own steps overdue (派单超时,
  退单审核超时, 延期审批超时; :mod:`hotline_tui.services.scheduling.escalation_hotline`), department
  code ``hotline``;
- a department's handlers and the hotline's staff, too: a part's time limits recomputed after
  its order's urgency was edited (时限变更, :func:`limit_change_notices`).

:func:`open_supervisions` lists the 督办 still waiting for a department's answer (answered with
``tickets.supervision.supervise_reply``), for the handler's queue and the order view.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlmodel import Session, col

from db.models import (
    Assignment,
    AuditEvent,
    AuditHead,
    Department,
    EscalationStep,
    Supervision,
    SupervisionParty,
    Ticket,
    User,
)
from db.models.audit import LIMIT_CHANGES
from hotline_tui.domain.escalation import Step
from hotline_tui.domain.states import Role, SupervisionKind
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.scheduling.escalation_hotline import notice_rows
from hotline_tui.services.tickets.common import permit
from hotline_tui.services.tickets.parties import MAX_PARTIES

__all__ = [
    "MAX_NOTICES",
    "Notice",
    "OpenSupervision",
    "audience_steps",
    "limit_change_notices",
    "notice_head",
    "notices_since",
    "open_supervisions",
]

MAX_NOTICES = 500
LIMIT_CHANGE = "limit_change"
"""The notice of a part's time limits recomputed (not an escalation step: an audit event)."""
_HANDLER_STEPS = tuple(s.value for s in Step if s is not Step.VISIT_DUE)
# The supervisions that are notices (all of them; operators are told none).
_PARTY_KINDS = tuple(k.value for k in SupervisionKind)


@dataclass(frozen=True)
class Notice:
    """One step as its audience sees it: which order, which department, which deadline."""

    seq: int
    at: datetime
    step: str
    number: str
    dept: str
    dept_name: str
    deadline: datetime
    title: str
    urgency: str
    leader: str = ""  # a 提级's leader (username) told; ``dept`` is then empty


@dataclass(frozen=True)
class OpenSupervision:
    """A 督办 waiting for the department's answer."""

    number: str
    dept: str
    note: str
    created_at: datetime
    title: str


def audience_steps(actor: Actor) -> tuple[str, ...]:
    """The steps the actor is told about."""
    if actor.role is Role.HANDLER:
        return _HANDLER_STEPS
    if actor.role is Role.OPERATOR:
        return (Step.VISIT_DUE.value,)
    return tuple(s.value for s in Step)


def notice_head(hl: Hotline) -> int:
    """The newest sequence number: a console opening now starts from here."""
    with hl.reading() as session:
        seq = session.execute(select(col(AuditHead.seq)).where(col(AuditHead.id) == 1)).scalar()
    return int(seq or 0)


def notices_since(hl: Hotline, actor: Actor, after_seq: int, *, limit: int = 100) -> list[Notice]:
    """The actor's notices after ``after_seq``, oldest first: at most ``limit``, or a few more
    to keep the parties of one act together (a poll from the last one's number then repeats
    nothing and misses nothing)."""
    permit(actor, "ticket.read")
    size = max(1, min(limit, MAX_NOTICES))
    with hl.reading() as session:
        found = _steps(session, actor, after_seq, size) + _parties(session, actor, after_seq, size)
        found += limit_change_notices(session, actor, after_seq, limit=size)
    found.sort(key=lambda n: n.seq)
    if len(found) <= size:
        return found
    last = found[size - 1].seq
    return [n for n in found if n.seq <= last]


def _steps(session: Session, actor: Actor, after_seq: int, size: int) -> list[Notice]:
    """The scheduler's steps (``escalation_step``, and the hotline's own late steps for the
    hotline's staff)."""
    step = EscalationStep
    query = (
        select(
            col(step.seq),
            col(step.acted_at),
            col(step.step),
            col(Ticket.number),
            col(Department.code),
            col(Department.short_name),
            col(Department.name),
            col(step.deadline),
            col(Ticket.title),
            col(Ticket.description),
            col(Ticket.urgency),
        )
        .join(Ticket, col(Ticket.id) == col(step.ticket_id))
        .join(Department, col(Department.id) == col(step.dept_id))
        .where(col(step.seq) > after_seq, col(step.step).in_(audience_steps(actor)))
        .order_by(col(step.seq))
        .limit(size)
    )
    if actor.role is Role.HANDLER:
        query = query.where(col(step.dept_id) == actor.dept_id)
    rows: list[Any] = list(session.execute(query).all())
    if actor.role in (Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN):
        rows = sorted([*rows, *notice_rows(session, after_seq, size)], key=lambda r: r[0])
        rows = rows[:size]
    return [
        Notice(
            seq=int(seq),
            at=at,
            step=str(kind),
            number=str(number),
            dept=str(code),
            dept_name=str(short or name),
            deadline=deadline,
            title=str(title or description[:40]),
            urgency=str(urgency),
        )
        for seq, at, kind, number, code, short, name, deadline, title, description, urgency in rows
    ]


def _parties(session: Session, actor: Actor, after_seq: int, size: int) -> list[Notice]:
    """Supervisions addressed by hand (``supervision_party``): a 催办's or 督办's deadline is
    the part's completion due, as the scheduler's; a 提级's or 会商's its outcome's due."""
    if actor.role is Role.OPERATOR:
        return []
    party, item = SupervisionParty, Supervision
    query = (
        select(
            col(party.seq),
            col(item.created_at),
            col(item.kind),
            col(Ticket.number),
            col(Department.code),
            col(Department.short_name),
            col(Department.name),
            col(User.username),
            col(User.display_name),
            col(item.due_at),
            col(Assignment.due_at),
            col(Ticket.title),
            col(Ticket.description),
            col(Ticket.urgency),
        )
        .join(item, col(item.id) == col(party.supervision_id))
        .join(Ticket, col(Ticket.id) == col(party.ticket_id))
        .outerjoin(Department, col(Department.id) == col(party.dept_id))
        .outerjoin(User, col(User.id) == col(party.user_id))
        .outerjoin(Assignment, col(Assignment.id) == col(item.assignment_id))
        .where(col(party.seq) > after_seq, col(item.kind).in_(_PARTY_KINDS))
        .order_by(col(party.seq), col(party.id))
        # One act's parties share its number: enough rows that the last act kept is whole.
        .limit(size + MAX_PARTIES + 1)
    )
    if actor.role is Role.HANDLER:
        query = query.where(col(party.dept_id) == actor.dept_id)
    notices = []
    for row in session.execute(query).all():
        (seq, at, kind, number, code, short, name, username, display) = row[:9]
        due, part_due, title, description, urgency = row[9:]
        notices.append(
            Notice(
                seq=int(seq),
                at=at,
                step=str(kind),
                number=str(number),
                dept=str(code or ""),
                dept_name=str(short or name or display or ""),
                deadline=due or part_due or at,
                title=str(title or description[:40]),
                urgency=str(urgency),
                leader=str(username or ""),
            )
        )
    return notices


def limit_change_notices(
    session: Session, actor: Actor, after_seq: int, *, limit: int
) -> list[Notice]:
    """A part's time limits recomputed (the order's urgency edited after dispatch, see
    ``tickets.limit_change``), as a notice: to the department concerned and to the hotline's
    staff, with the part's new deadline. Read from the audit events themselves (the partial
    index ``ix_audit_event_limit_change``)."""
    if actor.role is Role.OPERATOR:
        return []
    e = AuditEvent
    query = (
        select(
            col(e.seq),
            col(e.at),
            col(e.data),
            col(Ticket.number),
            col(Department.code),
            col(Department.short_name),
            col(Department.name),
            col(Ticket.title),
            col(Ticket.description),
            col(Ticket.urgency),
        )
        .join(Ticket, col(Ticket.id) == col(e.ticket_id))
        .join(Department, col(Department.id) == col(e.dept_id))
        .where(col(e.seq) > after_seq, text(f"audit_event.{LIMIT_CHANGES}"))
        .order_by(col(e.seq))
        .limit(limit)
    )
    if actor.role is Role.HANDLER:
        query = query.where(col(e.dept_id) == actor.dept_id)
    notices = []
    for seq, at, data, number, code, short, name, title, description, urgency in session.execute(
        query
    ):
        deadline = json.loads(data or "{}").get("deadline")
        notices.append(
            Notice(
                seq=int(seq),
                at=at,
                step=LIMIT_CHANGE,
                number=str(number),
                dept=str(code),
                dept_name=str(short or name),
                deadline=datetime.fromisoformat(deadline) if deadline else at,
                title=str(title or description[:40]),
                urgency=str(urgency),
            )
        )
    return notices


def open_supervisions(
    hl: Hotline, actor: Actor, *, dept: str | None = None, limit: int = 100
) -> list[OpenSupervision]:
    """督办 not yet answered, oldest first: a handler's own department's, else all (or
    ``dept``'s)."""
    permit(actor, "ticket.read")
    s = Supervision
    query = (
        select(
            col(Ticket.number),
            col(Department.code),
            col(s.note),
            col(s.created_at),
            col(Ticket.title),
            col(Ticket.description),
        )
        .join(Assignment, col(Assignment.id) == col(s.assignment_id))
        .join(Ticket, col(Ticket.id) == col(s.ticket_id))
        .join(Department, col(Department.id) == col(Assignment.dept_id))
        .where(col(s.kind) == SupervisionKind.SUPERVISE.value, col(s.answered_at).is_(None))
        .order_by(col(s.created_at), col(s.id))
        .limit(max(1, min(limit, MAX_NOTICES)))
    )
    if actor.role is Role.HANDLER:
        query = query.where(col(Assignment.dept_id) == actor.dept_id)
    elif dept is not None:
        query = query.where(col(Department.code) == dept)
    with hl.reading() as session:
        rows = session.execute(query).all()
    return [
        OpenSupervision(str(number), str(code), str(note), at, str(title or description[:40]))
        for number, code, note, at, title, description in rows
    ]
