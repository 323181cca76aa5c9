"""Reading a year's holiday notice from JSON and iCalendar files, and refusing bad ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hotline_tui.domain.calendar_files import parse_calendar
from hotline_tui.domain.errors import ImportFailed

DATA = Path(__file__).resolve().parents[1] / "data" / "calendars"
HOLIDAYS_2099 = frozenset(
    {
        *(date(2099, 1, d) for d in (1, 2, 3)),
        *(date(2099, 2, d) for d in range(15, 22)),
        *(date(2099, 10, d) for d in range(1, 8)),
    }
)
WORKDAYS_2099 = frozenset(
    {
        date(2099, 1, 4),
        date(2099, 2, 14),
        date(2099, 2, 22),
        date(2099, 9, 27),
        date(2099, 10, 10),
    }
)


def parse(name: str, content: str, year: int | None = None):
    return parse_calendar(name, content.encode(), year=year)


def failure(name: str, content: str | bytes, year: int | None = None) -> dict[str, Any]:
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(ImportFailed) as caught:
        parse_calendar(name, data, year=year)
    assert caught.value.code == "import.failed"
    assert caught.value.params["file"] == name
    return caught.value.params


def test_json_with_ranges():
    days = parse_calendar("2099.json", (DATA / "2099.json").read_bytes())
    assert days.year == 2099
    assert days.holidays == HOLIDAYS_2099
    assert days.workdays == WORKDAYS_2099
    assert days.source == "测试用 2099 年节假日安排（虚构）"


def test_icalendar_gives_the_same_days():
    days = parse_calendar("2099.ics", (DATA / "2099.ics").read_bytes())
    assert (days.year, days.holidays, days.workdays) == (2099, HOLIDAYS_2099, WORKDAYS_2099)
    assert "测试节假日 2099" in days.source


def test_a_feed_of_several_years_needs_the_year_named():
    data = (DATA / "feed-2098-2099.ics").read_bytes()
    params = failure("feed.ics", data)
    assert params["reason"] == "calendar_many_years" and params["years"] == "2098, 2099"
    days = parse_calendar("feed.ics", data, year=2099)
    assert days.holidays == {date(2099, 1, d) for d in (1, 2, 3)}
    assert days.workdays == {date(2099, 1, 4)}
    assert parse_calendar("feed.ics", data, year=2098).holidays == {
        date(2098, 10, d) for d in range(1, 8)
    }


def test_the_format_is_found_by_content_without_a_suffix():
    assert parse("upload", '{"year": 2099, "holidays": ["2099-01-01"]}').year == 2099
    ics = (
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20990101\nSUMMARY:元旦\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    assert parse("upload", ics).holidays == {date(2099, 1, 1)}


@pytest.mark.parametrize(
    ("content", "reason", "line", "value"),
    [
        ('{"year": 2099,\n "holidays": ["2099-01-01",]\n}', "json_syntax", 2, None),
        (
            '{"year": 2099,\n "holidays": [\n  "2098-12-31"\n ]\n}',
            "calendar_outside_year",
            3,
            "2098-12-31",
        ),
        ('{"year": 2099,\n "holidays": ["2099-02-30"]}', "calendar_bad_date", 2, "2099-02-30"),
        ('{"year": 2099,\n "holidays": ["next monday"]}', "calendar_bad_date", 2, "next monday"),
        ('{"year": 2099,\n "holidays": ["2099-10-07..2099-10-01"]}', "calendar_bad_range", 2, None),
        (
            '{"year": 2099,\n "holidays": ["2099-01-01"],\n "workdays": ["2099-01-05"]}',
            "calendar_weekday_workday",
            3,
            "2099-01-05",
        ),
        (
            '{"year": 2099,\n "holidays": ["2099-01-01..2099-01-04"],\n'
            ' "workdays": ["2099-01-04"]}',
            "calendar_both",
            3,
            "2099-01-04",
        ),
        ('{"holidays": ["2099-01-01"]}', "calendar_year", 1, "None"),
        ('{"year": 2099, "holiday": ["2099-01-01"]}', "calendar_key", 1, "holiday"),
        ('{"year": 2099}', "calendar_empty", 1, None),
        ('["2099-01-01"]', "calendar_shape", 1, None),
        ('{"year": 2099, "holidays": "2099-01-01"}', "calendar_shape", 1, None),
    ],
)
def test_bad_json_names_the_line_and_the_date(content, reason, line, value):
    params = failure("bad.json", content)
    assert (params["reason"], params["line"]) == (reason, line)
    if value is not None:
        assert params["value"] == value


def test_the_year_given_must_match_the_file():
    params = failure("2099.json", (DATA / "2099.json").read_text(), year=2098)
    assert params["reason"] == "calendar_year_mismatch"


def ics(*event_lines: str) -> str:
    return "\n".join(
        ["BEGIN:VCALENDAR", "BEGIN:VEVENT", *event_lines, "END:VEVENT", "END:VCALENDAR"]
    )


@pytest.mark.parametrize(
    ("content", "reason", "line"),
    [
        (ics("DTSTART:20991001T090000", "SUMMARY:x"), "ics_not_all_day", 3),
        (ics("DTSTART;VALUE=DATE:20990231"), "calendar_bad_date", 3),
        (ics("SUMMARY:元旦"), "ics_no_date", 2),
        (ics("DTSTART;VALUE=DATE:20990105", "SUMMARY:补班"), "calendar_weekday_workday", 2),
        (ics("DTSTART;VALUE=DATE:20990105", "DTEND;VALUE=DATE:20990105"), "calendar_bad_range", 4),
        (ics("DTSTART;VALUE=DATE:20990101", "RRULE:FREQ=YEARLY"), "ics_recurring", 4),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20990101\nEND:VCALENDAR\n", "ics_syntax", 2),
        ("BEGIN:VCALENDAR\nEND:VCALENDAR\n", "calendar_empty", 1),
    ],
)
def test_bad_icalendar_names_the_line(content, reason, line):
    params = failure("bad.ics", content)
    assert (params["reason"], params["line"]) == (reason, line)


def test_garbage_and_wrong_encoding():
    assert failure("notes.txt", "hello")["reason"] == "calendar_format"
    params = failure("bad.json", b'{"year": 2099,\n "source": "\xff"}')
    assert (params["reason"], params["line"]) == ("encoding", 2)
