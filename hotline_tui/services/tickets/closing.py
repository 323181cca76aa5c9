"""The hotline's side of the loop after the reply: reply review (pass or send back), redo,
closing an unsatisfied order, reopening and archiving."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from db.models import Assignment, Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.domain.states import (
    AssignmentRole,
    AssignmentState,
    Ending,
)
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import (
    dept_ref,
    move_assignment,
    move_ticket,
)
from hotline_tui.services.tickets.intake import Registered, order_action
from hotline_tui.services.tickets.merging import release_duplicates
from hotline_tui.services.uow import UnitOfWork


def _lead(session: Session, ticket: Ticket) -> Assignment:
    assert ticket.lead_assignment_id is not None
    lead = session.get(Assignment, ticket.lead_assignment_id, with_for_update=True)
    assert lead is not None
    return lead


def review_op(uow: UnitOfWork, ticket: Ticket, *, passed: bool, note: str) -> None:
    """审核 the lead's reply: pass → 待回访 (and merged duplicates too); fail → 补办."""
    session = uow.session
    assert ticket.id is not None
    if passed:
        move_ticket(uow, ticket, TicketAction.REVIEW_PASS, note=note)
        ticket.visit_attempts = 0  # a new round of return visits begins
        for assignment in uow.store.assignments_of(ticket):
            if assignment.state == AssignmentState.REPLIED.value:
                move_assignment(uow, ticket, assignment, AssignmentAction.REVIEW_PASS, bump=False)
        release_duplicates(uow, ticket)
    else:
        move_ticket(uow, ticket, TicketAction.REVIEW_FAIL, note=note)
        move_assignment(
            uow, ticket, _lead(session, ticket), AssignmentAction.REVIEW_FAIL, note=note, bump=False
        )


def review(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    passed: bool,
    note: str = "",
    if_version: int | None = None,
) -> Registered:
    text = clean_note(note, required=not passed)
    return order_action(
        hl,
        actor,
        number,
        "review_pass" if passed else "review_fail",
        if_version,
        lambda uow, t: review_op(uow, t, passed=passed, note=text),
    )


def redo_op(uow: UnitOfWork, ticket: Ticket, co_depts: Sequence[str], note: str) -> None:
    """重办: back to the lead, and to the co-handlers the dispatcher picks."""
    session = uow.session
    assert ticket.id is not None
    move_ticket(uow, ticket, TicketAction.REDO, note=note, data={"co": list(co_depts)}, handovers=0)
    lead = session.get(Assignment, ticket.lead_assignment_id) if ticket.lead_assignment_id else None
    if lead is None or lead.state != AssignmentState.DONE.value:
        # A merged duplicate has no department of its own: redo its lead order instead.
        parent = session.get(Ticket, ticket.parent_id) if ticket.parent_id else None
        raise ValidationError(
            "validation.redo_no_lead", ticket=ticket.number, lead=parent.number if parent else ""
        )
    ticket.redo_count += 1
    ticket.visit_due_at = None  # the visit was made; the redone reply sets the next one's due
    picked = {dept_ref(uow, code).id for code in co_depts}
    # Newest first: after a reopen, a department's current part is redone, not its old one.
    # A picked department comes back as a co-handler only: a former lead's part (before a
    # return or a reopen) stays done, or the order would have two leads at work.
    for assignment in reversed(uow.store.assignments_of(ticket, lock=True)):
        is_lead = assignment.id == ticket.lead_assignment_id
        is_co = assignment.role == AssignmentRole.CO.value
        if assignment.state == AssignmentState.DONE.value and (
            is_lead or (is_co and assignment.dept_id in picked)
        ):
            move_assignment(uow, ticket, assignment, AssignmentAction.REDO, note=note, bump=False)
            assignment.redo_count += 1
            ticket.handover_count += 1
            picked.discard(assignment.dept_id)
    if picked:
        raise ValidationError("validation.redo_dept", ticket=ticket.number)


def redo(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    co_depts: Sequence[str] = (),
    note: str = "",
    if_version: int | None = None,
) -> Registered:
    text = clean_note(note, required=True)
    return order_action(
        hl, actor, number, "redo", if_version, lambda uow, t: redo_op(uow, t, co_depts, text)
    )


def close_unsatisfied_op(uow: UnitOfWork, ticket: Ticket, note: str) -> None:
    move_ticket(uow, ticket, TicketAction.CLOSE, note=note)
    ticket.ending = Ending.UNSATISFIED.value
    ticket.closed_at = uow.now


def close(
    hl: Hotline, actor: Actor, number: str, note: str = "", *, if_version: int | None = None
) -> Registered:
    """办结 after an unsatisfied visit without a redo (e.g. the demand is not lawful)."""
    text = clean_note(note, required=True)
    return order_action(
        hl, actor, number, "close", if_version, lambda uow, t: close_unsatisfied_op(uow, t, text)
    )


def reopen_op(uow: UnitOfWork, ticket: Ticket, note: str) -> None:
    move_ticket(
        uow, ticket, TicketAction.REOPEN, note=note, data={"previous_ending": ticket.ending}
    )
    ticket.reopen_count += 1
    ticket.ending = None
    ticket.closed_at = None
    ticket.visit_attempts = 0
    ticket.visit_resolution = None
    ticket.visit_satisfaction = None
    # The last round's visit due and unreachable call are stale: a new reply sets the due again.
    ticket.visit_due_at = None
    ticket.visit_unreachable_at = None


def reopen(
    hl: Hotline, actor: Actor, number: str, note: str = "", *, if_version: int | None = None
) -> Registered:
    """重启 a closed order (counted): it goes back to the dispatch queue."""
    text = clean_note(note, required=True)
    return order_action(
        hl, actor, number, "reopen", if_version, lambda uow, t: reopen_op(uow, t, text)
    )


def archive(hl: Hotline, actor: Actor, number: str, *, if_version: int | None = None) -> Registered:
    return order_action(
        hl,
        actor,
        number,
        "archive",
        if_version,
        lambda uow, t: move_ticket(uow, t, TicketAction.ARCHIVE),
    )
