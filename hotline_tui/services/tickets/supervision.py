"""催办, 督办 (with the department's answer), 提级 and 会商: flags and events beside the state."""

from __future__ import annotations

from sqlmodel import col, select

from db.models import Assignment, Supervision, Ticket
from hotline_tui.domain.errors import NotFound
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.domain.states import AssignmentState, SupervisionKind
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import move_assignment, move_ticket
from hotline_tui.services.tickets.handling import assignment_action
from hotline_tui.services.tickets.intake import Registered, order_action
from hotline_tui.services.uow import UnitOfWork

_LIVE = (
    AssignmentState.PENDING_SIGN.value,
    AssignmentState.IN_PROGRESS.value,
    AssignmentState.EXTENSION_REVIEW.value,
    AssignmentState.RETURN_REVIEW.value,
)


def _add(
    uow: UnitOfWork, ticket: Ticket, assignment: Assignment | None, kind: SupervisionKind, note: str
) -> None:
    uow.session.add(
        Supervision(
            ticket_id=ticket.id or 0,
            assignment_id=assignment.id if assignment else None,
            kind=kind.value,
            note=note,
            created_at=uow.now,
            created_by=uow.actor.user_id,
        )
    )


def urge_op(uow: UnitOfWork, ticket: Ticket, assignment: Assignment, note: str) -> None:
    move_assignment(uow, ticket, assignment, AssignmentAction.URGE, note=note)
    ticket.urge_count += 1
    _add(uow, ticket, assignment, SupervisionKind.URGE, note)


def urge(
    hl: Hotline,
    actor: Actor,
    number: str,
    note: str = "",
    *,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    """催办 a department (the lead unless named)."""
    text = clean_note(note)
    return assignment_action(
        hl,
        actor,
        number,
        "urge",
        lambda uow, t, a: urge_op(uow, t, a, text),
        dept=dept,
        states=_LIVE,
        if_version=if_version,
    )


def supervise_op(uow: UnitOfWork, ticket: Ticket, assignment: Assignment, note: str) -> None:
    move_assignment(uow, ticket, assignment, AssignmentAction.SUPERVISE, note=note)
    ticket.supervised = True
    _add(uow, ticket, assignment, SupervisionKind.SUPERVISE, note)


def supervise(
    hl: Hotline,
    actor: Actor,
    number: str,
    note: str,
    *,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    """督办: the department must answer it (``supervise_reply``)."""
    text = clean_note(note, required=True)
    return assignment_action(
        hl,
        actor,
        number,
        "supervise",
        lambda uow, t, a: supervise_op(uow, t, a, text),
        dept=dept,
        states=_LIVE,
        if_version=if_version,
    )


def supervise_reply_op(
    uow: UnitOfWork, ticket: Ticket, assignment: Assignment, answer: str
) -> None:
    open_item = uow.session.exec(
        select(Supervision)
        .where(
            Supervision.assignment_id == assignment.id,
            Supervision.kind == SupervisionKind.SUPERVISE.value,
            col(Supervision.answered_at).is_(None),
        )
        .order_by(col(Supervision.id))
        .limit(1)
    ).one_or_none()
    if open_item is None:
        raise NotFound("not_found.supervision", ticket=ticket.number)
    open_item.answer, open_item.answered_at = answer, uow.now
    open_item.answered_by = uow.actor.user_id
    move_assignment(uow, ticket, assignment, AssignmentAction.SUPERVISE_REPLY, note=answer)
    uow.flush()  # the query below must see this answer
    still_open = uow.session.exec(
        select(Supervision.id)
        .where(
            Supervision.ticket_id == ticket.id,
            Supervision.kind == SupervisionKind.SUPERVISE.value,
            col(Supervision.answered_at).is_(None),
        )
        .limit(1)
    ).first()
    ticket.supervised = still_open is not None


def supervise_reply(
    hl: Hotline,
    actor: Actor,
    number: str,
    answer: str,
    *,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    text = clean_note(answer, field_name="answer", required=True)
    return assignment_action(
        hl,
        actor,
        number,
        "supervise_reply",
        lambda uow, t, a: supervise_reply_op(uow, t, a, text),
        dept=dept,
        if_version=if_version,
    )


def flag_op(uow: UnitOfWork, ticket: Ticket, kind: SupervisionKind, note: str) -> None:
    action = TicketAction.ESCALATE if kind is SupervisionKind.ESCALATE else TicketAction.CONSULT
    move_ticket(uow, ticket, action, note=note)
    if kind is SupervisionKind.ESCALATE:
        ticket.escalated = True
    else:
        ticket.consulted = True
    _add(uow, ticket, None, kind, note)


def escalate(
    hl: Hotline, actor: Actor, number: str, note: str, *, if_version: int | None = None
) -> Registered:
    """提级: for leadership coordination of a major case."""
    text = clean_note(note, required=True)
    return order_action(
        hl,
        actor,
        number,
        "escalate",
        if_version,
        lambda uow, t: flag_op(uow, t, SupervisionKind.ESCALATE, text),
    )


def consult(
    hl: Hotline, actor: Actor, number: str, note: str, *, if_version: int | None = None
) -> Registered:
    """会商: a joint consultation of the departments concerned."""
    text = clean_note(note, required=True)
    return order_action(
        hl,
        actor,
        number,
        "consult",
        if_version,
        lambda uow, t: flag_op(uow, t, SupervisionKind.CONSULT, text),
    )
