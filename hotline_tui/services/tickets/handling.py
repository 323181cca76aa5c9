"""The department's side of the loop: sign, return, ask for an extension, reply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from db.models import Assignment, Ticket
from db.models.base import text_limit
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import AssignmentAction
from hotline_tui.domain.part_limits import ExtensionRoom, check_extension_request, late_return
from hotline_tui.domain.states import (
    AssignmentState,
    ReturnReason,
)
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import part_windows
from hotline_tui.services.tickets.co_handlers import refuse_lead_reply, waiting_co_handlers
from hotline_tui.services.tickets.common import (
    check_version,
    ensure_allowed,
    get_ticket,
    move_assignment,
    permit,
    pick_assignment,
)
from hotline_tui.services.tickets.intake import Registered
from hotline_tui.services.tickets.part_windows import ExtensionOutcome
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
    window_end, limit = part_windows.return_window(uow, ticket, assignment)
    late = late_return(
        ticket=ticket.number,
        dept=part_windows.dept_code(uow, assignment),
        now=uow.now,
        window_end=window_end,
        limit=limit,
        policy=uow.hl.settings.return_after_window,
        tz=part_windows.zone(uow),
    )
    assignment.return_reason = reason
    assignment.return_basis = basis
    assignment.return_count += 1
    assignment.return_late = late
    data: dict[str, object] = {"reason": reason}
    if late:  # 超时退单: the reviewer sees it, and must approve it explicitly
        data.update(late=True, window_end=window_end.isoformat())
    move_assignment(uow, ticket, assignment, AssignmentAction.RETURN, note=basis, data=data)


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
    """退单 with a reason code and its basis (依据); the hotline reviews it. After the part's
    return window it is refused, or marked 超时退单 (setting ``return_after_window``)."""
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
) -> ExtensionRoom:
    """延期申请 on ``assignment``; returns its extension room after the request."""
    ensure_allowed(uow, ticket, assignment, AssignmentAction.REQUEST_EXTENSION)
    room = part_windows.extension_room(uow, ticket, assignment)
    check_extension_request(
        room,
        ticket=ticket.number,
        dept=part_windows.dept_code(uow, assignment),
        days=days,
        now=uow.now,
        due_at=assignment.due_at,
        tz=part_windows.zone(uow),
    )
    assignment.extension_days_requested = days
    assignment.extension_reason = reason
    assignment.extension_requests += 1
    move_assignment(
        uow,
        ticket,
        assignment,
        AssignmentAction.REQUEST_EXTENSION,
        note=reason,
        data={"days": days, "granted": room.granted, "cap": room.cap},
    )
    return replace(room, requests=assignment.extension_requests)


def request_extension(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    days: int,
    reason: str,
    dept: str | None = None,
    if_version: int | None = None,
) -> ExtensionOutcome:
    """延期申请 before the part's due time, with a reason and the working days asked for
    (within what is left of the rule's cap; ``extension_max_requests`` requests per part)."""
    text = clean_note(
        reason,
        field_name="reason",
        required=True,
        max_length=text_limit(Assignment, "extension_reason"),
    )
    after: list[tuple[str, ExtensionRoom]] = []

    def apply(uow: UnitOfWork, ticket: Ticket, assignment: Assignment) -> None:
        room = request_extension_op(uow, ticket, assignment, days, text)
        after[:] = [(part_windows.dept_code(uow, assignment), room)]

    result = assignment_action(
        hl,
        actor,
        number,
        "request_extension",
        apply,
        dept=dept,
        states=(AssignmentState.IN_PROGRESS.value,),
        if_version=if_version,
    )
    code, room = after[0]
    return part_windows.outcome(result, code, days, room)


def reply_op(uow: UnitOfWork, ticket: Ticket, assignment: Assignment, text: str) -> None:
    """答复. The lead replies for the order once every co-handler has replied or is released."""
    ensure_allowed(uow, ticket, assignment, AssignmentAction.REPLY)
    if assignment.id == ticket.lead_assignment_id:
        waiting = waiting_co_handlers(uow.store.assignments_of(ticket))
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
