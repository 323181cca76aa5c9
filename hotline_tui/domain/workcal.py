"""The working-time calendar: which days are working days, and arithmetic in working time.

Working days follow the State Council's yearly holiday notice (放假安排), with its 调休 make-up
working days on weekends. A year the calendar knows (:class:`YearDays`, built in from the
``chinese-calendar`` package or imported by an administrator) answers from the notice; a year it
does not know answers Monday to Friday, and every due time that counted a day of such a year is
*provisional* (:class:`Due`), to be recomputed when the year is imported.

Arithmetic (DESIGN.md §4): the clock starts at the next working instant; N working days are
N × the working day's length in working seconds; a due time that lands exactly at the end of a
working day (or of a morning span) stays there rather than moving to the next span's start.
Inputs and outputs are aware UTC datetimes; days and hours are those of ``Asia/Shanghai``,
explicitly, whatever the host's zone. Whole working days are jumped, never stepped minute by
minute, and the working-day answer is cached per date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.limits import Limit

# Re-exported: typed times are read in moments, which the command line loads without the calendar.
from hotline_tui.domain.moments import SHANGHAI, parse_local_time

__all__ = [
    "SHANGHAI",
    "Due",
    "WorkCalendar",
    "WorkingHours",
    "YearDays",
    "builtin_year",
    "builtin_years",
    "parse_local_time",
]

_US = 1_000_000  # microseconds per second: the arithmetic is exact in integer microseconds
_DAY_US = 86_400 * _US
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def _error(value: str, reason: str) -> ValidationError:
    return ValidationError(
        "validation.working_hours", field="working_hours", value=value, reason=reason
    )


@dataclass(frozen=True)
class WorkingHours:
    """The working spans of a working day, as seconds after local midnight, in order."""

    spans: tuple[tuple[int, int], ...]

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """``"09:00-12:00,13:30-17:30"``: ordered spans, not overlapping (touching ones merge)."""
        spans: list[tuple[int, int]] = []
        for part in str(text).replace("，", ",").split(","):
            match = _SPAN.match(part.strip())
            if match is None:
                raise _error(text, "format")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if m1 > 59 or m2 > 59 or h1 > 24 or h2 > 24:
                raise _error(text, "format")
            start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
            if start >= end or end > 86_400:
                raise _error(text, "empty_span")
            if spans and start < spans[-1][1]:
                raise _error(text, "overlap")
            if spans and start == spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        return cls(tuple(spans))

    @property
    def day_length(self) -> int:
        """Working seconds in a working day (09:00–17:00: 28 800; the default: 25 200)."""
        return sum(end - start for start, end in self.spans)

    def __str__(self) -> str:
        return ",".join(f"{_hhmm(start)}-{_hhmm(end)}" for start, end in self.spans)


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


@dataclass(frozen=True)
class YearDays:
    """One year of the holiday notice: days off (weekends inside a holiday may be listed too)
    and make-up working days (weekend days worked); ``source`` says where it came from."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str


@dataclass(frozen=True)
class Due:
    """A due time (aware UTC) and whether a day of an unknown year was counted for it."""

    at: datetime
    provisional: bool


@cache
def builtin_year(year: int) -> YearDays | None:
    """The year as the ``chinese-calendar`` package has it, or None when it does not cover it."""
    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return None
    holidays: Mapping[date, object] = chinese_calendar.holidays
    workdays: Mapping[date, object] = chinese_calendar.workdays
    version = getattr(chinese_calendar, "__version__", "")
    return YearDays(
        year,
        frozenset(d for d in holidays if d.year == year),
        frozenset(d for d in workdays if d.year == year),
        f"chinesecalendar {version}".strip(),
    )


@cache
def builtin_years() -> dict[int, YearDays]:
    """Every year the package covers (it covers a contiguous range of years)."""
    holidays: Mapping[date, object] = chinese_calendar.holidays
    years = sorted({d.year for d in holidays})
    found = {year: builtin_year(year) for year in range(years[0], years[-1] + 1)} if years else {}
    return {year: days for year, days in found.items() if days is not None}


@dataclass
class WorkCalendar:
    """Working days and hours, and arithmetic in working time (see the module docstring)."""

    hours: WorkingHours
    years: Mapping[int, YearDays]
    tz: ZoneInfo = SHANGHAI
    _working: dict[date, bool] = field(default_factory=dict, init=False, repr=False)
    _spans: list[tuple[int, int]] = field(default_factory=list, init=False, repr=False)
    _day_us: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.hours.spans:
            raise _error("", "format")
        self._spans = [(start * _US, end * _US) for start, end in self.hours.spans]
        self._day_us = self.hours.day_length * _US

    # ---------------------------------------------------------------------------------- days

    def knows(self, year: int) -> bool:
        """Whether the year's holiday notice is known (else: provisional, Monday to Friday)."""
        return year in self.years

    def is_working_day(self, day: date) -> bool:
        found = self._working.get(day)
        if found is None:
            known = self.years.get(day.year)
            if known is None:
                found = day.weekday() < 5
            else:
                found = day in known.workdays or (day.weekday() < 5 and day not in known.holidays)
            self._working[day] = found
        return found

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def provisional_between(self, start: datetime, end: datetime) -> bool:
        """Whether a due time counted from ``start`` to ``end`` touched an unknown year."""
        first = start.astimezone(self.tz).year
        last = max(first, end.astimezone(self.tz).year)
        return any(not self.knows(year) for year in range(first, last + 1))

    # ------------------------------------------------------------------------------- instants

    def _local(self, at: datetime) -> tuple[date, int]:
        if at.tzinfo is None:
            raise ValueError("naive datetime given to the working-time calendar")
        local = at.astimezone(self.tz)
        offset = (local.hour * 3600 + local.minute * 60 + local.second) * _US + local.microsecond
        return local.date(), offset

    def _instant(self, day: date, offset_us: int) -> datetime:
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return (midnight + timedelta(microseconds=offset_us)).astimezone(UTC)

    def _worked(self, offset_us: int) -> int:
        """Working microseconds of a working day before ``offset_us``."""
        return sum(max(0, min(offset_us, end) - start) for start, end in self._spans)

    def _offset_of(self, worked_us: int) -> int:
        """The earliest time of day by which ``worked_us`` (0 < w ≤ a day) have been worked:
        landing exactly on a span's end stays there."""
        for start, end in self._spans:
            if worked_us <= end - start:
                return start + worked_us
            worked_us -= end - start
        return self._spans[-1][1]

    def next_working_instant(self, at: datetime) -> datetime:
        """``at`` itself if it is inside working time, else the start of the next span."""
        day, offset = self._local(at)
        if self.is_working_day(day):
            for start, end in self._spans:
                if offset < end:
                    return at if offset >= start else self._instant(day, start)
        return self._instant(self.next_working_day(day), self._spans[0][0])

    def end_of_working_day_after(self, at: datetime, days: int) -> Due:
        """The end of the ``days``-th working day after the (local) day of ``at``."""
        day = at.astimezone(self.tz).date()
        for _ in range(max(1, days)):
            day = self.next_working_day(day)
        end = self._instant(day, self._spans[-1][1])
        return Due(end, self.provisional_between(at, end))

    # ----------------------------------------------------------------------------- arithmetic

    def add(self, start: datetime, limit: Limit) -> Due:
        """``start`` plus a limit: working units in working time, natural units as they are."""
        return self.shift(start, limit.seconds(self.hours.day_length), working=limit.working)

    def shift(self, start: datetime, seconds: float, *, working: bool) -> Due:
        """``start`` plus ``seconds`` of working time (``working``) or of natural time."""
        if working:
            return self.add_working_seconds(start, seconds)
        return Due(start + timedelta(seconds=seconds), False)

    def add_working_seconds(self, start: datetime, seconds: float) -> Due:
        """``start`` plus ``seconds`` of working time (nothing to add: ``start`` unchanged)."""
        remaining = round(seconds * _US)
        if remaining <= 0:
            return Due(start, self.provisional_between(start, start))
        day, offset = self._local(start)
        if self.is_working_day(day):
            done = self._worked(offset)
        else:
            day, done = self.next_working_day(day), 0
        if remaining > self._day_us - done:
            remaining -= self._day_us - done
            day = self.next_working_day(day)
            while remaining > self._day_us:  # whole working days at a time
                remaining -= self._day_us
                day = self.next_working_day(day)
            done = 0
        due = self._instant(day, self._offset_of(done + remaining))
        return Due(due, self.provisional_between(start, due))

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Working time between two instants, in seconds (0 when ``end`` is not after it)."""
        if end <= start:
            return 0.0
        first, start_offset = self._local(start)
        last, end_offset = self._local(end)
        if first == last:
            if not self.is_working_day(first):
                return 0.0
            return (self._worked(end_offset) - self._worked(start_offset)) / _US
        total = self._day_us - self._worked(start_offset) if self.is_working_day(first) else 0
        if self.is_working_day(last):
            total += self._worked(end_offset)
        day = first + timedelta(days=1)
        while day < last:
            if self.is_working_day(day):
                total += self._day_us
            day += timedelta(days=1)
        return total / _US
