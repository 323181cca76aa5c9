"""Shared steps of the ticket services: loading with visibility, version checks, transitions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from db.models import (
    Area,
    Assignment,
    AuditEvent,
    Category,
    Department,
    SupervisionParty,
    Ticket,
)
from hotline_tui.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from hotline_tui.domain.lifecycle import (
    AssignmentAction,
    TicketAction,
    assignment_step,
    ticket_step,
)
from hotline_tui.domain.permissions import own_department_only, require
from hotline_tui.domain.states import (
    DISPATCHED_STATES,
    ENDED_ASSIGNMENT_STATES,
    FOLLOWS_LEAD,
    OPEN_ASSIGNMENT_STATES,
    AssignmentRole,
    AssignmentState,
    Role,
    TicketState,
)
from hotline_tui.services.context import Actor
from hotline_tui.services.tickets import due_times
from hotline_tui.services.uow import UnitOfWork


def permit(actor: Actor, action: str) -> None:
    require(actor.role, action, username=actor.username)


def can_see(session: Session, actor: Actor, ticket_id: int) -> bool:
    """Handlers see only orders assigned (now or before) to their department, or that their
    department was called to (a 提级's or 会商's participant: ``supervision_party``)."""
    if actor.role is not Role.HANDLER:
        return True
    found = session.exec(
        select(Assignment.id)
        .where(Assignment.ticket_id == ticket_id, Assignment.dept_id == actor.dept_id)
        .limit(1)
    ).first()
    if found is not None:
        return True
    party = session.exec(
        select(SupervisionParty.id)
        .where(SupervisionParty.ticket_id == ticket_id, SupervisionParty.dept_id == actor.dept_id)
        .limit(1)
    ).first()
    return party is not None


def get_ticket(session: Session, actor: Actor, number: str, *, lock: bool = False) -> Ticket:
    """The order by number, locked for update if asked; invisible orders are "not found"."""
    query = select(Ticket).where(Ticket.number == number)
    if lock:
        query = query.with_for_update()
    ticket = session.exec(query).one_or_none()
    if ticket is None or ticket.id is None or not can_see(session, actor, ticket.id):
        raise NotFound("not_found.ticket", ticket=number)
    return ticket


def dept_by_code(session: Session, code: str) -> Department:
    dept = session.exec(select(Department).where(Department.code == code)).one_or_none()
    if dept is None:
        raise NotFound("not_found.dept", dept=code)
    return dept


@dataclass(frozen=True)
class DeptRef:
    id: int
    code: str


def dept_ref(uow: UnitOfWork, code: str) -> DeptRef:
    """A department by code, from the process's cache after the first lookup."""
    known = uow.hl.dept_ids.get(code)
    if known is None:
        known = dept_by_code(uow.session, code).id or 0
        uow.hl.dept_ids[code] = known
    return DeptRef(known, code)


def assignments_of(session: Session, ticket_id: int, *, lock: bool = False) -> list[Assignment]:
    query = select(Assignment).where(Assignment.ticket_id == ticket_id).order_by(col(Assignment.id))
    if lock:
        query = query.with_for_update()
    return list(session.exec(query))


def pick_assignment(
    session: Session,
    actor: Actor,
    ticket: Ticket,
    *,
    dept_code: str | None = None,
    states: tuple[str, ...] = (),
) -> Assignment:
    """The assignment an action targets on ``ticket``.

    Handlers act on their own department's live assignment. Others name the department, or get
    the live assignment in one of ``states``. Open assignments come before done ones (after a
    reopen the old, done part of a department is history), then the lead, then the newest.
    """
    assert ticket.id is not None
    live = [
        a
        for a in assignments_of(session, ticket.id, lock=True)
        if a.state not in ENDED_ASSIGNMENT_STATES
    ]
    if own_department_only(actor.role):
        if dept_code is not None and dept_code != _dept_code(session, actor.dept_id):
            raise PermissionDenied("permission.dept", user=actor.username, ticket=ticket.number)
        live = [a for a in live if a.dept_id == actor.dept_id]
    elif dept_code is not None:
        dept = dept_by_code(session, dept_code)
        live = [a for a in live if a.dept_id == dept.id]
    if states:
        in_state = [a for a in live if a.state in states]
        live = in_state or live
    if not live:
        raise NotFound("not_found.assignment", ticket=ticket.number, dept=dept_code or "")
    live.sort(
        key=lambda a: (
            a.state == AssignmentState.DONE.value,
            a.role != AssignmentRole.LEAD.value,
            -(a.id or 0),
        )
    )
    return live[0]


def _dept_code(session: Session, dept_id: int | None) -> str | None:
    if dept_id is None:
        return None
    dept = session.get(Department, dept_id)
    return dept.code if dept else None


def check_version(
    session: Session, entity: str, row: Ticket | Assignment, seen: int | None, number: str
) -> None:
    """Refuse a save made on a stale version, naming who changed what and when."""
    if seen is None or seen == row.version:
        return
    last = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.entity == entity,
            AuditEvent.entity_id == row.id,
            col(AuditEvent.entity_version).is_not(None),
            col(AuditEvent.entity_version) > seen,
        )
        .order_by(col(AuditEvent.seq).desc())
        .limit(1)
    ).one_or_none()
    raise Conflict(
        "conflict.version",
        ticket=number,
        entity=entity,
        seen=seen,
        current=row.version,
        changed_by=last.actor if last else "",
        action=last.action if last else "",
        at=last.at.isoformat() if last else "",
    )


def move_ticket(
    uow: UnitOfWork,
    ticket: Ticket,
    action: TicketAction,
    *,
    note: str = "",
    data: dict[str, object] | None = None,
    bump: bool = True,
    handovers: int | None = None,
) -> None:
    """Apply an order transition from the table, count hand-overs, record the event."""
    step = ticket_step(ticket.number, ticket.state, action)
    before = ticket.state
    ticket.state = step.target
    ticket.updated_at = uow.now
    ticket.handover_count += handovers if handovers is not None else int(step.handover)
    if bump:
        ticket.version += 1
    if ticket.state != before:
        _order_clocks(uow, ticket)
    if ticket.state == TicketState.CLOSED and ticket.withdraw_requested_at is not None:
        # An operator's 撤单申请 has nothing left to withdraw once the order is closed.
        ticket.withdraw_requested_at = ticket.withdraw_requested_by = ticket.withdraw_note = None
    uow.record(
        action.value,
        entity="ticket",
        entity_id=ticket.id,
        entity_version=ticket.version if bump else None,
        ticket_id=ticket.id,
        from_state=before,
        to_state=ticket.state,
        note=note,
        data=data,
    )


def ensure_allowed(
    uow: UnitOfWork, ticket: Ticket, assignment: Assignment, action: AssignmentAction
) -> None:
    """Refuse an illegal action before validating its details (the state error is the news)."""
    dept = _dept_code(uow.session, assignment.dept_id) or str(assignment.dept_id)
    assignment_step(ticket.number, dept, assignment.state, action)


def move_assignment(
    uow: UnitOfWork,
    ticket: Ticket,
    assignment: Assignment,
    action: AssignmentAction,
    *,
    note: str = "",
    data: dict[str, object] | None = None,
    bump: bool = True,
) -> None:
    """Apply an assignment transition; the order follows its lead assignment."""
    step = assignment_step(
        ticket.number,
        _dept_code(uow.session, assignment.dept_id) or str(assignment.dept_id),
        assignment.state,
        action,
        signed=assignment.signed_at is not None,
    )
    before = assignment.state
    assignment.state = step.target
    if step.target in ENDED_ASSIGNMENT_STATES:
        assignment.ended_at = uow.now
    if bump:
        assignment.version += 1
    ticket.handover_count += int(step.handover)
    due_times.on_assignment_step(uow.hl, uow.session, ticket, assignment, action, uow.now)
    if assignment.state != before:
        due_times.on_part_state(uow.hl, uow.session, ticket, assignment, uow.now)
    uow.record(
        action.value,
        entity="assignment",
        entity_id=assignment.id,
        entity_version=assignment.version if bump else None,
        ticket_id=ticket.id,
        assignment_id=assignment.id,
        dept_id=assignment.dept_id,
        from_state=before,
        to_state=assignment.state,
        note=note,
        data=data,
    )
    follow_lead(uow, ticket, assignment)


def follow_lead(uow: UnitOfWork, ticket: Ticket, assignment: Assignment) -> None:
    """While dispatched, the order's state is its lead assignment's (DESIGN.md §3)."""
    if assignment.id != ticket.lead_assignment_id or ticket.state not in DISPATCHED_STATES:
        return
    target = FOLLOWS_LEAD.get(AssignmentState(assignment.state))
    if target is None or target.value == ticket.state:
        return
    uow.record(
        "follow_lead",
        entity="ticket",
        entity_id=ticket.id,
        ticket_id=ticket.id,
        from_state=ticket.state,
        to_state=target.value,
    )
    ticket.state = target.value
    ticket.updated_at = uow.now
    _order_clocks(uow, ticket, assignment)


def _order_clocks(uow: UnitOfWork, ticket: Ticket, lead: Assignment | None = None) -> None:
    """The dispatch and return-visit clocks of an order whose state just changed."""
    if ticket.state not in due_times.ORDER_CLOCK_STATES:
        return
    if lead is None and ticket.lead_assignment_id is not None:
        lead = uow.session.get(Assignment, ticket.lead_assignment_id)
    due_times.on_order_state(uow.hl, uow.session, ticket, lead, uow.now)


def refuse_assigned_twice(uow: UnitOfWork, ticket: Ticket, depts: list[DeptRef]) -> None:
    """A department holds at most one open part of an order (else its handler cannot tell
    which one an action is for)."""
    busy = {
        a.dept_id for a in uow.store.assignments_of(ticket) if a.state in OPEN_ASSIGNMENT_STATES
    }
    for dept in depts:
        if dept.id in busy:
            raise ValidationError(
                "validation.dept_already_assigned", ticket=ticket.number, dept=dept.code
            )


def draft_assignments(
    uow: UnitOfWork, ticket: Ticket, depts: list[tuple[DeptRef, AssignmentRole]]
) -> list[Assignment]:
    """Pending-sign assignments of ``ticket`` with their limits and due times, without ids."""
    drafts = [
        uow.store.new(
            Assignment,
            ticket_id=0,
            dept_id=dept.id,
            role=role.value,
            state=AssignmentState.PENDING_SIGN.value,
            created_at=uow.now,
            dispatched_by=uow.actor.user_id,
        )
        for dept, role in depts
    ]
    for assignment in drafts:
        due_times.on_dispatched(uow.hl, uow.session, ticket, assignment)
    return drafts


def new_assignments(
    uow: UnitOfWork,
    ticket: Ticket,
    depts: list[tuple[DeptRef, AssignmentRole]],
    *,
    drafts: list[Assignment] | None = None,
) -> list[Assignment]:
    """Create pending-sign assignments (dispatch, re-dispatch); ``drafts``: made earlier by
    :func:`draft_assignments` for these ``depts``.

    Their ids are allocated up front, so nothing is flushed here: the order, its caller and its
    assignments go to the database together when the transaction ends.
    """
    refuse_assigned_twice(uow, ticket, [dept for dept, _ in depts])
    created = drafts if drafts is not None else draft_assignments(uow, ticket, depts)
    if len(created) != len(depts):
        raise AssertionError("drafts made for other departments")
    ids = uow.store.ids("assignment", len(depts))
    for assignment, assignment_id in zip(created, ids, strict=True):
        assignment.id = assignment_id
        assignment.ticket_id = ticket.id or 0
    uow.store.add(*created)
    for assignment, (dept, role) in zip(created, depts, strict=True):
        if role is AssignmentRole.LEAD:
            ticket.lead_assignment_id = assignment.id
        uow.record(
            "assign",
            entity="assignment",
            entity_id=assignment.id,
            entity_version=assignment.version,
            ticket_id=ticket.id,
            assignment_id=assignment.id,
            dept_id=dept.id,
            to_state=assignment.state,
            data={"dept": dept.code, "role": role.value},
        )
    return created


def resolve_code(
    uow: UnitOfWork, model: type[Area] | type[Category], code: str | None
) -> int | None:
    """The id of an area or category by code (codes keep their meaning: cached per process)."""
    if code is None:
        return None
    key = (model.__tablename__, code)
    known = uow.hl.code_ids.get(key)
    if known is None:
        found = uow.session.exec(select(model.id).where(model.code == code)).one_or_none()
        if found is None:
            raise NotFound(f"not_found.{model.__tablename__}", code=code)
        known = uow.hl.code_ids[key] = int(found)
    return known
