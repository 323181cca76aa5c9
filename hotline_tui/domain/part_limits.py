"""A department's own windows on its part of an order: the return window and the extension cap.

Pure rules, as the ticket services apply them (DESIGN.md §4; README, "Time limits"):

- **The return window (退单时限).** A department may return its part only until the window's end,
  ``return_window`` (default 2 wd) after that part was dispatched. After it, the setting
  ``return_after_window`` decides: ``refuse`` (the default: the published rules' "逾期未提出退单
  的，视为认可派单") names the window's end and what to do instead; ``review`` lets the return
  through to the hotline's review marked as a late return (超时退单), which the reviewer must
  approve explicitly.
- **Extensions (延期).** A request comes before the part's due time; at most
  ``extension_max_requests`` requests per part (default 1: "延期原则上只能申请一次"); the working
  days granted over all requests stay within the rule's ``extension_max`` (default 10 wd), at
  request time and at decision time, and the hotline may grant fewer days than asked, never more.

Times in messages are local (the hotline's zone), to the minute, as people read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from hotline_tui.domain.errors import IllegalTransition, ValidationError

__all__ = [
    "ExtensionRoom",
    "check_extension_grant",
    "check_extension_request",
    "late_return",
    "local_minute",
]


def local_minute(at: datetime, tz: tzinfo) -> str:
    """``2026-03-04 09:30``: an instant in the hotline's zone, as the messages name it."""
    return f"{at.astimezone(tz):%Y-%m-%d %H:%M}"


def late_return(
    *,
    ticket: str,
    dept: str,
    now: datetime,
    window_end: datetime | None,
    limit: str,
    policy: str,
    tz: tzinfo,
) -> bool:
    """Whether a return made ``now`` is late (after ``window_end``); refused when the policy is
    ``refuse``, with the window's end and what to do instead."""
    if window_end is None or now <= window_end:
        return False
    if policy == "review":
        return True
    raise IllegalTransition(
        "transition.return_window",
        ticket=ticket,
        dept=dept,
        window_end=local_minute(window_end, tz),
        limit=limit,
    )


@dataclass(frozen=True)
class ExtensionRoom:
    """What a part may still be granted: ``cap`` working days in all, ``granted`` so far."""

    cap: int
    granted: int
    requests: int = 0
    max_requests: int = 1

    @property
    def left(self) -> int:
        return max(0, self.cap - self.granted)


def check_extension_request(
    room: ExtensionRoom,
    *,
    ticket: str,
    dept: str,
    days: int,
    now: datetime,
    due_at: datetime | None,
    tz: tzinfo,
) -> None:
    """Refuse a request after the due time, beyond the number of requests, or beyond the cap."""
    if due_at is not None and now >= due_at:
        raise IllegalTransition(
            "transition.extension_after_due",
            ticket=ticket,
            dept=dept,
            due_at=local_minute(due_at, tz),
        )
    if room.requests >= room.max_requests:
        raise IllegalTransition(
            "transition.extension_requests_used",
            ticket=ticket,
            dept=dept,
            used=room.requests,
            max=room.max_requests,
        )
    _refuse_when_used(room, ticket, dept)
    if not 1 <= days <= room.left:
        raise ValidationError(
            "validation.extension_days",
            field="days",
            days=days,
            max=room.left,
            cap=room.cap,
            granted=room.granted,
        )


def check_extension_grant(
    room: ExtensionRoom, *, ticket: str, dept: str, days: int | None, requested: int | None
) -> int:
    """The working days an approval grants: ``days`` (default: as asked), at least 1 and at most
    what was asked and what is left under the cap."""
    _refuse_when_used(room, ticket, dept)
    granted = requested if days is None else days
    most = min(requested, room.left) if requested else room.left
    if granted is None or not 1 <= granted <= most:
        raise ValidationError(
            "validation.extension_grant",
            field="days",
            days=granted,
            max=most,
            requested=requested or 0,
            cap=room.cap,
            granted=room.granted,
        )
    return granted


def _refuse_when_used(room: ExtensionRoom, ticket: str, dept: str) -> None:
    if room.left <= 0:
        raise IllegalTransition(
            "transition.extension_cap_used",
            ticket=ticket,
            dept=dept,
            granted=room.granted,
            cap=room.cap,
        )
