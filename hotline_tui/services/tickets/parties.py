"""Whom a supervision is addressed to, and their notices.

A 催办 or 督办 given by hand is addressed to the department of the part; a 提级 or 会商 to its
participants: departments (by default the departments still working on the order) and, for a
提级, the leader. Each party is a ``supervision_party`` row carrying the change-feed number of
the act's audit event (``seq``), so the console's notices
(:mod:`hotline_tui.services.tickets.notices`) list it beside the scheduler's steps, to the same
audience: a department's handlers see their department's, supervisors, dispatchers and
administrators every one. A department named as a party may read the order
(:func:`hotline_tui.services.tickets.common.can_see`).

The leader of a 提级 is a user whose role is supervisor (督办/班长) or administrator. The one role
table has no leader of its own, and it need not: a leader must read every department's orders
and may record the outcome, which is what these two roles may do; a city leader given an account
gets the supervisor role. Naming an operator, a dispatcher or a department's handler is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as select_columns
from sqlmodel import col, select

from db.models import Assignment, AuditHead, Supervision, SupervisionParty, Ticket, User
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.states import OPEN_ASSIGNMENT_STATES, Role, SupervisionKind
from hotline_tui.services.tickets.common import dept_ref
from hotline_tui.services.uow import UnitOfWork

__all__ = [
    "LEADER_ROLES",
    "MAX_PARTIES",
    "Parties",
    "add_item",
    "notify",
    "resolve_parties",
]

LEADER_ROLES = (Role.SUPERVISOR, Role.ADMIN)
MAX_PARTIES = 20
"""Departments one 提级 or 会商 may name (the notices of one act stay on one page)."""
_BUILT_IN = "system"  # the scheduler's own user (services.admin.users.SYSTEM_USER) leads nothing


@dataclass(frozen=True)
class Parties:
    """The departments (ids, in the order named) and the leader (a user id) addressed."""

    dept_ids: tuple[int, ...] = ()
    leader_id: int | None = None


def add_item(
    uow: UnitOfWork,
    ticket: Ticket,
    assignment: Assignment | None,
    kind: SupervisionKind,
    note: str,
    *,
    due_at: datetime | None = None,
) -> Supervision:
    """The supervision item of an act (a 督办 waits for its answer, a 提级 for its outcome)."""
    item = Supervision(
        ticket_id=ticket.id or 0,
        assignment_id=assignment.id if assignment else None,
        kind=kind.value,
        note=note,
        created_at=uow.now,
        created_by=uow.actor.user_id,
        due_at=due_at,
    )
    uow.session.add(item)
    return item


def _live_depts(uow: UnitOfWork, ticket: Ticket) -> list[int]:
    """The departments still working on the order, lead first."""
    rows = uow.session.exec(
        select(Assignment).where(Assignment.ticket_id == ticket.id).order_by(col(Assignment.id))
    )
    live = [a for a in rows if a.state in OPEN_ASSIGNMENT_STATES]
    live.sort(key=lambda a: a.id != ticket.lead_assignment_id)
    return list(dict.fromkeys(a.dept_id for a in live))


def _leader(uow: UnitOfWork, username: str) -> int:
    name = username.strip()
    user = uow.session.exec(select(User).where(User.username == name)).one_or_none()
    allowed = [role.value for role in LEADER_ROLES]
    if user is None or user.disabled or user.username == _BUILT_IN or user.role not in allowed:
        raise ValidationError(
            "validation.leader",
            user=name,
            role=user.role if user is not None else "",
            allowed=allowed,
        )
    return user.id or 0


def resolve_parties(
    uow: UnitOfWork,
    ticket: Ticket,
    depts: Sequence[str],
    leader: str | None,
    *,
    kind: SupervisionKind,
) -> Parties:
    """The parties named (department codes, a leader's username), checked; without departments
    the order's live departments. A 提级 needs its leader; a 会商 at least one department."""
    codes = list(dict.fromkeys(code.strip() for code in depts if code.strip()))
    if len(codes) > MAX_PARTIES:
        raise ValidationError("validation.too_many_parties", count=len(codes), max=MAX_PARTIES)
    if codes:
        dept_ids = [dept_ref(uow, code).id for code in codes]
    else:
        dept_ids = _live_depts(uow, ticket)[:MAX_PARTIES]
    leader_id = _leader(uow, leader) if leader and leader.strip() else None
    if kind is SupervisionKind.ESCALATE and leader_id is None:
        raise ValidationError("validation.leader_required", ticket=ticket.number)
    if kind is SupervisionKind.CONSULT and not dept_ids:
        raise ValidationError("validation.participants_required", ticket=ticket.number)
    return Parties(tuple(dept_ids), leader_id)


def notify(uow: UnitOfWork, item: Supervision, mark: int, parties: Parties) -> None:
    """Address ``item`` to ``parties``, numbered with the act's audit event (the ``mark``-th
    event pending in this transaction when the act began)."""
    pending = len(uow.events)
    uow.flush_audit()  # flushes the session first: the item has its id; the events their seq
    head = uow.session.execute(
        select_columns(col(AuditHead.seq)).where(col(AuditHead.id) == 1)
    ).scalar_one()
    seq = int(head) - pending + 1 + mark
    rows = [
        SupervisionParty(
            supervision_id=item.id or 0, ticket_id=item.ticket_id, dept_id=dept_id, seq=seq
        )
        for dept_id in parties.dept_ids
    ]
    if parties.leader_id is not None:
        rows.append(
            SupervisionParty(
                supervision_id=item.id or 0,
                ticket_id=item.ticket_id,
                user_id=parties.leader_id,
                seq=seq,
            )
        )
    for row in rows:
        uow.session.add(row)
