"""A part's return window and extension room, read from what it stores (or, for a part stored
before they were, from the order's rule, then kept on the part): the inputs of the rules in
:mod:`hotline_tui.domain.part_limits`, for the services that return, ask for and decide
extensions, and for the views that show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from db.models import Assignment, Department, Ticket
from hotline_tui.domain.limits import Limit
from hotline_tui.domain.part_limits import ExtensionRoom
from hotline_tui.services.tickets import due_times
from hotline_tui.services.tickets.intake import Registered
from hotline_tui.services.tickets.timelimits import calendar_for

if TYPE_CHECKING:
    from hotline_tui.services.uow import UnitOfWork

__all__ = [
    "ExtensionOutcome",
    "dept_code",
    "extension_room",
    "outcome",
    "return_window",
    "zone",
]


def zone(uow: UnitOfWork) -> ZoneInfo:
    """The hotline's zone, in which messages name times."""
    return ZoneInfo(uow.hl.settings.timezone)


def dept_code(uow: UnitOfWork, assignment: Assignment) -> str:
    dept = uow.session.get(Department, assignment.dept_id)
    return dept.code if dept is not None else str(assignment.dept_id)


def return_window(uow: UnitOfWork, ticket: Ticket, assignment: Assignment) -> tuple[datetime, str]:
    """The end of the part's return window and its limit (``"2wd"``)."""
    if assignment.return_limit is None or assignment.return_due_at is None:
        limits = due_times.order_limits(uow.hl, uow.session, ticket)
        limit = (
            Limit.parse(assignment.return_limit)
            if assignment.return_limit
            else limits.return_window
        )
        assignment.return_limit = str(limit)
        assignment.return_due_at = calendar_for(uow.hl).add(assignment.created_at, limit).at
    return assignment.return_due_at, assignment.return_limit


def extension_room(uow: UnitOfWork, ticket: Ticket, assignment: Assignment) -> ExtensionRoom:
    """The part's cap (the rule's ``extension_max``), what was granted, the requests made."""
    if assignment.extension_limit is None:
        limits = due_times.order_limits(uow.hl, uow.session, ticket)
        assignment.extension_limit = str(limits.extension_max)
    return ExtensionRoom(
        cap=Limit.parse(assignment.extension_limit).amount,
        granted=assignment.extension_days_granted,
        requests=assignment.extension_requests,
        max_requests=uow.hl.settings.extension_max_requests,
    )


@dataclass(frozen=True)
class ExtensionOutcome(Registered):
    """An extension request or decision, with where the part stands after it: ``days`` asked
    (a request) or granted (an approval; 0 when denied), ``granted`` in all, the ``cap``, what is
    ``left`` of it, and the requests made of the ``max_requests`` allowed."""

    dept: str = ""
    days: int = 0
    granted: int = 0
    cap: int = 0
    left: int = 0
    requests: int = 0
    max_requests: int = 1


def outcome(result: Registered, dept: str, days: int, room: ExtensionRoom) -> ExtensionOutcome:
    """``result`` with the part's extension figures (``room``: as they are after the step)."""
    return ExtensionOutcome(
        result.number,
        result.state,
        result.version,
        list(result.warnings),
        dept=dept,
        days=days,
        granted=room.granted,
        cap=room.cap,
        left=room.left,
        requests=room.requests,
        max_requests=room.max_requests,
    )
