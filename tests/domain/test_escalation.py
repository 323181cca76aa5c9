"""The ladder's timing rules on the working-time calendar (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hotline_tui.domain.escalation import (
    NOTICE_PREFILTER,
    day_start,
    in_working_time,
    notice_due,
    supervise_due,
    supervise_from,
)
from hotline_tui.domain.workcal import SHANGHAI, WorkCalendar, WorkingHours, builtin_years

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar(WorkingHours.parse("09:00-12:00,13:30-17:30"), builtin_years(), SHANGHAI)


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH).astimezone(UTC)


def test_working_time_is_inside_the_spans_of_a_working_day():
    assert in_working_time(CAL, local(2026, 3, 2, 9, 0))
    assert in_working_time(CAL, local(2026, 3, 2, 11, 59))
    assert not in_working_time(CAL, local(2026, 3, 2, 12, 0))  # lunch
    assert not in_working_time(CAL, local(2026, 3, 2, 2, 0))  # night
    assert not in_working_time(CAL, local(2026, 3, 7, 10, 0))  # Saturday
    assert in_working_time(CAL, local(2025, 9, 28, 10, 0))  # a make-up working Sunday
    assert not in_working_time(CAL, local(2025, 10, 3, 10, 0))  # National Day


def test_supervision_comes_the_working_day_after_the_breach():
    assert supervise_from(CAL, local(2026, 3, 5, 9, 30)) == local(2026, 3, 6, 9, 0)
    assert supervise_from(CAL, local(2026, 3, 6, 17, 30)) == local(2026, 3, 9, 9, 0)  # Monday
    assert supervise_from(CAL, local(2026, 3, 3, 1, 0)) == local(2026, 3, 4, 9, 0)  # night
    assert supervise_from(CAL, local(2025, 9, 30, 17, 0)) == local(2025, 10, 9, 9, 0)
    assert not supervise_due(CAL, local(2026, 3, 5, 9, 30), local(2026, 3, 5, 17, 0))
    assert supervise_due(CAL, local(2026, 3, 5, 9, 30), local(2026, 3, 6, 9, 0))
    assert not supervise_due(CAL, local(2026, 3, 5, 9, 30), local(2026, 3, 7, 10, 0))  # Sat


def test_supervise_due_agrees_with_supervise_from_in_working_time():
    deadlines = [local(2025, 9, 30, 16, 0), local(2026, 3, 5, 9, 30), local(2026, 3, 6, 23, 0)]
    moments = [local(2025, 10, d, h) for d in range(8, 13) for h in (9, 11, 14, 17)]
    moments += [local(2026, 3, d, h) for d in range(5, 11) for h in (9, 11, 14, 17)]
    for deadline in deadlines:
        for now in moments:
            if in_working_time(CAL, now):
                assert supervise_due(CAL, deadline, now) == (supervise_from(CAL, deadline) <= now)


def test_a_public_notice_follows_five_working_days_of_silence():
    # Friday 09:00 + 35 working hours: Thursday 17:30, the end of a working day.
    assert notice_due(CAL, local(2026, 3, 6, 9, 0)) == local(2026, 3, 12, 17, 30)
    # Across National Day 2025: 1–8 October do not count, Saturday 11 October (调休) does.
    assert notice_due(CAL, local(2025, 9, 30, 9, 0)) == local(2025, 10, 13, 17, 30)
    for start in (local(2026, 3, 6, 9, 0), local(2026, 3, 2, 17, 29), local(2025, 9, 30, 9, 0)):
        assert notice_due(CAL, start) - start >= NOTICE_PREFILTER


def test_day_start_is_local_midnight():
    assert day_start(CAL, local(2026, 3, 5, 0, 30)) == local(2026, 3, 5, 0, 0)
    assert day_start(CAL, local(2026, 3, 5, 23, 59)) == local(2026, 3, 5, 0, 0)
