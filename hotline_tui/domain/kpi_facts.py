"""What one order adds to the daily roll-up: its *facts*, each a count in a column on a day.

The roll-up (``stats_daily``) is the sum of every order's facts per cell; an order's facts are
a pure function of the order as it stands (:class:`OrderView`: the order, its department parts,
its return visits, the audit events that count) and of ``now``. So the roll-up can be rebuilt
from the raw rows at any time, kept current by recomputing the orders the change feed names
(old facts out, new facts in), and every number can be traced back to its orders.

A cell is a local day (Asia/Shanghai) × department × category leaf × area × request type ×
channel × caller kind. The department is the order's lead department for the order's facts, and
the part's own department for a part's (its dispatch, its signing, its returns). Each column
counts on one day:

===================  ==========================================================  ===========
column               counts                                                      day
===================  ==========================================================  ===========
registered           every order                                                 registered
registered_valid     orders that were not invalid calls (无效来电)               registered
answered             orders answered directly (直接答复)                         registered
dispatches           department parts dispatched (派单, each department)         dispatched
sign_due             parts signed, or still unsigned past their sign due         sign due
sign_on_time         parts signed before their sign due                          sign due
reply_due            lead parts replied, or still open past their due time       due
reply_on_time        lead parts replied before their due time                    due
reply_late           ``reply_due`` less ``reply_on_time``                        due
returns              returns (退单), per part                                    returned
returns_rejected     returns the hotline's review rejected (不当退单)            returned
visit_due            orders whose reply passed review (first time)               passed
visited              those of them called back at least once                     passed
valid_visits         reached return visits that said whether it was resolved     visited
resolved / partly    … resolved (已解决) / partly resolved (部分解决)            visited
satisfied / basic    … 满意 / 基本满意                                           visited
closed               dispatched orders closed (办结)                             closed
handovers            their hand-overs (流转环节), and ``ho_0`` … ``ho_10``       closed
                     the orders with 0 … 9 and 10 or more
dispatched_orders    orders dispatched (their first lead part)                   dispatched
responded            those whose first lead part was signed before its sign due  dispatched
===================  ==========================================================  ===========

On time and overdue are :func:`hotline_tui.domain.clock.due_status`'s, at the moment of the act
(signing, replying) or, while the act is awaited, at ``now``. Only those two columns depend on
``now``: a part's facts change when its sign due or due time passes, which the change feed
does not announce (the roll-up's updater re-reads the orders whose due times passed since its
last run).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import NamedTuple

from hotline_tui.domain.clock import DueStatus, clock_runs, due_status
from hotline_tui.domain.moments import SHANGHAI
from hotline_tui.domain.states import (
    AssignmentRole,
    AssignmentState,
    CallerKind,
    Ending,
    Resolution,
    Satisfaction,
    VisitContact,
)

__all__ = [
    "COLUMNS",
    "HANDOVER_BUCKETS",
    "Cell",
    "EventView",
    "FactRow",
    "Facts",
    "OrderView",
    "PartView",
    "Rest",
    "VisitView",
    "fact_rows",
    "local_day",
    "order_facts",
    "order_rest",
]

HANDOVER_BUCKETS = 11
"""``ho_0`` … ``ho_9`` count the orders with that many hand-overs; ``ho_10`` ten or more."""

COLUMNS: tuple[str, ...] = (
    "registered",
    "registered_valid",
    "answered",
    "dispatches",
    "sign_due",
    "sign_on_time",
    "reply_due",
    "reply_on_time",
    "reply_late",
    "returns",
    "returns_rejected",
    "visit_due",
    "visited",
    "valid_visits",
    "resolved",
    "partly",
    "satisfied",
    "basic",
    "closed",
    "handovers",
    "dispatched_orders",
    "responded",
    *(f"ho_{i}" for i in range(HANDOVER_BUCKETS)),
)

# The audit events an order's facts read (as the services record them).
RETURN = "return"
RETURN_REJECT = "return_reject"
REVIEW_PASS = "review_pass"  # noqa: S105  (an action's name)
LEAD_REPLIED = "lead_replied"
EVENT_ACTIONS = (RETURN, RETURN_REJECT, REVIEW_PASS, LEAD_REPLIED)


# Plain named tuples: a rebuild makes millions of them, and a tuple is made several times
# faster than a frozen dataclass.
class PartView(NamedTuple):
    id: int
    dept_id: int
    role: str
    state: str
    created_at: datetime
    signed_at: datetime | None
    replied_at: datetime | None
    sign_due_at: datetime | None
    due_at: datetime | None


class VisitView(NamedTuple):
    made_at: datetime
    contact: str
    resolution: str | None
    satisfaction: str | None


class EventView(NamedTuple):
    seq: int
    at: datetime
    action: str
    entity: str
    assignment_id: int | None
    dept_id: int | None


class OrderView(NamedTuple):
    """An order as its facts need it (the services read it from the rows)."""

    id: int
    created_at: datetime
    closed_at: datetime | None
    ending: str | None
    request_type: str
    channel: str
    category_id: int | None
    area_id: int | None
    caller_kind: str | None  # None: no caller recorded (anonymous)
    lead_assignment_id: int | None
    handover_count: int
    parts: tuple[PartView, ...] = ()
    visits: tuple[VisitView, ...] = ()
    events: tuple[EventView, ...] = ()


# A cell of the roll-up: day, department, category, area, request type, channel, caller kind.
Cell = tuple[date, int, int, int, str, str, str]
Facts = Counter[tuple[Cell, str]]
Rest = tuple[int, int, str, str, str]
"""A cell less its day and department: the order's category, area, request type, channel and
caller kind (the same for every fact of an order)."""
FactRow = tuple[date, int, str, int]
"""One fact of an order: day, department, column, count."""


# The states' values, read once (a rebuild compares them millions of times).
_INVALID, _ANSWERED = Ending.INVALID.value, Ending.ANSWERED.value
_PENDING_SIGN, _LEAD = AssignmentState.PENDING_SIGN.value, AssignmentRole.LEAD.value
_REACHED, _ANONYMOUS = VisitContact.REACHED.value, CallerKind.ANONYMOUS.value
_RESOLVED, _PARTLY = Resolution.RESOLVED.value, Resolution.PARTLY.value
_SATISFIED, _BASIC = Satisfaction.SATISFIED.value, Satisfaction.BASIC.value


def local_day(moment: datetime) -> date:
    """The local (Asia/Shanghai) date of a moment."""
    return moment.astimezone(SHANGHAI).date()


def _late(due: datetime, at: datetime) -> bool:
    return due_status(due, None, at) is DueStatus.OVERDUE


def order_rest(order: OrderView) -> Rest:
    """The part of every cell ``order`` counts in that is the order's own."""
    return (
        order.category_id or 0,
        order.area_id or 0,
        order.request_type,
        order.channel,
        order.caller_kind or _ANONYMOUS,
    )


def order_facts(order: OrderView, now: datetime) -> Facts:
    """Everything ``order`` adds to the roll-up, as (cell, column) → count."""
    rest = order_rest(order)
    facts: Facts = Counter()
    for day, dept, column, n in fact_rows(order, now):
        facts[((day, dept, *rest), column)] += n
    return facts


class _Rows(list[FactRow]):
    """The facts of one order as they are found (the days of its moments remembered: a
    rebuild finds millions)."""

    def __init__(self) -> None:
        super().__init__()
        self.days: dict[datetime, date] = {}

    def add(self, moment: datetime, dept: int | None, column: str, n: int = 1) -> None:
        if n:
            day = self.days.get(moment)
            if day is None:
                day = self.days[moment] = moment.astimezone(SHANGHAI).date()
            self.append((day, dept or 0, column, n))


def fact_rows(order: OrderView, now: datetime) -> list[FactRow]:
    """Everything ``order`` adds to the roll-up as (day, department, column, count) rows, in the
    cells completed by :func:`order_rest` (a column may come twice on a day: add them up)."""
    out = _Rows()
    lead = None
    if order.lead_assignment_id is not None:
        lead = next((p for p in order.parts if p.id == order.lead_assignment_id), None)
    dept = lead.dept_id if lead is not None else 0
    out.add(order.created_at, dept, "registered")
    if order.ending != _INVALID:
        out.add(order.created_at, dept, "registered_valid")
    if order.ending == _ANSWERED:
        out.add(order.created_at, dept, "answered")
    if order.parts:
        for part in order.parts:
            _part_facts(out, part, now)
        if lead is not None:
            _reply_facts(out, lead, now)
        _first_lead_facts(out, order)
    if order.events:
        _event_facts(out, order, dept)
    if order.visits:
        _visit_facts(out, order, dept)
    if order.closed_at is not None and order.parts:
        out.add(order.closed_at, dept, "closed")
        out.add(order.closed_at, dept, "handovers", order.handover_count)
        bucket = min(max(order.handover_count, 0), HANDOVER_BUCKETS - 1)
        out.add(order.closed_at, dept, _BUCKETS[bucket])
    return out


_BUCKETS = tuple(f"ho_{i}" for i in range(HANDOVER_BUCKETS))


def _part_facts(out: _Rows, part: PartView, now: datetime) -> None:
    out.add(part.created_at, part.dept_id, "dispatches")
    due = part.sign_due_at
    if due is None:
        return
    if part.signed_at is not None:
        out.add(due, part.dept_id, "sign_due")
        out.add(due, part.dept_id, "sign_on_time", int(not _late(due, part.signed_at)))
    elif part.state == _PENDING_SIGN and _late(due, now):
        out.add(due, part.dept_id, "sign_due")


def _reply_facts(out: _Rows, lead: PartView, now: datetime) -> None:
    due = lead.due_at
    if due is None:
        return
    if lead.replied_at is not None:
        on_time = not _late(due, lead.replied_at)
    elif clock_runs(lead.state) and _late(due, now):
        on_time = False
    else:
        return
    out.add(due, lead.dept_id, "reply_due")
    out.add(due, lead.dept_id, "reply_on_time" if on_time else "reply_late")


def _first_lead_facts(out: _Rows, order: OrderView) -> None:
    leads = [p for p in order.parts if p.role == _LEAD]
    if not leads:
        return
    first = leads[0] if len(leads) == 1 else min(leads, key=lambda p: (p.created_at, p.id))
    out.add(first.created_at, first.dept_id, "dispatched_orders")
    signed = first.signed_at
    if signed is not None and (first.sign_due_at is None or not _late(first.sign_due_at, signed)):
        out.add(first.created_at, first.dept_id, "responded")


def _event_facts(out: _Rows, order: OrderView, dept: int) -> None:
    """Returns (on their day, per part) and whether review rejected them; the first pass of
    the order's reply (the return visit's cohort)."""
    last_return: dict[int | None, EventView] = {}
    passed: EventView | None = None
    for event in sorted(order.events):  # by seq, the first field (and unique)
        if event.action == RETURN:
            last_return[event.assignment_id] = event
            out.add(event.at, event.dept_id, "returns")
        elif event.action == RETURN_REJECT:
            returned = last_return.get(event.assignment_id, event)
            out.add(returned.at, returned.dept_id, "returns_rejected")
        elif event.action in (REVIEW_PASS, LEAD_REPLIED) and event.entity == "ticket":
            passed = passed or event
    if passed is not None:
        out.add(passed.at, dept, "visit_due")
        later = any(v.made_at >= passed.at for v in order.visits)
        out.add(passed.at, dept, "visited", int(later))


def _visit_facts(out: _Rows, order: OrderView, dept: int) -> None:
    for visit in order.visits:
        if visit.contact != _REACHED or visit.resolution is None:
            continue
        out.add(visit.made_at, dept, "valid_visits")
        if visit.resolution == _RESOLVED:
            out.add(visit.made_at, dept, "resolved")
        elif visit.resolution == _PARTLY:
            out.add(visit.made_at, dept, "partly")
        if visit.satisfaction == _SATISFIED:
            out.add(visit.made_at, dept, "satisfied")
        elif visit.satisfaction == _BASIC:
            out.add(visit.made_at, dept, "basic")
