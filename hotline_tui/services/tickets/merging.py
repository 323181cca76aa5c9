"""并单: duplicates follow their lead order, and are never left waiting when the lead ends.

A merged duplicate waits in 已并单 until its lead order's reply passes review (or the lead is
answered directly); then its caller is called back too. If the lead is withdrawn or found
invalid, its duplicates go back to the dispatch queue: their callers' requests still stand.
"""

from __future__ import annotations

from sqlmodel import col, select

from db.models import Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.domain.states import OPEN_ASSIGNMENT_STATES, TicketState
from hotline_tui.services.tickets.common import assignments_of, move_assignment, move_ticket
from hotline_tui.services.uow import UnitOfWork

# The lead's reply has passed review: a duplicate merged now is called back at once.
_ALREADY_REPLIED = (TicketState.PENDING_VISIT.value, TicketState.UNSATISFIED.value)


def waiting_duplicates(uow: UnitOfWork, lead: Ticket) -> list[Ticket]:
    return list(
        uow.session.exec(
            select(Ticket)
            .where(Ticket.parent_id == lead.id, Ticket.state == TicketState.MERGED.value)
            # In id order: the duplicates' audit events come out the same on every backend,
            # and two transactions lock them in the same order.
            .order_by(col(Ticket.id))
            .with_for_update()
        )
    )


def lead_replied(uow: UnitOfWork, child: Ticket, lead: Ticket) -> None:
    """System step: the lead has an answer, so the duplicate's caller is called back."""
    move_ticket(uow, child, TicketAction.LEAD_REPLIED, bump=False, data={"lead": lead.number})
    child.visit_attempts = 0


def release_duplicates(uow: UnitOfWork, lead: Ticket) -> None:
    for child in waiting_duplicates(uow, lead):
        lead_replied(uow, child, lead)


def unmerge_duplicates(uow: UnitOfWork, lead: Ticket) -> None:
    """The lead ended without an answer (withdrawn, invalid): back to the dispatch queue."""
    for child in waiting_duplicates(uow, lead):
        child.parent_id = None
        move_ticket(uow, child, TicketAction.UNMERGE, bump=False, data={"lead": lead.number})


def unmerge_op(uow: UnitOfWork, child: Ticket, note: str) -> None:
    """Undo a merge made by mistake: the duplicate goes back to the dispatch queue."""
    lead = uow.session.get(Ticket, child.parent_id) if child.parent_id is not None else None
    move_ticket(
        uow,
        child,
        TicketAction.UNMERGE,
        note=note,
        data={"lead": lead.number if lead is not None else None},
    )
    child.parent_id = None
    if lead is not None:
        uow.record(
            "merged_out",
            entity="ticket",
            entity_id=lead.id,
            ticket_id=lead.id,
            note=note,
            data={"duplicate": child.number},
        )


def merge_op(uow: UnitOfWork, child: Ticket, parent: Ticket, note: str) -> None:
    """Merge ``child`` into ``parent``; duplicates of the child follow it to the new lead."""
    if parent.id == child.id or parent.parent_id is not None:
        raise ValidationError("validation.merge_target", ticket=child.number, lead=parent.number)
    if parent.state in (TicketState.CLOSED, TicketState.ARCHIVED, TicketState.MERGED):
        raise ValidationError("validation.merge_target", ticket=child.number, lead=parent.number)
    assert child.id is not None
    for assignment in assignments_of(uow.session, child.id):
        if assignment.state in OPEN_ASSIGNMENT_STATES:
            move_assignment(uow, child, assignment, AssignmentAction.CANCEL, bump=False)
    move_ticket(uow, child, TicketAction.MERGE, note=note, data={"lead": parent.number})
    child.parent_id = parent.id
    for grandchild in waiting_duplicates(uow, child):
        grandchild.parent_id = parent.id
        uow.record(
            "merge_moved",
            entity="ticket",
            entity_id=grandchild.id,
            ticket_id=grandchild.id,
            data={"from": child.number, "lead": parent.number},
        )
    uow.record(
        "merged_in",
        entity="ticket",
        entity_id=parent.id,
        ticket_id=parent.id,
        data={"duplicate": child.number},
    )
    if parent.state in _ALREADY_REPLIED:
        uow.flush()
        release_duplicates(uow, parent)
