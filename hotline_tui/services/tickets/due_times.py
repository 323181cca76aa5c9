"""Due times through the loop: what each transition does to an order's and assignment's clocks.

Called from the transition helpers in :mod:`common` (every dispatch, sign, return, extension,
reply, review and redo goes through them), so no service can move an order and forget its clock.
The arithmetic is the domain's (:mod:`hotline_tui.domain.limits`); what is stored on an
assignment are the *inputs* — when its completion clock started, the limits applied, the time
paused so far, the working days granted — and the due times are always
``limits.recompute(inputs)``, the same computation a calendar import repeats for provisional
due times. The objects passed in only need the models' attributes, so the demo generator's
records use these functions as they are.

Rules (DESIGN.md §4, settings ``sla_*``):
- an assignment's sign clock starts when it is dispatched; its completion clock then too, or at
  signing when ``sla_clock_start = "sign"``;
- a return under review stops the clock (``sla_pause_on_return_review``), and so does a pending
  extension request (``sla_pause_on_extension_pending``); a rejected return or a decided request
  restarts it, moved on by the working time it stood still;
- an approved extension moves due and warning by exactly the days granted;
- an assignment's return window (退单时限) ends the rule's return limit after its dispatch
  (pauses and extensions do not move it);
- a redo (review failed, or after an unsatisfied visit) starts a new completion clock (the
  extension days already granted to the assignment still count);
- an order waiting for dispatch must be dispatched within the dispatch limit; an order whose
  reply passed review must be called back within the visit limit after the lead's reply;
- a part whose return or extension request waits for the hotline has the hotline's decision
  due (:mod:`hotline_due`), cleared once decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from hotline_tui.domain.lifecycle import AssignmentAction
from hotline_tui.domain.limits import (
    ClockInputs,
    Limit,
    TimeLimits,
    paused_seconds,
    recompute,
    visit_due,
)
from hotline_tui.domain.states import TicketState
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets import hotline_due
from hotline_tui.services.tickets.timelimits import calendar_for, limits_for


class OrderLike(Protocol):
    request_type: str
    category_id: int | None
    urgency: str
    state: str
    created_at: datetime
    dispatch_due_at: datetime | None
    dispatch_warn_at: datetime | None
    visit_due_at: datetime | None


class AssignmentLike(Protocol):
    state: str
    created_at: datetime
    signed_at: datetime | None
    replied_at: datetime | None
    sign_due_at: datetime | None
    due_at: datetime | None
    warn_at: datetime | None
    provisional: bool
    clock_started_at: datetime | None
    time_limit: str | None
    sign_limit: str | None
    paused_at: datetime | None
    paused_seconds: int
    extension_days_granted: int
    review_due_at: datetime | None
    review_warn_at: datetime | None
    return_limit: str | None
    return_due_at: datetime | None
    extension_limit: str | None


_PAUSING = {
    AssignmentAction.RETURN: "sla_pause_on_return_review",
    AssignmentAction.REQUEST_EXTENSION: "sla_pause_on_extension_pending",
}
_RESUMING = {
    AssignmentAction.RETURN_REJECT,
    AssignmentAction.EXTENSION_APPROVE,
    AssignmentAction.EXTENSION_DENY,
}
_RESTARTING = {AssignmentAction.REVIEW_FAIL, AssignmentAction.REDO}
_WAITING_FOR_DISPATCH = TicketState.PENDING_DISPATCH.value
ORDER_CLOCK_STATES = frozenset({_WAITING_FOR_DISPATCH, TicketState.PENDING_VISIT.value})
"""Order states with a clock of their own (dispatch due, visit due)."""


def order_limits(hl: Hotline, session: Session, order: OrderLike) -> TimeLimits:
    return limits_for(hl, session, order.request_type, order.category_id, order.urgency)


def refresh(hl: Hotline, session: Session, order: OrderLike, assignment: AssignmentLike) -> None:
    """Set the assignment's due times from its stored clock inputs."""
    limits = order_limits(hl, session, order)
    due = recompute(
        calendar_for(hl),
        ClockInputs(
            dispatched_at=assignment.created_at,
            sign_limit=Limit.parse(assignment.sign_limit) if assignment.sign_limit else limits.sign,
            complete=Limit.parse(assignment.time_limit)
            if assignment.time_limit
            else limits.complete,
            warn_fraction=limits.warn_fraction,
            clock_started_at=assignment.clock_started_at,
            extension_wd=assignment.extension_days_granted,
            paused=float(assignment.paused_seconds),
            return_limit=Limit.parse(assignment.return_limit)
            if assignment.return_limit
            else limits.return_window,
        ),
    )
    assignment.sign_due_at = due.sign_due_at
    assignment.due_at = due.due_at
    assignment.warn_at = due.warn_at
    assignment.provisional = due.provisional
    assignment.return_due_at = due.return_due_at


def on_dispatched(
    hl: Hotline, session: Session, order: OrderLike, assignment: AssignmentLike
) -> None:
    """A new assignment (dispatch, re-dispatch): the limits that apply, the clocks started."""
    limits = order_limits(hl, session, order)
    assignment.sign_limit = str(limits.sign)
    assignment.time_limit = str(limits.complete)
    assignment.return_limit = str(limits.return_window)
    assignment.extension_limit = str(limits.extension_max)
    by_sign = hl.settings.sla_clock_start == "sign"
    assignment.clock_started_at = None if by_sign else assignment.created_at
    refresh(hl, session, order, assignment)
    order.dispatch_due_at = None
    order.dispatch_warn_at = None


def on_assignment_step(
    hl: Hotline,
    session: Session,
    order: OrderLike,
    assignment: AssignmentLike,
    action: AssignmentAction,
    now: datetime,
) -> None:
    """What an assignment transition does to its clock (see the module's rules)."""
    if action is AssignmentAction.SIGN:
        if assignment.clock_started_at is None:
            assignment.clock_started_at = now
            refresh(hl, session, order, assignment)
        return
    setting = _PAUSING.get(action)
    if setting is not None:
        if getattr(hl.settings, setting) and assignment.paused_at is None:
            assignment.paused_at = now
        return
    if action in _RESUMING:
        if assignment.paused_at is not None:
            complete = (
                Limit.parse(assignment.time_limit)
                if assignment.time_limit
                else order_limits(hl, session, order).complete
            )
            assignment.paused_seconds += round(
                paused_seconds(calendar_for(hl), complete, assignment.paused_at, now)
            )
            assignment.paused_at = None
        refresh(hl, session, order, assignment)
        return
    if action in _RESTARTING:
        # A new round of work: a new completion clock, without the last round's pauses. The
        # working days granted earlier stay granted (``extension_days_granted`` is the
        # assignment's total, which the reports and a calendar import's recomputation read).
        assignment.clock_started_at = now
        assignment.paused_seconds = 0
        assignment.paused_at = None
        refresh(hl, session, order, assignment)


def on_order_state(
    hl: Hotline,
    session: Session,
    order: OrderLike,
    lead: AssignmentLike | None,
    now: datetime,
) -> None:
    """After the order's state changed: the dispatch and return-visit clocks."""
    if order.state == _WAITING_FOR_DISPATCH:
        due = hotline_due.dispatch_times(hl, now, order_limits(hl, session, order))
        order.dispatch_due_at = due.due_at
        order.dispatch_warn_at = due.warn_at
    elif order.state == TicketState.PENDING_VISIT.value:
        limits = order_limits(hl, session, order)
        replied = (lead.replied_at if lead is not None else None) or now
        order.visit_due_at = visit_due(calendar_for(hl), replied, limits).at


def on_part_state(
    hl: Hotline, session: Session, order: OrderLike, assignment: AssignmentLike, now: datetime
) -> None:
    """After a part's state changed: the hotline's decision due on it, or none."""
    hotline_due.on_part_state(hl, assignment, lambda: order_limits(hl, session, order), now)


def describe(assignment: AssignmentLike) -> dict[str, Any]:
    """The due times of an assignment as shown by ``ticket show``."""
    return {
        "sign_due_at": assignment.sign_due_at,
        "due_at": assignment.due_at,
        "warn_at": assignment.warn_at,
        "provisional": assignment.provisional,
        "time_limit": assignment.time_limit,
    }


def pause_replayed(hl: Hotline, limit: Limit, steps: Sequence[tuple[str, datetime]]) -> float:
    """The time a part's clock stood still, in ``limit``'s kind of time, replayed from its steps
    (action, when; oldest first) as :func:`on_assignment_step` counts it: for a part whose
    completion limit changes between working and natural time (an urgency edited). A pause
    still open is not counted: it stays open (``paused_at``)."""
    cal = calendar_for(hl)
    total, since = 0.0, None
    for name, at in steps:
        try:
            action = AssignmentAction(name)
        except ValueError:  # an event beside the part's steps (a flag, a limit change)
            continue
        setting = _PAUSING.get(action)
        if setting is not None:
            if getattr(hl.settings, setting) and since is None:
                since = at
        elif action in _RESUMING:
            if since is not None:
                total += paused_seconds(cal, limit, since, at)
            since = None
        elif action in _RESTARTING:
            total, since = 0.0, None
    return total
