"""Intake: register an order (and settle it on the call), edit it, withdraw, invalid, merge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam
from sqlmodel import col, select

from db.models import Area, Caller, CallerPhone, Category, Ticket
from hotline_tui.domain.audit_fields import order_fields
from hotline_tui.domain.errors import NotFound, ValidationError
from hotline_tui.domain.intake import CallerInput, IntakeInput, clean_intake, clean_note
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction, ticket_step
from hotline_tui.domain.states import (
    OPEN_ASSIGNMENT_STATES,
    CallerKind,
    Ending,
    TicketState,
)
from hotline_tui.domain.text import order_search_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import (
    assignments_of,
    check_version,
    get_ticket,
    move_assignment,
    move_ticket,
    next_ids,
    next_ticket_id,
    permit,
    reserve_ids,
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


@dataclass(frozen=True)
class Registered:
    number: str
    state: str
    version: int
    warnings: list[str] = field(default_factory=list)


def ticket_number(ticket_id: int, created_at: datetime, tz: str) -> str:
    """``yyyymmdd`` of the local intake date and the id: unique, sortable, readable."""
    return f"{created_at.astimezone(ZoneInfo(tz)):%Y%m%d}{ticket_id:06d}"


def resolve_code(
    uow: UnitOfWork, model: type[Area] | type[Category], code: str | None
) -> int | None:
    """The id of an area or category by code (codes keep their meaning: cached per process)."""
    if code is None:
        return None
    key = (model.__tablename__, code)
    known = uow.hl.code_ids.get(key)
    if known is None:
        found = uow.session.exec(select(model.id).where(model.code == code)).one_or_none()
        if found is None:
            raise NotFound(f"not_found.{model.__tablename__}", code=code)
        known = uow.hl.code_ids[key] = int(found)
    return known


def _pending_caller(uow: UnitOfWork, caller: CallerInput) -> Caller | None:
    """A caller added earlier in this transaction (not flushed yet) with that code or phone."""
    callers = {obj.id: obj for obj in uow.new_rows if isinstance(obj, Caller)}
    if caller.credit_code:
        for pending in callers.values():
            if pending.credit_code == caller.credit_code:
                return pending
    for obj in uow.new_rows:
        if caller.phone and isinstance(obj, CallerPhone) and obj.phone == caller.phone:
            found = callers.get(obj.caller_id) or uow.session.get(Caller, obj.caller_id)
            if found is not None and found.kind == caller.kind:
                return found
    return None


# Callers are looked up on every call taken, most often to find none: the id by a Core query
# (built once), then the row by primary key only when there is one.
_BY_CREDIT_CODE = select(col(Caller.id)).where(col(Caller.credit_code) == bindparam("code"))
_BY_PHONE = (
    select(col(Caller.id))
    .join(CallerPhone, col(CallerPhone.caller_id) == col(Caller.id))
    .where(col(CallerPhone.phone) == bindparam("phone"), col(Caller.kind) == bindparam("kind"))
    .order_by(col(Caller.id))
    .limit(1)
)


def _known_caller(uow: UnitOfWork, query: Select[Any], params: dict[str, str]) -> Caller | None:
    found = uow.session.connection().execute(query, params).scalar_one_or_none()
    return uow.session.get(Caller, found) if found is not None else None


def draft_caller(uow: UnitOfWork, caller: CallerInput) -> Caller | None:
    """The caller's row without its id, in case the lookup finds none (None: nobody to record).

    Made before the lookup, which on SQLite is the transaction's first statement and takes the
    write lock: the lock is not held while a row that may be new is made."""
    if caller.kind == CallerKind.ANONYMOUS:
        return None
    if not caller.name and not caller.phone and not caller.credit_code:
        return None
    return Caller(
        kind=caller.kind,
        name=caller.name,
        id_number=caller.id_number,
        credit_code=caller.credit_code,
        industry=caller.industry,
        size=caller.size,
        area_id=resolve_code(uow, Area, caller.area_code),
        created_at=uow.now,
    )


def find_or_create_caller(
    uow: UnitOfWork, caller: CallerInput, *, draft: Caller | None = None
) -> Caller | None:
    """Reuse the enterprise with that credit code, or the person with that phone number
    (``draft``: made by :func:`draft_caller` earlier in this transaction)."""
    session = uow.session
    if caller.kind == CallerKind.ANONYMOUS:
        return None
    # PostgreSQL runs writers side by side and a person has no unique key: the first calls from
    # one number are serialised (``caller_lock``, taken by ``register_op``) so that they find
    # one caller, not one each.
    # An earlier order of this transaction (the demo writes many per transaction) may have
    # added this caller without a flush: look there first, then in the database.
    existing = _pending_caller(uow, caller)
    phone_known = existing is not None and not caller.credit_code
    fresh = draft
    if fresh is None and existing is None:
        fresh = draft_caller(uow, caller)
    if existing is not None:
        pass
    elif caller.credit_code:
        existing = _known_caller(uow, _BY_CREDIT_CODE, {"code": caller.credit_code})
    elif caller.phone:
        existing = _known_caller(uow, _BY_PHONE, {"phone": caller.phone, "kind": caller.kind})
        phone_known = existing is not None
    if existing is None:
        if fresh is None:
            return None
        fresh.id = next_ids(uow, "caller")[0]  # no flush: it is written with the order
        uow.add_new(fresh)
        if caller.phone:
            uow.add_new(new_phone(uow, fresh.id, caller.phone))
        return fresh
    # Fill in what was missing; never silently replace what was recorded before.
    existing.name = existing.name or caller.name
    existing.id_number = existing.id_number or caller.id_number
    existing.industry = existing.industry or caller.industry
    existing.size = existing.size or caller.size
    if caller.phone and not phone_known:
        known = session.exec(
            select(CallerPhone.id).where(
                CallerPhone.caller_id == existing.id, CallerPhone.phone == caller.phone
            )
        ).first()
        if known is None:
            uow.add_new(new_phone(uow, existing.id or 0, caller.phone))
    return existing


def new_phone(uow: UnitOfWork, caller_id: int, phone: str) -> CallerPhone:
    """A caller's number, with its id taken now (written with the order)."""
    return CallerPhone(id=next_ids(uow, "caller_phone")[0], caller_id=caller_id, phone=phone)


def caller_lock(caller: CallerInput) -> str | None:
    """The advisory lock that serialises first calls from one phone number (PostgreSQL)."""
    return caller.phone if caller.phone and not caller.credit_code else None


def draft_order(uow: UnitOfWork, intake: IntakeInput, search_text: str | None = None) -> Ticket:
    """The order in state 已受理 without its id, number and caller (:func:`register_op` sets
    them). Made without a statement once the codes are known (``prepare_registration``), so
    that on SQLite it is made before the transaction takes the write lock."""
    return Ticket(
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
    fresh = None if _pending_caller(uow, intake.caller) else draft_caller(uow, intake.caller)
    reserve_ids(
        uow,
        ["ticket", "caller", "caller_phone", *["assignment"] * assignments],
        lock=caller_lock(intake.caller),
    )
    caller = find_or_create_caller(uow, intake.caller, draft=fresh)
    ticket.id = next_ticket_id(uow)
    ticket.number = ticket_number(ticket.id, uow.now, uow.hl.settings.timezone)
    ticket.caller_id = caller.id if caller else None
    uow.add_new(ticket)  # written with its assignments: an INSERT, not an INSERT and UPDATEs
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
    assert ticket.id is not None
    for assignment in assignments_of(uow.session, ticket.id):
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
    assert ticket.id is not None
    if assignments_of(uow.session, ticket.id):
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
