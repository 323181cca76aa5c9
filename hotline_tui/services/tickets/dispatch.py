"""The hotline's side of the loop before the reply: dispatch, return review, extension decisions
and releasing a co-handler; after the reply (review, redo, closing, reopening, archiving) is
:mod:`hotline_tui.services.tickets.closing`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from db.models import Assignment, Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.domain.part_limits import ExtensionRoom, check_extension_grant, local_minute
from hotline_tui.domain.states import (
    AssignmentRole,
    AssignmentState,
)
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import part_windows
from hotline_tui.services.tickets.common import (
    DeptRef,
    check_version,
    dept_ref,
    draft_assignments,
    ensure_allowed,
    get_ticket,
    move_assignment,
    move_ticket,
    new_assignments,
    permit,
    pick_assignment,
)
from hotline_tui.services.tickets.intake import Registered, order_action
from hotline_tui.services.tickets.part_windows import ExtensionOutcome
from hotline_tui.services.uow import UnitOfWork


def _distinct_depts(lead: str, co: Sequence[str]) -> list[str]:
    seen = {lead}
    result = []
    for code in co:
        if code in seen:
            raise ValidationError("validation.duplicate_dept", dept=code)
        seen.add(code)
        result.append(code)
    return result


def _parts(uow: UnitOfWork, lead: str, co_codes: list[str]) -> list[tuple[DeptRef, AssignmentRole]]:
    return [(dept_ref(uow, lead), AssignmentRole.LEAD)] + [
        (dept_ref(uow, code), AssignmentRole.CO) for code in co_codes
    ]


def draft_dispatch(
    uow: UnitOfWork, ticket: Ticket, lead: str, co: Sequence[str] = ()
) -> list[Assignment]:
    """The assignments :func:`dispatch_op` will make, with their due times, before the
    transaction's first statement (intake dispatches a new order: see ``intake.register``)."""
    return draft_assignments(uow, ticket, _parts(uow, lead, _distinct_depts(lead, co)))


def dispatch_op(
    uow: UnitOfWork,
    ticket: Ticket,
    lead: str,
    co: Sequence[str] = (),
    note: str = "",
    *,
    drafts: list[Assignment] | None = None,
) -> list[Assignment]:
    """派单: one lead and optional co-handlers, each a new pending-sign assignment
    (``drafts``: made by :func:`draft_dispatch` for the same departments)."""
    co_codes = _distinct_depts(lead, co)
    move_ticket(
        uow,
        ticket,
        TicketAction.DISPATCH,
        note=clean_note(note),
        data={"lead": lead, "co": co_codes},
        handovers=0,
    )
    created = new_assignments(uow, ticket, _parts(uow, lead, co_codes), drafts=drafts)
    ticket.handover_count += len(created)
    return created


def dispatch(
    hl: Hotline,
    actor: Actor,
    number: str,
    lead: str,
    co: Sequence[str] = (),
    note: str = "",
    *,
    if_version: int | None = None,
) -> Registered:
    return order_action(
        hl,
        actor,
        number,
        "dispatch",
        if_version,
        lambda uow, t: _dispatch(uow, t, lead, co, note),
    )


def _dispatch(uow: UnitOfWork, ticket: Ticket, lead: str, co: Sequence[str], note: str) -> None:
    dispatch_op(uow, ticket, lead, co, note)


def review_return_op(
    uow: UnitOfWork,
    ticket: Ticket,
    assignment: Assignment,
    *,
    accept: bool,
    redispatch_to: str | None,
    note: str,
    approve_late: bool = False,
) -> None:
    """退单审核: accept (改派 to another department, or back to the dispatch queue) or reject.
    A late return (超时退单) is accepted only with ``approve_late``: the reviewer approves it
    knowingly."""
    if not accept:
        move_assignment(uow, ticket, assignment, AssignmentAction.RETURN_REJECT, note=note)
        return
    if assignment.return_late and not approve_late:
        ensure_allowed(uow, ticket, assignment, AssignmentAction.RETURN_ACCEPT)
        window_end = assignment.return_due_at
        raise ValidationError(
            "validation.late_return_approval",
            field="approve_late",
            ticket=ticket.number,
            dept=part_windows.dept_code(uow, assignment),
            window_end=local_minute(window_end, part_windows.zone(uow)) if window_end else "",
        )
    data: dict[str, object] = {"redispatch_to": redispatch_to}
    if assignment.return_late:
        data["late_approved"] = True
    move_assignment(uow, ticket, assignment, AssignmentAction.RETURN_ACCEPT, note=note, data=data)
    is_lead = assignment.role == AssignmentRole.LEAD.value
    if redispatch_to is not None:
        target = dept_ref(uow, redispatch_to)
        if target.id == assignment.dept_id:
            raise ValidationError("validation.redispatch_same_dept", dept=redispatch_to)
        if is_lead:
            move_ticket(
                uow, ticket, TicketAction.REDISPATCH, note=note, data={"lead": redispatch_to}
            )
        else:
            ticket.handover_count += 1
        new_assignments(uow, ticket, [(target, AssignmentRole(assignment.role))])
    elif is_lead:
        move_ticket(uow, ticket, TicketAction.REQUEUE, note=note)


def review_return(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    accept: bool,
    redispatch_to: str | None = None,
    dept: str | None = None,
    note: str = "",
    if_version: int | None = None,
    approve_late: bool = False,
) -> Registered:
    """Decide a department's return; ``if_version`` is the assignment's version;
    ``approve_late``: accept a late return (超时退单) knowingly."""
    permit(actor, "return_accept" if accept else "return_reject")
    text = clean_note(note)

    def work(uow: UnitOfWork) -> Registered:
        ticket = get_ticket(uow.session, actor, number, lock=True)
        assignment = pick_assignment(
            uow.session,
            actor,
            ticket,
            dept_code=dept,
            states=(AssignmentState.RETURN_REVIEW.value,),
        )
        check_version(uow.session, "assignment", assignment, if_version, number)
        review_return_op(
            uow,
            ticket,
            assignment,
            accept=accept,
            redispatch_to=redispatch_to,
            note=text,
            approve_late=approve_late,
        )
        return Registered(ticket.number, ticket.state, ticket.version)

    return uow_module.write(hl, actor, work)


def decide_extension_op(
    uow: UnitOfWork,
    ticket: Ticket,
    assignment: Assignment,
    *,
    approve: bool,
    days: int | None,
    note: str,
) -> tuple[int, ExtensionRoom]:
    """延期审批: the days granted (0 when denied) and the part's extension room after it.

    An approval grants ``days`` (default: as asked), at most what was asked and what is left of
    the part's cap on the total (the rule's ``extension_max``)."""
    ensure_allowed(
        uow,
        ticket,
        assignment,
        AssignmentAction.EXTENSION_APPROVE if approve else AssignmentAction.EXTENSION_DENY,
    )
    room = part_windows.extension_room(uow, ticket, assignment)
    if not approve:
        move_assignment(uow, ticket, assignment, AssignmentAction.EXTENSION_DENY, note=note)
        return 0, room
    granted = check_extension_grant(
        room,
        ticket=ticket.number,
        dept=part_windows.dept_code(uow, assignment),
        days=days,
        requested=assignment.extension_days_requested,
    )
    assignment.extension_days_granted += granted
    move_assignment(
        uow,
        ticket,
        assignment,
        AssignmentAction.EXTENSION_APPROVE,
        note=note,
        data={
            "days": granted,
            "requested": assignment.extension_days_requested,
            "granted": assignment.extension_days_granted,
            "cap": room.cap,
        },
    )
    return granted, replace(room, granted=assignment.extension_days_granted)


def decide_extension(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    approve: bool,
    days: int | None = None,
    dept: str | None = None,
    note: str = "",
    if_version: int | None = None,
) -> ExtensionOutcome:
    """延期审批: approve with the number of working days granted, or deny; the outcome says
    what the part was granted in all and what is left of its cap."""
    permit(actor, "extension_approve" if approve else "extension_deny")
    text = clean_note(note)

    def work(uow: UnitOfWork) -> ExtensionOutcome:
        ticket = get_ticket(uow.session, actor, number, lock=True)
        assignment = pick_assignment(
            uow.session,
            actor,
            ticket,
            dept_code=dept,
            states=(AssignmentState.EXTENSION_REVIEW.value,),
        )
        check_version(uow.session, "assignment", assignment, if_version, number)
        granted, room = decide_extension_op(
            uow, ticket, assignment, approve=approve, days=days, note=text
        )
        result = Registered(ticket.number, ticket.state, ticket.version)
        return part_windows.outcome(result, part_windows.dept_code(uow, assignment), granted, room)

    return uow_module.write(hl, actor, work)


def release(
    hl: Hotline,
    actor: Actor,
    number: str,
    dept: str,
    note: str = "",
    *,
    if_version: int | None = None,
) -> Registered:
    """释放协办: the dispatcher ends a co-handler's part (the lead may then reply)."""
    permit(actor, "release")
    text = clean_note(note)

    def work(uow: UnitOfWork) -> Registered:
        ticket = get_ticket(uow.session, actor, number, lock=True)
        assignment = pick_assignment(uow.session, actor, ticket, dept_code=dept)
        if assignment.role != AssignmentRole.CO.value:
            raise ValidationError("validation.release_lead", ticket=number, dept=dept)
        check_version(uow.session, "assignment", assignment, if_version, number)
        move_assignment(uow, ticket, assignment, AssignmentAction.RELEASE, note=text)
        return Registered(ticket.number, ticket.state, ticket.version)

    return uow_module.write(hl, actor, work)
