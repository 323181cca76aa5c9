"""并单: duplicates follow their lead order, and are never left waiting when the lead ends.

A merged duplicate waits in 已并单 until its lead order's reply passes review (or the lead is
answered directly); then its caller is called back too. If the lead is withdrawn or found
invalid, its duplicates go back to the dispatch queue: their callers' requests still stand.
"""

from __future__ import annotations

from db.models import Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.domain.states import OPEN_ASSIGNMENT_STATES, TicketState
from hotline_tui.services.tickets.common import move_assignment, move_ticket
from hotline_tui.services.uow import UnitOfWork

# The lead's reply has passed review: a duplicate merged now is called back at once.
_ALREADY_REPLIED = (TicketState.PENDING_VISIT.value, TicketState.UNSATISFIED.value)


def waiting_duplicates(uow: UnitOfWork, lead: Ticket) -> list[Ticket]:
    return uow.store.waiting_duplicates(lead)


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
        uow.store.link_duplicate(child, None)
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
    uow.store.link_duplicate(child, None)
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
    for assignment in uow.store.assignments_of(child):
        if assignment.state in OPEN_ASSIGNMENT_STATES:
            move_assignment(uow, child, assignment, AssignmentAction.CANCEL, bump=False)
    move_ticket(uow, child, TicketAction.MERGE, note=note, data={"lead": parent.number})
    uow.store.link_duplicate(child, parent)
    for grandchild in waiting_duplicates(uow, child):
        uow.store.link_duplicate(grandchild, parent)
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
