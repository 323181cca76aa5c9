"""撤单 of a dispatched order is the hotline's decision, not the operator's alone.

An order no department has seen yet may be withdrawn by whoever took the call. Once it was
dispatched (it has assignments: a department signed, worked or returned it), an operator's
withdrawal becomes a request (撤单申请, :func:`request_op`) that a dispatcher confirms — the
order is then withdrawn, its open parts cancelled — or rejects, and the order carries on.
Dispatchers (and supervisors, administrators: whoever may ``withdraw_confirm``) withdraw a
dispatched order directly. The requests waiting are a work list of the hotline's
(``hotline_tui.services.tickets.worklists``, queue ``withdrawals``; ``hotline ticket withdrawals``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from db.models import Assignment, Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import TicketAction, ticket_step
from hotline_tui.domain.permissions import allowed
from hotline_tui.domain.states import Ending
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import move_ticket
from hotline_tui.services.tickets.intake import Registered, close_op, order_action
from hotline_tui.services.uow import UnitOfWork

__all__ = ["REQUESTED", "confirm", "dispatched", "request_op", "withdraw_op"]

REQUESTED = "withdraw_requested"
"""The warning a withdrawal that became a request carries (``Registered.warnings``)."""


def dispatched(session: Session, ticket: Ticket) -> bool:
    """Whether a department has had the order (any assignment, ended or not)."""
    found = session.exec(
        select(col(Assignment.id)).where(col(Assignment.ticket_id) == ticket.id).limit(1)
    ).first()
    return found is not None


def withdraw_op(uow: UnitOfWork, ticket: Ticket, note: str) -> Registered:
    """撤单 as ``uow.actor`` may: directly, or as a request where a dispatcher must confirm."""
    ticket_step(ticket.number, ticket.state, TicketAction.WITHDRAW)  # the error names 撤单
    if dispatched(uow.session, ticket) and not allowed(uow.actor.role, "withdraw_confirm"):
        request_op(uow, ticket, note)
        return Registered(ticket.number, ticket.state, ticket.version, warnings=[REQUESTED])
    close_op(uow, ticket, TicketAction.WITHDRAW, Ending.WITHDRAWN, _with_request(ticket, note))
    _clear(ticket)
    return Registered(ticket.number, ticket.state, ticket.version)


def request_op(uow: UnitOfWork, ticket: Ticket, note: str) -> None:
    """Leave the operator's withdrawal for a dispatcher; the order carries on meanwhile."""
    ticket_step(ticket.number, ticket.state, TicketAction.WITHDRAW_REQUEST)
    if ticket.withdraw_requested_at is not None:
        asked = ticket.withdraw_requested_at.astimezone(ZoneInfo(uow.hl.settings.timezone))
        raise ValidationError(
            "validation.withdraw_requested", ticket=ticket.number, at=f"{asked:%Y-%m-%d %H:%M}"
        )
    move_ticket(uow, ticket, TicketAction.WITHDRAW_REQUEST, note=note)
    ticket.withdraw_requested_at = uow.now
    ticket.withdraw_requested_by = uow.actor.user_id
    ticket.withdraw_note = note


def confirm(
    hl: Hotline,
    actor: Actor,
    number: str,
    *,
    accept: bool,
    note: str = "",
    if_version: int | None = None,
) -> Registered:
    """A dispatcher's answer to a withdrawal request: confirmed (the order is withdrawn, with
    the operator's reason) or rejected (the request is cleared; the order carries on)."""
    text = clean_note(note)

    def apply(uow: UnitOfWork, ticket: Ticket) -> None:
        if ticket.withdraw_requested_at is None:
            raise ValidationError("validation.no_withdraw_request", ticket=ticket.number)
        if accept:
            close_op(
                uow, ticket, TicketAction.WITHDRAW, Ending.WITHDRAWN, _with_request(ticket, text)
            )
        else:
            move_ticket(uow, ticket, TicketAction.WITHDRAW_REJECT, note=text)
        _clear(ticket)

    return order_action(hl, actor, number, "withdraw_confirm", if_version, apply)


def _with_request(ticket: Ticket, note: str) -> str:
    """The withdrawal's note: the operator's request's reason, then the decision's."""
    asked = ticket.withdraw_note or ""
    return "；".join(part for part in (asked, note) if part)


def _clear(ticket: Ticket) -> None:
    ticket.withdraw_requested_at = None
    ticket.withdraw_requested_by = None
    ticket.withdraw_note = None
