"""The caller of an order: found by credit code or phone number, or recorded new.

An enterprise is known by its credit code, a person by phone number and kind; what a new call
adds to a known caller fills in what was missing and never replaces what was recorded.
"""

from __future__ import annotations

from db.models import Area, Caller, CallerPhone
from hotline_tui.domain.intake import CallerInput
from hotline_tui.domain.states import CallerKind
from hotline_tui.services.tickets.common import resolve_code
from hotline_tui.services.uow import UnitOfWork


def draft_caller(uow: UnitOfWork, caller: CallerInput) -> Caller | None:
    """The caller's row without its id, in case the lookup finds none (None: nobody to record).

    Made before the lookup, which on SQLite is the transaction's first statement and takes the
    write lock: the lock is not held while a row that may be new is made."""
    if caller.kind == CallerKind.ANONYMOUS:
        return None
    if not caller.name and not caller.phone and not caller.credit_code:
        return None
    return uow.store.new(
        Caller,
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
    store = uow.store
    if caller.kind == CallerKind.ANONYMOUS:
        return None
    # PostgreSQL runs writers side by side and a person has no unique key: the first calls from
    # one number are serialised (``caller_lock``, taken by ``register_op``) so that they find
    # one caller, not one each.
    # An earlier order of this transaction (the demo writes many per transaction) may have
    # added this caller without a flush: look there first, then in the database.
    existing = store.pending_caller(caller)
    phone_known = existing is not None and not caller.credit_code
    fresh = draft
    if fresh is None and existing is None:
        fresh = draft_caller(uow, caller)
    if existing is not None:
        pass
    elif caller.credit_code:
        existing = store.caller_by_credit_code(caller.credit_code)
    elif caller.phone:
        existing = store.caller_by_phone(caller.kind, caller.phone)
        phone_known = existing is not None
    if existing is None:
        if fresh is None:
            return None
        fresh.id = store.ids("caller")[0]  # no flush: it is written with the order
        store.add(fresh)
        if caller.phone:
            store.add(new_phone(uow, fresh.id, caller.phone))
        return fresh
    # Fill in what was missing; never silently replace what was recorded before.
    existing.name = existing.name or caller.name
    existing.id_number = existing.id_number or caller.id_number
    existing.industry = existing.industry or caller.industry
    existing.size = existing.size or caller.size
    if caller.phone and not phone_known and not store.has_phone(existing, caller.phone):
        store.add(new_phone(uow, existing.id or 0, caller.phone))
    return existing


def new_phone(uow: UnitOfWork, caller_id: int, phone: str) -> CallerPhone:
    """A caller's number, with its id taken now (written with the order)."""
    phone_id = uow.store.ids("caller_phone")[0]
    return uow.store.new(CallerPhone, id=phone_id, caller_id=caller_id, phone=phone)


def caller_lock(caller: CallerInput) -> str | None:
    """The advisory lock that serialises first calls from one phone number (PostgreSQL)."""
    return caller.phone if caller.phone and not caller.credit_code else None
