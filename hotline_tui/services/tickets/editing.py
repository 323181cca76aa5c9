"""Editing an order's own fields (version-checked) and marking an abusive caller."""

from __future__ import annotations

from db.models import Area, Caller, Category, Ticket
from db.models.base import text_limit
from hotline_tui.domain.audit_fields import order_fields
from hotline_tui.domain.errors import NotFound, ValidationError
from hotline_tui.domain.intake import IntakeInput, clean_intake, clean_note
from hotline_tui.domain.lifecycle import TicketAction
from hotline_tui.domain.text import order_search_text, prepare_segmenter
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import limit_change
from hotline_tui.services.tickets.common import get_ticket, move_ticket, permit, resolve_code
from hotline_tui.services.tickets.intake import Registered, order_action
from hotline_tui.services.uow import UnitOfWork

EDITABLE = (
    "title",
    "description",
    "category",
    "area",
    "address",
    "urgency",
    "request_type",
    "confidential",
)


def edit(
    hl: Hotline,
    actor: Actor,
    number: str,
    changes: dict[str, object],
    *,
    if_version: int | None = None,
) -> Registered:
    """Change the order's own fields; a stale ``if_version`` is refused with who changed it.

    A change of urgency, request type or category after dispatch recomputes the open parts'
    time limits under the order's new rule (:mod:`limit_change`), audited and told to the
    departments."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError("validation.unknown_field", field=unknown[0], allowed=list(EDITABLE))
    prepare_segmenter()  # not while holding the write lock

    def apply(uow: UnitOfWork, ticket: Ticket) -> None:
        rule_before = limit_change.rule_key(ticket)
        current = IntakeInput(
            request_type=str(changes.get("request_type", ticket.request_type)),
            description=str(changes.get("description", ticket.description)),
            title=str(changes.get("title", ticket.title)),
            address=str(changes.get("address", ticket.address)),
            urgency=str(changes.get("urgency", ticket.urgency)),
        )
        cleaned = clean_intake(current)
        before: dict[str, object] = {}
        for name in ("request_type", "description", "title", "address", "urgency"):
            if name in changes and getattr(ticket, name) != getattr(cleaned, name):
                before[name] = getattr(ticket, name)
                setattr(ticket, name, getattr(cleaned, name))
        if "category" in changes:
            before["category_id"] = ticket.category_id
            ticket.category_id = resolve_code(uow, Category, _opt(changes["category"]))
        if "area" in changes:
            before["area_id"] = ticket.area_id
            ticket.area_id = resolve_code(uow, Area, _opt(changes["area"]))
        if "confidential" in changes:
            before["confidential"] = ticket.confidential
            ticket.confidential = bool(changes["confidential"])
        ticket.search_text = order_search_text(f"{ticket.title} {ticket.description}")
        move_ticket(
            uow,
            ticket,
            TicketAction.EDIT,
            # The fields as they are now, for audit verify --deep (domain.audit_fields).
            data={"changed": sorted(before), "fields": order_fields(uow.hl.key.secret, ticket)},
        )
        # A new urgency (type, category) is a new rule: the open parts' limits follow it.
        limit_change.recompute_parts(uow, ticket, rule_before)

    return order_action(hl, actor, number, "edit", if_version, apply)


def _opt(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def mark_abusive_op(uow: UnitOfWork, ticket: Ticket, note: str) -> None:
    """Record the mark on the order's caller (the order must have one)."""
    assert ticket.caller_id is not None
    caller = uow.session.get(Caller, ticket.caller_id, with_for_update=True)
    assert caller is not None
    caller.abusive, caller.abusive_note = True, note
    caller.version += 1
    uow.record(
        "caller.mark_abusive",
        entity="caller",
        entity_id=caller.id,
        entity_version=caller.version,
        ticket_id=ticket.id,
        note=note,
    )


def mark_abusive(hl: Hotline, actor: Actor, number: str, note: str) -> Registered:
    """Mark the order's caller as abusive after warnings: recorded, never silently blocked."""
    permit(actor, "caller.mark_abusive")
    text = clean_note(note, required=True, max_length=text_limit(Caller, "abusive_note"))

    def work(uow: UnitOfWork) -> Registered:
        ticket = get_ticket(uow.session, actor, number)
        if ticket.caller_id is None:
            raise NotFound("not_found.caller", ticket=number)
        mark_abusive_op(uow, ticket, text)
        return Registered(ticket.number, ticket.state, ticket.version)

    return uow_module.write(hl, actor, work)
