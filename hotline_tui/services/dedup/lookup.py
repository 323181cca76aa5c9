"""可能重复: the orders a new call (or an order waiting for dispatch) may repeat, and the ones it
is only related to.

- :func:`find_similar` - for the intake form: the description typed so far, the caller's number,
  the address and the enterprise, against the orders of the last 30 days.
- :func:`similar_to_orders` - for the dispatcher's queue: the same for orders already registered
  (each against the others, itself left out).

Both read candidates from the process's :class:`~hotline_tui.services.dedup.index.RecentIndex`
(filled on first use, then caught up with the orders registered since, by any process), read
those orders as they stand, and leave the verdict to
:func:`hotline_tui.domain.near_dup.judge`. Orders that ended without an answer (withdrawn,
invalid) and orders already merged into another are never offered; a duplicate of a closed order
is shown (the caller calls about something answered) but cannot be merged into.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from db.models import Caller, Ticket
from hotline_tui.domain.near_dup import (
    WINDOW_DAYS,
    Facts,
    Relation,
    judge,
    normalise,
    normalise_address,
    shingles,
    similarity,
)
from hotline_tui.domain.states import CallerKind, Ending, TicketState
from hotline_tui.domain.text import normalise_identifier
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.dedup.index import RecentIndex
from hotline_tui.services.dedup.recent import recent_index
from hotline_tui.services.tickets.common import permit

__all__ = ["MIN_CHARS", "Match", "Probe", "Similar", "find_similar", "similar_to_orders"]

MIN_CHARS = 8  # a shorter description says too little to compare (normalised characters)
_NOT_OFFERED = (Ending.WITHDRAWN.value, Ending.INVALID.value)
_NO_MERGE_INTO = (TicketState.CLOSED.value, TicketState.ARCHIVED.value, TicketState.MERGED.value)


@dataclass(frozen=True)
class Probe:
    """What is known of the call (or order) to compare."""

    description: str
    phone: str | None = None
    callback_phone: str | None = None
    address: str = ""
    credit_code: str | None = None
    caller_id: int | None = None  # a registered order's caller record
    ticket_id: int | None = None  # a registered order: itself is left out
    at: datetime | None = None  # a registered order's registration time (else now)


@dataclass(frozen=True)
class Match:
    number: str
    state: str
    relation: str  # Relation.DUPLICATE or Relation.RELATED
    similarity: float
    created_at: datetime
    same_caller: bool | None
    same_place: bool
    mergeable: bool  # may be the lead of a 并单


@dataclass(frozen=True)
class Similar:
    duplicates: tuple[Match, ...] = ()  # the most similar first
    related: tuple[Match, ...] = ()

    @property
    def best(self) -> Match | None:
        """The duplicate a 并单 goes into: the most similar one that can lead."""
        return next((m for m in self.duplicates if m.mergeable), None)


@dataclass(frozen=True)
class _Order:
    id: int
    number: str
    state: str
    ending: str | None
    parent_id: int | None
    created_at: datetime
    description: str
    address: str
    phones: frozenset[str]
    caller_id: int | None
    credit_code: str | None


def find_similar(hl: Hotline, actor: Actor, probe: Probe) -> Similar:
    """The orders of the last :data:`WINDOW_DAYS` days the call may repeat or relate to."""
    permit(actor, "register")
    return _similar(hl, recent_index(hl), probe)


def similar_to_orders(hl: Hotline, actor: Actor, numbers: Sequence[str]) -> dict[str, Similar]:
    """For each registered order of ``numbers``: the earlier orders it may repeat and the
    orders it relates to (orders without either are left out of the answer)."""
    permit(actor, "merge")
    with hl.reading() as session:
        orders = _load(session, select_by=col(Ticket.number).in_(list(numbers)))
    out: dict[str, Similar] = {}
    index = recent_index(hl)  # caught up once for the whole page
    for order in orders:
        probe = Probe(
            order.description,
            address=order.address,
            credit_code=order.credit_code,
            caller_id=order.caller_id,
            ticket_id=order.id,
            at=order.created_at,
        )
        found = _similar(hl, index, probe, phones=order.phones)
        # The later order repeats the earlier: only the later is marked, and the earlier leads.
        # (Numbers follow ids: of two registered in the same instant, the lower came first.)
        earlier = tuple(
            m
            for m in found.duplicates
            if (m.created_at, m.number) < (order.created_at, order.number)
        )
        found = Similar(earlier, found.related)
        if found.duplicates or found.related:
            out[order.number] = found
    return out


def _similar(
    hl: Hotline, index: RecentIndex, probe: Probe, phones: frozenset[str] | None = None
) -> Similar:
    text = normalise(probe.description)
    if len(text) < MIN_CHARS:
        return Similar()
    at = probe.at or hl.now()
    since = at - timedelta(days=WINDOW_DAYS)
    ids = [i for i in index.candidates(text, int(since.timestamp())) if i != probe.ticket_id]
    if not ids:
        return Similar()
    with hl.reading() as session:
        orders = _load(session, select_by=col(Ticket.id).in_(ids))
    mine = shingles(text)
    if phones is None:
        phones = frozenset(_phone(p) for p in (probe.phone, probe.callback_phone) if p)
    place = normalise_address(probe.address)
    credit = normalise_identifier(probe.credit_code) if probe.credit_code else None
    duplicates: list[Match] = []
    related: list[Match] = []
    for order in orders:
        if order.ending in _NOT_OFFERED or order.parent_id is not None:
            continue
        if abs(order.created_at - at) > timedelta(days=WINDOW_DAYS):
            continue
        facts = Facts(
            similarity=similarity(mine, shingles(normalise(order.description))),
            same_caller=_same_caller(phones, probe.caller_id, order),
            same_place=bool(place and place == normalise_address(order.address))
            or bool(credit and credit == order.credit_code),
        )
        relation = judge(facts)
        if relation is Relation.NONE:
            continue
        match = Match(
            order.number,
            order.state,
            relation.value,
            round(facts.similarity, 3),
            order.created_at,
            facts.same_caller,
            facts.same_place,
            order.state not in _NO_MERGE_INTO,
        )
        (duplicates if relation is Relation.DUPLICATE else related).append(match)
    key = _ranking
    return Similar(tuple(sorted(duplicates, key=key)), tuple(sorted(related, key=key)))


def _ranking(match: Match) -> tuple[float, datetime]:
    # The most similar first; of equals, the one registered first (the natural lead).
    return (-match.similarity, match.created_at)


def _same_caller(phones: frozenset[str], caller_id: int | None, order: _Order) -> bool | None:
    """True: a shared number or caller record; False: both known and different; None: one
    side's caller is unknown."""
    if phones & order.phones or (caller_id is not None and caller_id == order.caller_id):
        return True
    mine_known = bool(phones) or caller_id is not None
    theirs_known = bool(order.phones) or order.caller_id is not None
    return False if mine_known and theirs_known else None


def _phone(value: str) -> str:
    return normalise_identifier(value)


def _load(session: Session, *, select_by: object) -> list[_Order]:
    rows = session.exec(
        select(Ticket, Caller)
        .outerjoin(Caller, col(Caller.id) == col(Ticket.caller_id))
        .where(select_by)  # type: ignore[arg-type]
    ).all()
    out = []
    for ticket, caller in rows:
        assert ticket.id is not None
        anonymous = caller is None or caller.kind == CallerKind.ANONYMOUS.value
        out.append(
            _Order(
                id=ticket.id,
                number=ticket.number,
                state=ticket.state,
                ending=ticket.ending,
                parent_id=ticket.parent_id,
                created_at=ticket.created_at,
                description=ticket.description,
                address=ticket.address,
                phones=frozenset(
                    _phone(p) for p in (ticket.contact_phone, ticket.callback_phone) if p
                ),
                caller_id=None if anonymous else ticket.caller_id,
                credit_code=(caller.credit_code if caller is not None else None),
            )
        )
    return out
