"""The department's side of the loop: sign, return, ask for an extension, reply."""

from __future__ import annotations

from collections.abc import Callable

from db.models import Assignment, Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import AssignmentAction
from hotline_tui.domain.states import (
    AssignmentState,
    ReturnReason,
)
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.co_handlers import refuse_lead_reply, waiting_co_handlers
from hotline_tui.services.tickets.common import (
    assignments_of,
    check_version,
    ensure_allowed,
    get_ticket,
    move_assignment,
    permit,
    pick_assignment,
)
from hotline_tui.services.tickets.intake import Registered
from hotline_tui.services.uow import UnitOfWork


def assignment_action(
    hl: Hotline,
    actor: Actor,
    number: str,
    action: str,
    apply: Callable[[UnitOfWork, Ticket, Assignment], None],
    *,
    dept: str | None = None,
    states: tuple[str, ...] = (),
    if_version: int | None = None,
) -> Registered:
    """Shared shape of an action on one assignment: permission, scope, lock, version, apply."""
    permit(actor, action)

    def work(uow: UnitOfWork) -> Registered:
        ticket = get_ticket(uow.session, actor, number, lock=True)
        assignment = pick_assignment(uow.session, actor, ticket, dept_code=dept, states=states)
        check_version(uow.session, "assignment", assignment, if_version, number)
        apply(uow, ticket, assignment)
        return Registered(ticket.number, ticket.state, assignment.version)

    return uow_module.write(hl, actor, work)


def sign_op(uow: UnitOfWork, ticket: Ticket, assignment: Assignment) -> None:
    move_assignment(uow, ticket, assignment, AssignmentAction.SIGN)
    assignment.signed_at = uow.now


def sign(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    """签收."""
    return assignment_action(
        hl,
        actor,
        number,
        "sign",
        sign_op,
        dept=dept,
        states=(AssignmentState.PENDING_SIGN.value,),
        if_version=if_version,
    )


def return_op(
    uow: UnitOfWork, ticket: Ticket, assignment: Assignment, reason: str, basis: str
) -> None:
    ensure_allowed(uow, ticket, assignment, AssignmentAction.RETURN)
    if reason not in [r.value for r in ReturnReason]:
        raise ValidationError(
            "validation.choice",
            field="reason",
            value=reason,
            allowed=[r.value for r in ReturnReason],
        )
    assignment.return_reason = reason
    assignment.return_basis = basis
    assignment.return_count += 1
    move_assignment(
        uow, ticket, assignment, AssignmentAction.RETURN, note=basis, data={"reason": reason}
    )


def return_order(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    reason: str,
    basis: str,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    """退单 with a reason code and its basis (依据); the hotline reviews it."""
    text = clean_note(basis, field_name="basis", required=True)
    return assignment_action(
        hl,
        actor,
        number,
        "return",
        lambda uow, t, a: return_op(uow, t, a, reason, text),
        dept=dept,
        states=(AssignmentState.PENDING_SIGN.value, AssignmentState.IN_PROGRESS.value),
        if_version=if_version,
    )


def request_extension_op(
    uow: UnitOfWork, ticket: Ticket, assignment: Assignment, days: int, reason: str
) -> None:
    ensure_allowed(uow, ticket, assignment, AssignmentAction.REQUEST_EXTENSION)
    limit = uow.hl.settings.extension_max_days
    if not 1 <= days <= limit:
        raise ValidationError("validation.extension_days", days=days, max=limit)
    assignment.extension_days_requested = days
    assignment.extension_reason = reason
    move_assignment(
        uow,
        ticket,
        assignment,
        AssignmentAction.REQUEST_EXTENSION,
        note=reason,
        data={"days": days},
    )


def request_extension(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    days: int,
    reason: str,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    """延期申请 before the deadline, with a reason and the working days asked for."""
    text = clean_note(reason, field_name="reason", required=True)
    return assignment_action(
        hl,
        actor,
        number,
        "request_extension",
        lambda uow, t, a: request_extension_op(uow, t, a, days, text),
        dept=dept,
        states=(AssignmentState.IN_PROGRESS.value,),
        if_version=if_version,
    )


def reply_op(uow: UnitOfWork, ticket: Ticket, assignment: Assignment, text: str) -> None:
    """答复. The lead replies for the order once every co-handler has replied or is released."""
    ensure_allowed(uow, ticket, assignment, AssignmentAction.REPLY)
    if assignment.id == ticket.lead_assignment_id:
        assert ticket.id is not None
        waiting = waiting_co_handlers(assignments_of(uow.session, ticket.id))
        refuse_lead_reply(uow.session, ticket.number, waiting)
    assignment.reply_text = text
    assignment.replied_at = uow.now
    move_assignment(uow, ticket, assignment, AssignmentAction.REPLY, note=text)


def reply(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    text: str,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    body = clean_note(text, field_name="text", required=True)
    return assignment_action(
        hl,
        actor,
        number,
        "reply",
        lambda uow, t, a: reply_op(uow, t, a, body),
        dept=dept,
        states=(AssignmentState.IN_PROGRESS.value,),
        if_version=if_version,
    )
