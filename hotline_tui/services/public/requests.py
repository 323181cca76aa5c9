"""A citizen's request through a public channel, and its progress for the one who left it.

:func:`submit` registers the request as an operator's intake registers a call — the same
:func:`hotline_tui.services.tickets.intake.register`, straight into the dispatch queue — with
the channel's account as the one who registered it. :func:`progress` shows one order's
progress to whoever gives its number *and* the mobile number it was left with; a wrong pair,
an unknown number and a confidential order all look the same (nothing), so the page cannot be
used to learn whether an order exists.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from db.models import Assignment, Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.public import public_text, request_type_of
from hotline_tui.domain.states import CallerKind, Ending
from hotline_tui.domain.text import clean_text
from hotline_tui.domain.validation import validate_mobile, validate_phone
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import permit
from hotline_tui.services.tickets.intake import Disposition, Registered, register

__all__ = ["CitizenRequest", "Progress", "progress", "submit"]


@dataclass(frozen=True)
class CitizenRequest:
    """What a person leaves: a mobile number (required on the page), an area code, a
    description, and a name if they wish; a partner system may also give a category."""

    description: str
    phone: str | None = None
    area: str | None = None
    name: str = ""
    category: str | None = None
    title: str = ""
    mobile_only: bool = True  # the page takes mainland mobiles only (a text can reach them)


def submit(hl: Hotline, actor: Actor, request: CitizenRequest, *, channel: str) -> Registered:
    """Register the request in ``channel`` and put it in the dispatch queue (one transaction)."""
    phone = None
    if request.phone or request.mobile_only:
        phone = (validate_mobile if request.mobile_only else validate_phone)(request.phone or "")
    description = clean_text(request.description, max_length=4000, field="description")
    if not description:
        raise ValidationError("validation.required", field="description")
    intake = IntakeInput(
        request_type=request_type_of(description),
        description=description,
        caller=CallerInput(kind=CallerKind.PERSON.value, name=request.name, phone=phone),
        title=request.title,
        category=request.category or None,
        area=request.area or None,
        channel=channel,
    )
    return register(hl, actor, intake, Disposition(kind="queue"))


@dataclass(frozen=True)
class Progress:
    """One order as its caller sees it: state, dates, and the reply once closed."""

    number: str
    state: str
    ending: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    reply: str | None


def _same_phone(given: str, stored: str | None) -> bool:
    return stored is not None and hmac.compare_digest(given.encode(), stored.encode())


def progress(hl: Hotline, actor: Actor, number: str, phone: str) -> Progress | None:
    """The order ``number`` if it was left with ``phone``, else None (whatever the reason)."""
    permit(actor, "public.lookup")
    try:
        given = validate_phone(phone)
    except ValidationError:
        return None
    wanted = clean_text(number, multiline=False, max_length=20, field="number")
    with hl.reading() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == wanted)).one_or_none()
        if ticket is None or ticket.confidential:
            return None
        if not (
            _same_phone(given, ticket.contact_phone) or _same_phone(given, ticket.callback_phone)
        ):
            return None
        reply = None
        if ticket.closed_at is not None:
            reply = ticket.answer_text if ticket.ending == Ending.ANSWERED.value else None
            if reply is None and ticket.lead_assignment_id is not None:
                lead = session.get(Assignment, ticket.lead_assignment_id)
                reply = lead.reply_text if lead is not None else None
        return Progress(
            number=ticket.number,
            state=ticket.state,
            ending=ticket.ending,
            created_at=ticket.created_at,
            updated_at=ticket.updated_at,
            closed_at=ticket.closed_at,
            reply=public_text(reply) if reply else None,
        )
