"""Time limits (限时): units, rules, defaults, and the due times of orders and assignments.

Units (DESIGN.md §4): ``wd`` working days, ``wh`` working hours, ``h`` natural hours, ``d``
natural days. Working units count working time on the calendar (:mod:`hotline_tui.domain.workcal`):
the clock starts at the next working instant, and N wd is N times the working day's length. The
natural units run from the moment itself, day and night, as an emergency (特急 2 h) must.

Defaults (used when no rule in the database matches), from the published local rules of §4:

======================  =====  =====  ======  ========  =========  =====
request / urgency       派单   签收   退单    办结      延期上限   回访
======================  =====  =====  ======  ========  =========  =====
咨询 consult, 求助 help  1wd    1wd    2wd     3wd       10wd       1wd
投诉 complaint, 举报     1wd    1wd    2wd     13wd      10wd       1wd
建议, 表扬, 其他         1wd    1wd    2wd     5wd       10wd       1wd
紧急 urgent (any type)   2h     2h     4h      24h       10wd       1wd
特急 critical (any)      1h     1h     1h      2h        10wd       1wd
======================  =====  =====  ======  ========  =========  =====

紧急 is the "water, power, gas, heat: 24 h" class, 特急 the "risk to life or property: 2 h" class.
The warning (黄灯) comes when ``warn_fraction`` (default 0.2) of the limit is left.

Every due time is a pure function of stored inputs (:class:`ClockInputs`: when the assignment was
dispatched, when its clock started, the limits applied, the working days of extension granted and
the time paused), so :func:`recompute` gives the same answer as the step-by-step functions
(:func:`start_clock`, :func:`extend`, :func:`resume`) and can redo provisional due times when a
year's calendar arrives.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from hotline_tui.domain.errors import ValidationError

if TYPE_CHECKING:
    from hotline_tui.domain.workcal import Due, WorkCalendar

__all__ = [
    "DEFAULT_LIMITS",
    "LIMIT_FIELDS",
    "MAX_AMOUNT",
    "AssignmentDue",
    "ClockInputs",
    "Limit",
    "TimeLimits",
    "Unit",
    "default_limits",
    "dispatch_due",
    "extend",
    "paused_seconds",
    "recompute",
    "resume",
    "sign_due",
    "start_clock",
    "start_completion",
    "visit_due",
    "warned_due",
]

MAX_AMOUNT = 999
_LIMIT = re.compile(r"^(\d{1,6})\s*(wd|wh|h|d)$")


class Unit(StrEnum):
    WD = "wd"  # 工作日
    WH = "wh"  # 工作小时
    H = "h"  # 自然小时
    D = "d"  # 自然日

    @property
    def working(self) -> bool:
        """Counted in working time (else natural time, from the moment itself)."""
        return self in (Unit.WD, Unit.WH)


@dataclass(frozen=True)
class Limit:
    """An amount of a unit, e.g. ``5wd``; ``str()`` gives that spelling back."""

    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str, *, field: str = "limit") -> Limit:
        """``"2wd"``, ``"24h"``, ``"7 d"`` (full-width digits too); a clear error otherwise."""
        value = unicodedata.normalize("NFKC", str(text)).strip().lower()
        match = _LIMIT.match(value)
        if match is None:
            raise ValidationError("validation.limit", field=field, value=text)
        amount = int(match.group(1))
        if not 1 <= amount <= MAX_AMOUNT:
            raise ValidationError("validation.limit_range", field=field, value=text, max=MAX_AMOUNT)
        return cls(amount, Unit(match.group(2)))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"

    @property
    def working(self) -> bool:
        return self.unit.working

    def seconds(self, day_length: int) -> int:
        """In seconds: working seconds for wd/wh (a wd is ``day_length``), else natural ones."""
        per_unit = {Unit.WD: day_length, Unit.WH: 3600, Unit.H: 3600, Unit.D: 86400}
        return self.amount * per_unit[self.unit]


@dataclass(frozen=True)
class TimeLimits:
    """The limits that apply to one order (by request type × category × urgency)."""

    dispatch: Limit  # intake → dispatch (派单)
    sign: Limit  # dispatch → sign (签收)
    return_window: Limit  # dispatch → last moment a return (退单) is allowed
    complete: Limit  # clock start → reply (办结)
    extension_max: Limit  # most working days an extension may add (always wd)
    visit: Limit  # reply → return visit (回访)
    warn_fraction: float = 0.2  # warn (黄灯) when this fraction of the limit is left

    def __post_init__(self) -> None:
        if not 0.0 <= self.warn_fraction < 1.0:
            raise ValidationError(
                "validation.warn_fraction", field="warn_fraction", value=self.warn_fraction
            )
        if self.extension_max.unit is not Unit.WD:
            raise ValidationError(
                "validation.limit_unit_wd", field="extension_max", value=str(self.extension_max)
            )

    def as_strings(self) -> dict[str, str]:
        """The six limits by field name, spelled as in rules and files (``"5wd"``)."""
        return {name: str(getattr(self, name)) for name in LIMIT_FIELDS}


LIMIT_FIELDS = ("dispatch", "sign", "return_window", "complete", "extension_max", "visit")


def _limits(
    dispatch: str, sign: str, ret: str, complete: str, ext: str = "10wd", visit: str = "1wd"
) -> TimeLimits:
    p = Limit.parse
    return TimeLimits(p(dispatch), p(sign), p(ret), p(complete), p(ext), p(visit))


_BY_TYPE = {
    "consult": _limits("1wd", "1wd", "2wd", "3wd"),
    "help": _limits("1wd", "1wd", "2wd", "3wd"),
    "complaint": _limits("1wd", "1wd", "2wd", "13wd"),
    "report": _limits("1wd", "1wd", "2wd", "13wd"),
}
_GENERAL = _limits("1wd", "1wd", "2wd", "5wd")
_BY_URGENCY = {
    "urgent": _limits("2h", "2h", "4h", "24h"),
    "critical": _limits("1h", "1h", "1h", "2h"),
}

DEFAULT_LIMITS: dict[tuple[str, str], TimeLimits] = {
    (request_type, urgency): _BY_URGENCY.get(urgency, _BY_TYPE.get(request_type, _GENERAL))
    for request_type in ("consult", "help", "complaint", "report", "suggestion", "praise", "other")
    for urgency in ("normal", "urgent", "critical")
}
"""The defaults of DESIGN.md §4 by (request type, urgency); see the module's table."""


def default_limits(request_type: str, urgency: str = "normal") -> TimeLimits:
    """The built-in limits for an order (an unknown type counts as general, 5 wd)."""
    return DEFAULT_LIMITS.get(
        (request_type, urgency), _BY_URGENCY.get(urgency, _BY_TYPE.get(request_type, _GENERAL))
    )


# ------------------------------------------------------------------------------------ due times


@dataclass(frozen=True)
class AssignmentDue:
    """One assignment's due times (aware UTC); ``provisional``: a year's calendar is missing;
    ``return_due_at``: the end of its return window (退单时限), when a return limit was given."""

    sign_due_at: datetime | None
    due_at: datetime | None
    warn_at: datetime | None
    provisional: bool
    return_due_at: datetime | None = None


@dataclass(frozen=True)
class ClockInputs:
    """What an assignment stores, from which its due times are recomputed.

    ``clock_started_at`` is None while the completion clock has not started (it starts at
    signing under ``sla_clock_start = "sign"``). ``paused`` is the time the clock stood still
    (working seconds for wd/wh limits, natural seconds for h/d), ``extension_wd`` the working
    days of extension granted. ``return_limit``: the return window, counted from the dispatch
    like the sign limit (neither pauses nor extensions move it).
    """

    dispatched_at: datetime
    sign_limit: Limit
    complete: Limit
    warn_fraction: float
    clock_started_at: datetime | None
    extension_wd: int = 0
    paused: float = 0.0
    return_limit: Limit | None = None


def _deadline(cal: WorkCalendar, start: datetime, limit: Limit, fraction: float) -> tuple[Due, Due]:
    """The due time of ``limit`` from ``start`` and the instant ``fraction`` of it is left."""
    due = cal.add(start, limit)
    total = limit.seconds(cal.hours.day_length)
    used = total - round(total * fraction)
    return due, cal.shift(start, used, working=limit.working)


def recompute(cal: WorkCalendar, inputs: ClockInputs) -> AssignmentDue:
    """Every due time of an assignment from its stored inputs (the canonical computation)."""
    sign = cal.add(inputs.dispatched_at, inputs.sign_limit)
    window = (
        None if inputs.return_limit is None else cal.add(inputs.dispatched_at, inputs.return_limit)
    )
    window_at = None if window is None else window.at
    window_provisional = window is not None and window.provisional
    if inputs.clock_started_at is None:
        provisional = sign.provisional or window_provisional
        return AssignmentDue(sign.at, None, None, provisional, window_at)
    due, warn = _deadline(cal, inputs.clock_started_at, inputs.complete, inputs.warn_fraction)
    working = inputs.complete.working
    if inputs.paused > 0:
        due = _merge(due, cal.shift(due.at, inputs.paused, working=working))
        warn = _merge(warn, cal.shift(warn.at, inputs.paused, working=working))
    if inputs.extension_wd > 0:
        extra = inputs.extension_wd * cal.hours.day_length
        due = _merge(due, cal.add_working_seconds(due.at, extra))
        warn = _merge(warn, cal.add_working_seconds(warn.at, extra))
    provisional = sign.provisional or due.provisional or warn.provisional or window_provisional
    return AssignmentDue(sign.at, due.at, warn.at, provisional, window_at)


def _merge(before: Due, after: Due) -> Due:
    return replace(after, provisional=before.provisional or after.provisional)


def sign_due(cal: WorkCalendar, limits: TimeLimits, dispatched_at: datetime) -> Due:
    """When the department must have signed (签收) an assignment dispatched at ``dispatched_at``."""
    return cal.add(dispatched_at, limits.sign)


def start_clock(
    cal: WorkCalendar, limits: TimeLimits, at: datetime, *, clock_started: bool = True
) -> AssignmentDue:
    """Due times of an assignment dispatched at ``at``: sign due, and unless the completion
    clock waits for the signing (``clock_started=False``), due and warn from ``at`` as well."""
    return recompute(
        cal,
        ClockInputs(
            dispatched_at=at,
            sign_limit=limits.sign,
            complete=limits.complete,
            warn_fraction=limits.warn_fraction,
            clock_started_at=at if clock_started else None,
            return_limit=limits.return_window,
        ),
    )


def start_completion(
    cal: WorkCalendar, limits: TimeLimits, due: AssignmentDue, signed_at: datetime
) -> AssignmentDue:
    """Start the completion clock at signing (``sla_clock_start = "sign"``); the sign due stays."""
    finish, warn = _deadline(cal, signed_at, limits.complete, limits.warn_fraction)
    provisional = finish.provisional or warn.provisional
    if due.sign_due_at is not None:
        provisional = provisional or due.provisional
    return replace(due, due_at=finish.at, warn_at=warn.at, provisional=provisional)


def extend(cal: WorkCalendar, due: AssignmentDue, granted_wd: int) -> AssignmentDue:
    """Move due and warn by exactly ``granted_wd`` working days (an approved extension)."""
    if granted_wd <= 0 or due.due_at is None or due.warn_at is None:
        return due
    extra = granted_wd * cal.hours.day_length
    finish = cal.add_working_seconds(due.due_at, extra)
    warn = cal.add_working_seconds(due.warn_at, extra)
    provisional = due.provisional or finish.provisional or warn.provisional
    return replace(due, due_at=finish.at, warn_at=warn.at, provisional=provisional)


def paused_seconds(
    cal: WorkCalendar, limit: Limit, paused_from: datetime, resumed_at: datetime
) -> float:
    """How long the clock stood still, in the limit's own kind of time (working or natural)."""
    if resumed_at <= paused_from:
        return 0.0
    if limit.working:
        return cal.working_seconds(paused_from, resumed_at)
    return (resumed_at - paused_from).total_seconds()


def resume(
    cal: WorkCalendar,
    due: AssignmentDue,
    paused_from: datetime,
    resumed_at: datetime,
    *,
    limit: Limit,
) -> AssignmentDue:
    """Shift due and warn by the time paused between ``paused_from`` and ``resumed_at``."""
    pause = paused_seconds(cal, limit, paused_from, resumed_at)
    if pause <= 0 or due.due_at is None or due.warn_at is None:
        return due
    finish = cal.shift(due.due_at, pause, working=limit.working)
    warn = cal.shift(due.warn_at, pause, working=limit.working)
    provisional = due.provisional or finish.provisional or warn.provisional
    return replace(due, due_at=finish.at, warn_at=warn.at, provisional=provisional)


def dispatch_due(cal: WorkCalendar, registered_at: datetime, limits: TimeLimits) -> Due:
    """When an order registered at ``registered_at`` must have been dispatched (派单)."""
    return cal.add(registered_at, limits.dispatch)


def warned_due(
    cal: WorkCalendar, start: datetime, limit: Limit, fraction: float
) -> tuple[Due, Due]:
    """A step's due time ``limit`` after ``start`` and the instant ``fraction`` of it is left
    (the hotline's own steps are measured as the departments' are)."""
    return _deadline(cal, start, limit, fraction)


def visit_due(cal: WorkCalendar, replied_at: datetime, limits: TimeLimits) -> Due:
    """When the return visit (回访) is due after a reply at ``replied_at``.

    "On the working day after the reply" (§4): a ``wd`` visit limit of N means the end of the
    N-th working day after the day of the reply (a reply on Friday afternoon, or on a holiday
    Saturday, is visited by the end of the next working day). Other units add as usual.
    """
    if limits.visit.unit is Unit.WD:
        return cal.end_of_working_day_after(replied_at, limits.visit.amount)
    return cal.add(replied_at, limits.visit)
