"""The working-time calendar: the issue's vectors under two host zones, and its properties."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.limits import Limit, Unit
from hotline_tui.domain.workcal import (
    SHANGHAI,
    WorkCalendar,
    WorkingHours,
    YearDays,
    builtin_year,
    builtin_years,
    parse_local_time,
)

EIGHT = WorkingHours.parse("09:00-17:00")
DEFAULT = WorkingHours.parse("09:00-12:00,13:30-17:30")


def local(text: str) -> datetime:
    """A Beijing wall-clock time as an aware UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


def shown(moment: datetime) -> str:
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M %a}"


@pytest.fixture(params=["UTC", "Asia/Shanghai"])
def host_tz(request, monkeypatch):
    """Run the test with the host's zone set to UTC, then to Asia/Shanghai."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    assert time.timezone == {"UTC": 0, "Asia/Shanghai": -8 * 3600}[request.param]
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def cal8():
    return WorkCalendar(EIGHT, builtin_years())


VECTORS = [
    # (start, limit, due): working hours 09:00–17:00, 1 wd = 8 wh
    ("2025-09-30 16:00", "2wd", "2025-10-10 16:00 Fri"),  # Mon–Fri would give 10-02
    ("2025-09-26 16:00", "1wd", "2025-09-28 16:00 Sun"),  # make-up Sunday; Mon–Fri: 09-29
    ("2026-02-13 16:00", "1wd", "2026-02-14 16:00 Sat"),  # make-up Saturday before 春节
    ("2026-02-13 16:00", "2wd", "2026-02-24 16:00 Tue"),  # 02-15..23 off
    ("2025-12-31 16:30", "1wd", "2026-01-04 16:30 Sun"),  # 元旦, then a make-up Sunday
    ("2025-09-30 20:00", "1wh", "2025-10-09 10:00 Thu"),  # 20:00: counting starts 10-09 09:00
    ("2025-09-29 20:00", "8wh", "2025-09-30 17:00 Tue"),  # end of a working day stays on it
    ("2025-09-30 09:00", "1wd", "2025-09-30 17:00 Tue"),  # not 10-09 09:00
    ("2025-10-11 09:00", "1wd", "2025-10-11 17:00 Sat"),  # make-up Saturday counted in full
    ("2025-09-30 20:00", "2h", "2025-09-30 22:00 Tue"),  # natural hours run at night
    ("2025-09-30 20:00", "1d", "2025-10-01 20:00 Wed"),  # natural days run on holidays
]


@pytest.mark.parametrize(("start", "limit", "due"), VECTORS)
def test_issue_vectors_whatever_the_host_zone(host_tz, cal8, start, limit, due):
    result = cal8.add(local(start), Limit.parse(limit))
    assert shown(result.at) == due
    assert result.at.tzinfo is not None and result.at.utcoffset() == timedelta(0)
    assert not result.provisional


def test_the_package_has_2026_with_its_make_up_sunday():
    # The 2025-12-31 vector relies on it: 元旦 2026 is 01-01..03 and Sunday 01-04 is worked.
    assert chinese_calendar.is_workday(date(2026, 1, 4))
    assert not chinese_calendar.is_workday(date(2026, 1, 2))
    assert (
        date(2026, 1, 4)
        in (builtin_year(2026) or YearDays(0, frozenset(), frozenset(), "")).workdays
    )


def test_a_request_at_night_starts_at_nine_the_next_working_day(host_tz, cal8):
    assert shown(cal8.next_working_instant(local("2025-09-30 20:00"))) == "2025-10-09 09:00 Thu"
    assert shown(cal8.next_working_instant(local("2025-09-26 20:00"))) == "2025-09-28 09:00 Sun"
    inside = local("2025-09-30 10:15")
    assert cal8.next_working_instant(inside) == inside
    # The end of the day is not working time any more: the next instant is tomorrow's start.
    assert shown(cal8.next_working_instant(local("2025-09-29 17:00"))) == "2025-09-30 09:00 Tue"


@pytest.mark.parametrize(
    ("start", "limit", "due"),
    [
        ("2025-09-30 09:00", "1wd", "2025-09-30 17:30 Tue"),  # 1 wd = 7 wh
        ("2025-09-30 09:00", "3wh", "2025-09-30 12:00 Tue"),  # the morning's end stays
        ("2025-09-30 12:30", "1wh", "2025-09-30 14:30 Tue"),  # lunch is not counted
        ("2025-09-30 16:00", "1wd", "2025-10-09 16:00 Thu"),  # 1.5 h + 3 h + 2.5 h
        ("2025-09-26 17:30", "1wd", "2025-09-28 17:30 Sun"),
    ],
)
def test_default_working_hours(host_tz, start, limit, due):
    cal = WorkCalendar(DEFAULT, builtin_years())
    assert cal.hours.day_length == 7 * 3600
    assert shown(cal.add(local(start), Limit.parse(limit)).at) == due


def test_a_year_without_a_calendar_is_provisional_monday_to_friday(host_tz, cal8):
    assert builtin_year(2099) is None and not cal8.knows(2099)
    due = cal8.add(local("2099-01-02 16:00"), Limit.parse("1wd"))  # a Friday
    assert shown(due.at) == "2099-01-05 16:00 Mon" and due.provisional
    assert not cal8.add(local("2099-01-02 16:00"), Limit.parse("2h")).provisional
    # Once the year is known, the answer follows its notice and is final.
    year = YearDays(2099, frozenset({date(2099, 1, 5)}), frozenset({date(2099, 1, 3)}), "test")
    known = WorkCalendar(EIGHT, {**builtin_years(), 2099: year})
    final = known.add(local("2099-01-02 16:00"), Limit.parse("1wd"))
    assert shown(final.at) == "2099-01-03 16:00 Sat" and not final.provisional
    assert not known.is_working_day(date(2099, 1, 5))


def test_crossing_into_an_unknown_year_is_provisional(cal8):
    last_known = max(builtin_years())
    due = cal8.add(local(f"{last_known}-12-31 16:00"), Limit.parse("3wd"))
    assert due.at.astimezone(SHANGHAI).year == last_known + 1 and due.provisional


def test_working_hours_parse_and_refuse():
    assert EIGHT.day_length == 8 * 3600 and str(DEFAULT) == "09:00-12:00,13:30-17:30"
    assert WorkingHours.parse("09:00-12:00，12:00-17:00") == EIGHT  # touching spans merge
    for bad in ("9-5", "09:00", "17:00-09:00", "09:00-12:00,11:00-17:00", "25:00-26:00", ""):
        with pytest.raises(ValidationError) as caught:
            WorkingHours.parse(bad)
        assert caught.value.code == "validation.working_hours"


def test_working_seconds(cal8):
    assert cal8.working_seconds(local("2025-09-30 16:00"), local("2025-10-09 10:00")) == 7200
    assert cal8.working_seconds(local("2025-10-01 10:00"), local("2025-10-03 10:00")) == 0
    assert cal8.working_seconds(local("2025-10-09 10:00"), local("2025-09-30 16:00")) == 0


def test_local_times_are_read_in_beijing_whatever_the_host(host_tz):
    assert parse_local_time("2025-09-30 16:00") == datetime(2025, 9, 30, 8, 0, tzinfo=UTC)
    assert parse_local_time("2025-09-30T16:00+00:00") == datetime(2025, 9, 30, 16, tzinfo=UTC)
    with pytest.raises(ValidationError):
        parse_local_time("yesterday")


def test_naive_datetimes_are_refused(cal8):
    with pytest.raises(ValueError, match="naive"):
        cal8.add(datetime(2025, 9, 30, 16), Limit.parse("1wd"))


# -------------------------------------------------------------------------------------- properties

CAL = {
    "eight": WorkCalendar(EIGHT, builtin_years()),
    "default": WorkCalendar(DEFAULT, builtin_years()),
}
starts = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2026, 9, 30),
    timezones=st.just(UTC),
)
working_limits = st.builds(
    Limit, st.integers(min_value=1, max_value=40), st.sampled_from([Unit.WD, Unit.WH])
)
calendars = st.sampled_from(sorted(CAL))


def inside_working_time(cal: WorkCalendar, moment: datetime) -> bool:
    at = moment.astimezone(SHANGHAI)
    offset = at.hour * 3600 + at.minute * 60 + at.second + at.microsecond / 1e6
    spans = cal.hours.spans
    return cal.is_working_day(at.date()) and any(s < offset <= e for s, e in spans)


@given(calendars, starts, working_limits)
def test_working_due_times_fall_inside_working_time(name, start, limit):
    cal = CAL[name]
    due = cal.add(start, limit)
    assert inside_working_time(cal, due.at)
    assert cal.working_seconds(start, due.at) == limit.seconds(cal.hours.day_length)


@given(calendars, starts, working_limits, st.integers(min_value=0, max_value=5 * 24 * 60))
def test_adding_is_monotonic_in_the_amount_and_the_start(name, start, limit, minutes):
    cal = CAL[name]
    more = Limit(limit.amount + 1, limit.unit)
    assert cal.add(start, limit).at < cal.add(start, more).at
    later = start + timedelta(minutes=minutes)
    assert cal.add(start, limit).at <= cal.add(later, limit).at


@given(calendars, starts, working_limits, st.integers(min_value=1, max_value=10))
def test_extension_moves_the_due_time_by_exactly_the_days_granted(name, start, limit, days):
    cal = CAL[name]
    due = cal.add(start, limit).at
    extended = cal.add_working_seconds(due, days * cal.hours.day_length).at
    assert cal.working_seconds(due, extended) == days * cal.hours.day_length
    assert inside_working_time(cal, extended)
