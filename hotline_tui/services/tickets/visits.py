"""回访: the hotline calls the person back and records whether it was resolved and satisfying."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import TicketAction, visit_action, visit_is_valid
from hotline_tui.domain.states import Ending, Resolution, Satisfaction, VisitContact
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import move_ticket
from hotline_tui.services.tickets.intake import Registered, order_action
from hotline_tui.services.uow import UnitOfWork

_ENDINGS = {
    TicketAction.VISIT_SATISFIED: Ending.VISITED,
    TicketAction.VISIT_GIVE_UP: Ending.UNREACHABLE,
    TicketAction.VISIT_DECLINED: Ending.DECLINED,
}


@dataclass(frozen=True)
class VisitResult:
    contact: VisitContact
    resolution: Resolution | None = None
    satisfaction: Satisfaction | None = None
    note: str = ""


def parse_visit(
    contact: str, resolution: str | None, satisfaction: str | None, note: str = ""
) -> VisitResult:
    """Validate the visit form: a reached caller says resolved? and satisfied?."""
    try:
        result = VisitResult(
            contact=VisitContact(contact),
            resolution=Resolution(resolution) if resolution else None,
            satisfaction=Satisfaction(satisfaction) if satisfaction else None,
            note=clean_note(note),
        )
    except ValueError as exc:
        raise ValidationError("validation.visit", detail=str(exc)) from None
    if result.contact is VisitContact.REACHED and (
        not visit_is_valid(result.contact, result.resolution) or result.satisfaction is None
    ):
        raise ValidationError("validation.visit_incomplete", contact=contact)
    return result


def visit_op(uow: UnitOfWork, ticket: Ticket, result: VisitResult) -> None:
    action = visit_action(
        result.contact,
        result.satisfaction,
        ticket.visit_attempts,
        uow.hl.settings.visit_max_attempts,
    )
    ticket.visit_attempts += 1
    if result.contact is VisitContact.REACHED:
        ticket.visit_resolution = result.resolution.value if result.resolution else None
        ticket.visit_satisfaction = result.satisfaction.value if result.satisfaction else None
    move_ticket(
        uow,
        ticket,
        action,
        note=result.note,
        data={
            "contact": result.contact.value,
            "resolution": result.resolution.value if result.resolution else None,
            "satisfaction": result.satisfaction.value if result.satisfaction else None,
            "attempt": ticket.visit_attempts,
        },
    )
    ending = _ENDINGS.get(action)
    if ending is Ending.VISITED and ticket.parent_id is not None:
        ending = Ending.MERGED  # a duplicate closes as merged once its caller is called back
    if ending is not None:
        ticket.ending = ending.value
        ticket.closed_at = uow.now


def visit(
    hl: Hotline, actor: Actor, number: str, result: VisitResult, *, if_version: int | None = None
) -> Registered:
    return order_action(
        hl, actor, number, "visit", if_version, lambda uow, t: visit_op(uow, t, result)
    )
