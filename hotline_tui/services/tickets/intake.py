"""Intake: register an order (and settle it on the call), edit it, withdraw, invalid, merge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from db.models import Area, Category, Ticket
from hotline_tui.domain.audit_fields import order_fields
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import IntakeInput, clean_intake, clean_note
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction, ticket_step
from hotline_tui.domain.states import (
    OPEN_ASSIGNMENT_STATES,
    Ending,
    TicketState,
)
from hotline_tui.domain.text import order_search_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.suggestion_log import Offered, log_op
from hotline_tui.services.tickets.callers import caller_lock, draft_caller, find_or_create_caller
from hotline_tui.services.tickets.common import (
    check_version,
    get_ticket,
    move_assignment,
    move_ticket,
    permit,
    resolve_code,
)
from hotline_tui.services.tickets.merging import (
    merge_op,
    release_duplicates,
    unmerge_duplicates,
    unmerge_op,
)
from hotline_tui.services.tickets.prepare import prepare_registration
from hotline_tui.services.uow import UnitOfWork

DISPOSITIONS = ("register", "queue", "answer", "dispatch", "withdraw", "invalid")


@dataclass(frozen=True)
class Disposition:
    """What the operator does with the call once recorded (one save in the intake form)."""

    kind: str = "queue"
    answer_text: str = ""
    lead_dept: str | None = None
    co_depts: tuple[str, ...] = ()
    note: str = ""
    # An answer given without any article: the text the knowledge base was searched with
    # (the description), logged as a knowledge gap with the answer (``hotline kb gaps``).
    kb_gap: str | None = None
    # What the intake's suggestions were (services.suggestion_log), logged with the order.
    suggestions: tuple[Offered, ...] = ()


@dataclass(frozen=True)
class Registered:
    number: str
    state: str
    version: int
    warnings: list[str] = field(default_factory=list)


def ticket_number(ticket_id: int, created_at: datetime, tz: str) -> str:
    """``yyyymmdd`` of the local intake date and the id: unique, sortable, readable."""
    return f"{created_at.astimezone(ZoneInfo(tz)):%Y%m%d}{ticket_id:06d}"


def draft_order(uow: UnitOfWork, intake: IntakeInput, search_text: str | None = None) -> Ticket:
    """The order in state 已受理 without its id, number and caller (:func:`register_op` sets
    them). Made without a statement once the codes are known (``prepare_registration``), so
    that on SQLite it is made before the transaction takes the write lock."""
    return uow.store.new(
        Ticket,
        number="",
        state=TicketState.REGISTERED.value,
        request_type=intake.request_type,
        urgency=intake.urgency,
        channel=intake.channel,
        category_id=resolve_code(uow, Category, intake.category),
        area_id=resolve_code(uow, Area, intake.area),
        address=intake.address,
        title=intake.title,
        description=intake.description,
        search_text=search_text if search_text is not None else searchable(intake),
        contact_name=intake.caller.name,
        contact_phone=intake.caller.phone,
        callback_phone=intake.callback_phone,
        confidential=intake.confidential,
        kb_article_id=intake.kb_article_id,
        created_at=uow.now,
        registered_by=uow.actor.user_id,
        updated_at=uow.now,
    )


def register_op(
    uow: UnitOfWork,
    intake: IntakeInput,
    search_text: str | None = None,
    *,
    assignments: int = 0,
    draft: Ticket | None = None,
) -> Ticket:
    """Insert the order in state 已受理 with its caller and record ``register``.

    ``assignments``: how many departments the same transaction will dispatch to, so that their
    ids are taken with the order's, the caller's and the caller lock in one round trip.
    ``draft``: the order made by :func:`draft_order` earlier in this transaction.
    """
    ticket = draft if draft is not None else draft_order(uow, intake, search_text)
    store = uow.store
    fresh = None if store.pending_caller(intake.caller) else draft_caller(uow, intake.caller)
    store.reserve(
        ["ticket", "caller", "caller_phone", *["assignment"] * assignments],
        lock=caller_lock(intake.caller),
    )
    caller = find_or_create_caller(uow, intake.caller, draft=fresh)
    ticket.id = store.ids("ticket")[0]
    ticket.number = ticket_number(ticket.id, uow.now, uow.hl.settings.timezone)
    ticket.caller_id = caller.id if caller else None
    store.add(ticket)  # written with its assignments: an INSERT, not an INSERT and UPDATEs
    uow.record(
        "register",
        entity="ticket",
        entity_id=ticket.id,
        entity_version=ticket.version,
        ticket_id=ticket.id,
        to_state=ticket.state,
        data={
            "request_type": ticket.request_type,
            "urgency": ticket.urgency,
            "fields": order_fields(uow.hl.key.secret, ticket),  # audit verify --deep
        },
    )
    return ticket


def searchable(intake: IntakeInput) -> str:
    """The text the full-text index holds for an order: its words and character bigrams."""
    return order_search_text(f"{intake.title} {intake.description}")


def close_op(
    uow: UnitOfWork, ticket: Ticket, action: TicketAction, ending: Ending, note: str = ""
) -> None:
    """End the order: cancel open assignments, stamp the ending and the closing time."""
    for assignment in uow.store.assignments_of(ticket):
        if assignment.state in OPEN_ASSIGNMENT_STATES:
            move_assignment(uow, ticket, assignment, AssignmentAction.CANCEL, bump=False)
    move_ticket(uow, ticket, action, note=note, data={"ending": ending.value})
    ticket.ending = ending.value
    ticket.closed_at = uow.now
    uow.flush()
    if ending is Ending.ANSWERED:
        release_duplicates(uow, ticket)  # the duplicates' callers get the same answer
    elif ending in (Ending.WITHDRAWN, Ending.INVALID):
        unmerge_duplicates(uow, ticket)


def answer_op(uow: UnitOfWork, ticket: Ticket, answer_text: str) -> None:
    ticket.answer_text = clean_note(answer_text, field_name="answer_text", required=True)
    close_op(uow, ticket, TicketAction.ANSWER, Ending.ANSWERED, note=ticket.answer_text)


def register(
    hl: Hotline, actor: Actor, intake: IntakeInput, disposition: Disposition | None = None
) -> Registered:
    """受理: record the call and, in the same transaction, what the operator decided."""
    from hotline_tui.services.tickets.dispatch import dispatch_op, draft_dispatch

    disposition = disposition or Disposition()
    if disposition.kind not in DISPOSITIONS:
        raise ValidationError(
            "validation.choice",
            field="disposition",
            value=disposition.kind,
            allowed=list(DISPOSITIONS),
        )
    permit(actor, "register")
    if disposition.kind != "register":
        permit(actor, disposition.kind)
    intake = clean_intake(intake, today=hl.now().date(), channels=hl.settings.intake_channels)
    # Segment before the transaction: the first call loads jieba's dictionary (a second or
    # more), which must not happen while holding the write lock.
    search_text = searchable(intake)
    gap = None
    if disposition.kind == "answer" and disposition.kb_gap and intake.kb_article_id is None:
        from hotline_tui.services.kb.insights import Gap  # the index's analysis: load on use

        gap = Gap.of(disposition.kb_gap, kind="answer")

    if disposition.kind == "dispatch" and not disposition.lead_dept:
        raise ValidationError("validation.required", field="lead_dept")
    prepare_registration(
        hl,
        intake,
        disposition.lead_dept if disposition.kind == "dispatch" else None,
        disposition.co_depts,
    )

    def work(uow: UnitOfWork) -> Registered:
        kind = disposition.kind
        if gap is not None:
            gap.add(uow)
        planned = 1 + len(disposition.co_depts) if kind == "dispatch" else 0
        # The rows are made first, the statements come after: on SQLite the first statement
        # takes the write lock, which every other operator's save then waits for.
        draft = draft_order(uow, intake, search_text)
        parts = None
        if kind == "dispatch":
            parts = draft_dispatch(uow, draft, disposition.lead_dept or "", disposition.co_depts)
        ticket = register_op(uow, intake, search_text, assignments=planned, draft=draft)
        if kind == "queue":
            move_ticket(uow, ticket, TicketAction.QUEUE, bump=False)
        elif kind == "answer":
            answer_op(uow, ticket, disposition.answer_text)
        elif parts is not None:
            dispatch_op(
                uow,
                ticket,
                disposition.lead_dept or "",
                disposition.co_depts,
                disposition.note,
                drafts=parts,
            )
        elif kind == "withdraw":
            close_op(
                uow, ticket, TicketAction.WITHDRAW, Ending.WITHDRAWN, clean_note(disposition.note)
            )
        elif kind == "invalid":
            close_op(
                uow, ticket, TicketAction.INVALID, Ending.INVALID, clean_note(disposition.note)
            )
        if disposition.suggestions:
            lead = disposition.lead_dept if kind == "dispatch" else None
            log_op(uow, ticket, disposition.suggestions, lead)
        return Registered(ticket.number, ticket.state, ticket.version)

    return uow_module.write(hl, actor, work)


def order_action(
    hl: Hotline,
    actor: Actor,
    number: str,
    action: str,
    if_version: int | None,
    apply: Callable[[UnitOfWork, Ticket], None],
) -> Registered:
    """Shared shape of an order-level action: permission, lock, version check, apply."""
    permit(actor, action)

    def work(uow: UnitOfWork) -> Registered:
        ticket = get_ticket(uow.session, actor, number, lock=True)
        check_version(uow.session, "ticket", ticket, if_version, number)
        apply(uow, ticket)
        return Registered(ticket.number, ticket.state, ticket.version)

    return uow_module.write(hl, actor, work)


def answer(
    hl: Hotline, actor: Actor, number: str, answer_text: str, *, if_version: int | None = None
) -> Registered:
    """直接答复 an order that was registered or queued."""
    return order_action(
        hl, actor, number, "answer", if_version, lambda uow, t: answer_op(uow, t, answer_text)
    )


def withdraw(
    hl: Hotline, actor: Actor, number: str, note: str = "", *, if_version: int | None = None
) -> Registered:
    """撤单: the caller withdraws; open assignments are cancelled. A dispatched order is
    withdrawn only by a dispatcher: an operator's withdrawal of one becomes a request a
    dispatcher confirms or rejects (:mod:`hotline_tui.services.tickets.withdrawal`; the result
    then carries the warning ``withdraw_requested`` and the order's state is unchanged)."""
    from hotline_tui.services.tickets.withdrawal import withdraw_op

    text = clean_note(note)
    permit(actor, "withdraw")

    def work(uow: UnitOfWork) -> Registered:
        ticket = get_ticket(uow.session, actor, number, lock=True)
        check_version(uow.session, "ticket", ticket, if_version, number)
        return withdraw_op(uow, ticket, text)

    return uow_module.write(hl, actor, work)


def mark_invalid(
    hl: Hotline, actor: Actor, number: str, note: str = "", *, if_version: int | None = None
) -> Registered:
    """无效来电: closed without counting against any department."""
    text = clean_note(note)
    return order_action(
        hl,
        actor,
        number,
        "invalid",
        if_version,
        lambda uow, t: invalid_op(uow, t, text),
    )


def invalid_op(uow: UnitOfWork, ticket: Ticket, note: str) -> None:
    """无效来电 is decided at intake: an order departments already worked on is not invalid."""
    ticket_step(ticket.number, ticket.state, TicketAction.INVALID)
    if uow.store.assignments_of(ticket):
        raise ValidationError("validation.invalid_after_dispatch", ticket=ticket.number)
    close_op(uow, ticket, TicketAction.INVALID, Ending.INVALID, note)


def queue(hl: Hotline, actor: Actor, number: str, *, if_version: int | None = None) -> Registered:
    """Hand a registered order to the dispatchers' queue."""
    return order_action(
        hl,
        actor,
        number,
        "queue",
        if_version,
        lambda uow, t: move_ticket(uow, t, TicketAction.QUEUE),
    )


def merge(
    hl: Hotline,
    actor: Actor,
    number: str,
    into: str,
    note: str = "",
    *,
    if_version: int | None = None,
) -> Registered:
    """并单: the duplicate waits for the lead order's reply, then its caller is called back."""
    text = clean_note(note)

    def apply(uow: UnitOfWork, ticket: Ticket) -> None:
        parent = get_ticket(uow.session, actor, into, lock=True)
        merge_op(uow, ticket, parent, text)

    return order_action(hl, actor, number, "merge", if_version, apply)


def unmerge(
    hl: Hotline, actor: Actor, number: str, note: str, *, if_version: int | None = None
) -> Registered:
    """取消并单: a duplicate merged by mistake goes back to the dispatch queue (reason required)."""
    text = clean_note(note, required=True)
    return order_action(
        hl, actor, number, "unmerge", if_version, lambda uow, t: unmerge_op(uow, t, text)
    )
