"""An order's rule changed after dispatch: its parts' time limits are recomputed.

Editing an order's urgency (or its request type or category, which pick the rule as well) after
dispatch changes the limits that apply to it. Every open part (its clock running:
:data:`~hotline_tui.domain.clock.CLOCK_RUNNING_STATES`) is then given the new rule's limits as if
it had been dispatched under it — sign due, completion due, warning and return window counted
from its own dispatch (or the start of its current round of work), with the time its clock stood
still and the extension days granted kept — and the change is recorded per part as a
``limit_change`` event with the old and new limits and due times. The departments see those
events among their notices (:mod:`hotline_tui.services.tickets.notices`). Raising the urgency of an
order already past its new due time makes it overdue: that is the honest answer. The order's
own clocks follow too: waiting for dispatch, its dispatch due under the new rule's dispatch
limit from when it entered the queue; waiting for its return visit, its visit due.

The time paused is kept in the new limit's kind of time: working seconds for ``wd``/``wh``,
natural seconds for ``h``/``d``; when the kind changes, it is replayed from the part's steps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from db.models import Assignment, AuditEvent, Ticket
from hotline_tui.domain.clock import clock_runs
from hotline_tui.domain.limits import Limit, TimeLimits
from hotline_tui.domain.part_limits import local_minute
from hotline_tui.domain.states import TicketState
from hotline_tui.services.tickets import due_times, hotline_due, part_windows
from hotline_tui.services.tickets.common import assignments_of
from hotline_tui.services.tickets.timelimits import limits_for
from hotline_tui.services.uow import UnitOfWork

__all__ = ["ACTION", "RULE_FIELDS", "RuleKey", "recompute_parts", "rule_key"]

ACTION = "limit_change"
"""The audit action of a part's recomputed limits (and the departments' notice of it)."""

RULE_FIELDS = ("request_type", "category_id", "urgency")
"""The order's fields that pick its rule."""

RuleKey = tuple[str, int | None, str]

_DUE_FIELDS = ("sign_due_at", "due_at", "warn_at", "return_due_at")


def rule_key(ticket: Ticket) -> RuleKey:
    return (ticket.request_type, ticket.category_id, ticket.urgency)


def _dues(a: Assignment) -> dict[str, datetime | None]:
    return {name: getattr(a, name) for name in _DUE_FIELDS}


def _iso(values: dict[str, datetime | None]) -> dict[str, str | None]:
    return {k: v.isoformat() if v is not None else None for k, v in values.items()}


def _limits_of(a: Assignment) -> dict[str, str | None]:
    return {
        "sign": a.sign_limit,
        "complete": a.time_limit,
        "return_window": a.return_limit,
        "extension_max": a.extension_limit,
    }


def recompute_parts(uow: UnitOfWork, ticket: Ticket, before: RuleKey) -> int:
    """Recompute the open parts of ``ticket`` after its rule key changed from ``before``;
    how many parts' limits or due times changed."""
    if rule_key(ticket) == before:
        return 0
    hl, session = uow.hl, uow.session
    assert ticket.id is not None
    new = due_times.order_limits(hl, session, ticket)
    old = limits_for(hl, session, *before)
    changed = 0
    for a in assignments_of(session, ticket.id, lock=True):
        if not clock_runs(a.state):
            continue
        was_limits, was_dues = _limits_of(a), _dues(a)
        _apply(uow, a, old, new)
        due_times.refresh(hl, session, ticket, a)
        if _limits_of(a) == was_limits and _dues(a) == was_dues:
            continue
        changed += 1
        _record(uow, ticket, a, before, was_limits, was_dues)
    _order_clocks(uow, ticket, before)
    return changed


def _order_clocks(uow: UnitOfWork, ticket: Ticket, before: RuleKey) -> None:
    """An order waiting for dispatch is due under the new rule's dispatch limit, counted from
    when it entered the queue; one waiting for its return visit, under the new visit limit."""
    hl, session = uow.hl, uow.session
    was = {"dispatch_due_at": ticket.dispatch_due_at, "visit_due_at": ticket.visit_due_at}
    if ticket.state == TicketState.PENDING_DISPATCH.value:
        queued = session.exec(
            select(func.max(AuditEvent.at)).where(
                AuditEvent.ticket_id == ticket.id,
                AuditEvent.entity == "ticket",
                AuditEvent.to_state == TicketState.PENDING_DISPATCH.value,
            )
        ).one()
        limits = due_times.order_limits(hl, session, ticket)
        due = hotline_due.dispatch_times(hl, queued or ticket.created_at, limits)
        ticket.dispatch_due_at, ticket.dispatch_warn_at = due.due_at, due.warn_at
    elif ticket.state == TicketState.PENDING_VISIT.value and ticket.lead_assignment_id:
        lead = session.get(Assignment, ticket.lead_assignment_id)
        due_times.on_order_state(hl, session, ticket, lead, uow.now)
    now = {"dispatch_due_at": ticket.dispatch_due_at, "visit_due_at": ticket.visit_due_at}
    if now == was:
        return
    uow.record(
        ACTION,
        entity="ticket",
        entity_id=ticket.id,
        ticket_id=ticket.id,
        from_state=ticket.state,
        to_state=ticket.state,
        note="时限随工单修改重算："
        + "，".join(
            f"{_ORDER_DUE_ZH[k]} {_shown(uow, was[k])}→{_shown(uow, now[k])}"
            for k in now
            if now[k] != was[k]
        ),
        data={
            "rule": {
                "before": dict(zip(RULE_FIELDS, before, strict=True)),
                "after": dict(zip(RULE_FIELDS, rule_key(ticket), strict=True)),
            },
            "due": {"before": _iso(was), "after": _iso(now)},
        },
    )


_ORDER_DUE_ZH = {"dispatch_due_at": "派单期限", "visit_due_at": "回访期限"}


def _shown(uow: UnitOfWork, at: datetime | None) -> str:
    return local_minute(at, part_windows.zone(uow)) if at is not None else "—"


def _apply(uow: UnitOfWork, a: Assignment, old: TimeLimits, new: TimeLimits) -> None:
    """The new rule's limits on part ``a``, its pause kept in the new limit's kind of time."""
    complete_before = Limit.parse(a.time_limit) if a.time_limit else old.complete
    a.sign_limit = str(new.sign)
    a.time_limit = str(new.complete)
    a.return_limit = str(new.return_window)
    a.extension_limit = str(new.extension_max)
    if complete_before.working != new.complete.working and a.paused_seconds:
        steps = uow.session.exec(
            select(AuditEvent.action, AuditEvent.at)
            .where(AuditEvent.ticket_id == a.ticket_id, AuditEvent.assignment_id == a.id)
            .order_by(col(AuditEvent.seq))
        ).all()
        a.paused_seconds = round(due_times.pause_replayed(uow.hl, new.complete, list(steps)))


def _record(
    uow: UnitOfWork,
    ticket: Ticket,
    a: Assignment,
    before: RuleKey,
    was_limits: dict[str, str | None],
    was_dues: dict[str, datetime | None],
) -> None:
    tz = part_windows.zone(uow)
    # The notice is about the completion limit that changed: its new due time (the sign due
    # only while the completion clock waits for the signature).
    deadline = a.due_at or a.sign_due_at

    def shown(at: datetime | None) -> str:
        return local_minute(at, tz) if at is not None else "—"

    note = (
        f"时限随工单修改重算：办结时限 {was_limits['complete'] or '—'}→{a.time_limit}，"
        f"办结期限 {shown(was_dues['due_at'])}→{shown(a.due_at)}，"
        f"退单时限 {shown(was_dues['return_due_at'])}→{shown(a.return_due_at)}"
    )
    data: dict[str, Any] = {
        "rule": {
            "before": dict(zip(RULE_FIELDS, before, strict=True)),
            "after": dict(zip(RULE_FIELDS, rule_key(ticket), strict=True)),
        },
        "limits": {"before": was_limits, "after": _limits_of(a)},
        "due": {"before": _iso(was_dues), "after": _iso(_dues(a))},
        "deadline": deadline.isoformat() if deadline is not None else None,
    }
    uow.record(
        ACTION,
        entity="assignment",
        entity_id=a.id,
        ticket_id=ticket.id,
        assignment_id=a.id,
        dept_id=a.dept_id,
        from_state=a.state,
        to_state=a.state,
        note=note,
        data=data,
    )
