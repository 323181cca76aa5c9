"""回访: the hotline calls the person back and records whether it was resolved and satisfying.

Every call is kept (``visit_attempt``: when, who, reached / unreachable / declined, the answers,
the note); the order keeps the latest as its summary (``visit_attempts`` in this round,
``visit_resolution``, ``visit_satisfaction``, ``visit_unreachable_at``). The attempts before giving
up are spread out: an unreachable call is refused until ``visit_retry_gap_minutes`` after the last
unreachable one, and the refusal names when the next may be made (a reached or declined call may
be recorded at any time: the caller rang back).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from db.models import Ticket, VisitAttempt
from hotline_tui.domain.errors import IllegalTransition, ValidationError
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import (
    TicketAction,
    ticket_step,
    visit_action,
    visit_is_valid,
    visit_retry_at,
)
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


def _check_gap(uow: UnitOfWork, ticket: Ticket, result: VisitResult) -> None:
    """An unreachable call too soon after the last unreachable one is refused, naming when."""
    if result.contact is not VisitContact.UNREACHABLE:
        return
    settings = uow.hl.settings
    allowed_at = visit_retry_at(ticket.visit_unreachable_at, settings.visit_retry_gap_minutes)
    if allowed_at is None or uow.now >= allowed_at:
        return
    zone = ZoneInfo(settings.timezone)
    last = ticket.visit_unreachable_at
    assert last is not None
    raise IllegalTransition(
        "visit.retry_too_soon",
        ticket=ticket.number,
        last=f"{last.astimezone(zone):%Y-%m-%d %H:%M}",
        next_at=f"{allowed_at.astimezone(zone):%Y-%m-%d %H:%M}",
        next_at_utc=allowed_at.isoformat(),
        gap=settings.visit_retry_gap_minutes,
    )


def visit_op(uow: UnitOfWork, ticket: Ticket, result: VisitResult) -> None:
    action = visit_action(
        result.contact,
        result.satisfaction,
        ticket.visit_attempts,
        uow.hl.settings.visit_max_attempts,
    )
    ticket_step(ticket.number, ticket.state, action)  # the state's refusal comes first
    _check_gap(uow, ticket, result)
    ticket.visit_attempts += 1
    reached = result.contact is VisitContact.REACHED
    if reached:  # the latest answers, as the order's summary
        ticket.visit_resolution = result.resolution.value if result.resolution else None
        ticket.visit_satisfaction = result.satisfaction.value if result.satisfaction else None
    if result.contact is VisitContact.UNREACHABLE:
        ticket.visit_unreachable_at = uow.now
    uow.session.add(
        VisitAttempt(
            ticket_id=ticket.id or 0,
            attempt=ticket.visit_attempts,
            made_at=uow.now,
            made_by=uow.actor.user_id,
            contact=result.contact.value,
            resolution=result.resolution.value if reached and result.resolution else None,
            satisfaction=result.satisfaction.value if reached and result.satisfaction else None,
            action=action.value,
            note=result.note,
        )
    )
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
