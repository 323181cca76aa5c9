"""The escalation ladder and the deadline flags as rules: which step, and from when.

Pure functions over the working-time calendar (DESIGN.md §4); the scheduler's scans
(:mod:`hotline_tui.services.scheduling.escalation`) ask them and nothing else decides.

Flags, noted the moment they become true, day or night (they are a board's colour, and the
console's notice of it):

- ``near_due`` 黄灯: the warning time has passed, the deadline has not;
- ``overdue`` 红灯: the deadline has passed;
- ``sign_overdue`` 签收超时: still not signed after the sign deadline;
- ``visit_due`` 回访到期: the return visit is due.

The ladder, acted on in working time only (a notice at 02:00 waits for the next working instant,
a holiday week for the first working day after it):

- ``urge`` 催办 from the warning threshold on;
- ``supervise`` 督办 from the working day after the breach (the first working day whose date is
  after the deadline's);
- ``notice`` 通报 when a 督办 is still unanswered five working days after it was issued.

Each step happens once per assignment, step and *deadline cycle*: the cycle is the deadline
itself (the completion deadline for the ladder and the colours, the sign or visit deadline for
those flags; for 通报, the 督办 it follows). An extension, a redo or a re-dispatch makes a new
deadline, which can be urged again; the old one never twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from hotline_tui.domain.limits import Limit
from hotline_tui.domain.workcal import WorkCalendar

__all__ = [
    "FLAG_STEPS",
    "LADDER_STEPS",
    "NOTICE_AFTER",
    "NOTICE_PREFILTER",
    "Step",
    "day_start",
    "in_working_time",
    "notice_due",
    "supervise_from",
]


class Step(StrEnum):
    """A flag or a rung of the ladder, as stored in ``escalation_step.step``."""

    NEAR_DUE = "near_due"  # 黄灯
    OVERDUE = "overdue"  # 红灯
    SIGN_OVERDUE = "sign_overdue"  # 签收超时
    VISIT_DUE = "visit_due"  # 回访到期
    URGE = "urge"  # 催办
    SUPERVISE = "supervise"  # 督办
    NOTICE = "notice"  # 通报


FLAG_STEPS = (Step.NEAR_DUE, Step.OVERDUE, Step.SIGN_OVERDUE, Step.VISIT_DUE)
LADDER_STEPS = (Step.URGE, Step.SUPERVISE, Step.NOTICE)

NOTICE_AFTER = Limit.parse("5wd")
"""How long a 督办 may stay unanswered before the 通报."""

NOTICE_PREFILTER = timedelta(days=4)
"""Five working days never take less than four natural days (the fifth working day's span
ends at least four dates after the first's), so older 督办 are the only candidates."""


def in_working_time(cal: WorkCalendar, now: datetime) -> bool:
    """Whether ``now`` is inside a working span of a working day (notices go out only then)."""
    return cal.next_working_instant(now) == now


def day_start(cal: WorkCalendar, now: datetime) -> datetime:
    """Local midnight (Asia/Shanghai) of ``now``'s date, as aware UTC."""
    local = now.astimezone(cal.tz).date()
    return datetime.combine(local, time(0), tzinfo=cal.tz).astimezone(UTC)


def supervise_from(cal: WorkCalendar, deadline: datetime) -> datetime:
    """The first working instant of the first working day after the deadline's date."""
    day: date = cal.next_working_day(deadline.astimezone(cal.tz).date())
    midnight = datetime.combine(day, time(0), tzinfo=cal.tz).astimezone(UTC)
    return cal.next_working_instant(midnight)


def supervise_due(cal: WorkCalendar, deadline: datetime, now: datetime) -> bool:
    """督办 is due at ``now`` (a working instant): the deadline's date is before today's.

    Today being a working day, a deadline on an earlier date means today is on or after the
    first working day after it — the same as ``supervise_from(cal, deadline) <= now``, but a
    bound a query can use (``due_at < day_start(now)``).
    """
    return deadline < day_start(cal, now) and in_working_time(cal, now)


def notice_due(cal: WorkCalendar, supervised_at: datetime) -> datetime:
    """When an unanswered 督办 issued at ``supervised_at`` turns into a 通报."""
    return cal.add(supervised_at, NOTICE_AFTER).at
