"""Dates and times typed by people: refused in words, within the years the hotline computes in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.moments import parse_local_day, parse_local_time


@pytest.mark.parametrize("text", ["notadate", "0000-00-00", "2026-02-30", "2026-13-01", ""])
def test_a_day_that_is_not_a_date_names_the_field(text):
    with pytest.raises(ValidationError) as info:
        parse_local_day(text, field="since")
    assert info.value.code == "validation.date"
    assert info.value.params == {"field": "since", "value": text}


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_a_day_outside_the_range_is_refused_not_overflowed(text):
    with pytest.raises(ValidationError) as info:
        parse_local_day(text, field="until")
    assert info.value.code == "validation.date_range"
    assert info.value.params["field"] == "until"
    assert (info.value.params["min"], info.value.params["max"]) == ("1900-01-01", "2999-12-31")


def test_a_day_is_local_midnight_in_utc():
    assert parse_local_day("2026-03-02") == datetime(2026, 3, 1, 16, tzinfo=UTC)
    assert parse_local_day("２０２６/03/02") == datetime(2026, 3, 1, 16, tzinfo=UTC)
    assert parse_local_day("1900-01-01").year == 1899  # the first day, a little before in UTC
    assert parse_local_day("2999-12-31") == datetime(2999, 12, 30, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31 16:00",
        "0001-01-01 00:00",
        "0001-01-01T00:00+08:00",  # year 0 in UTC
        "9999-12-31T23:00-08:00",  # year 10000 in UTC
        "3000-01-01 00:00",
    ],
)
def test_a_time_outside_the_range_is_refused_not_overflowed(text):
    with pytest.raises(ValidationError) as info:
        parse_local_time(text, field="from")
    assert info.value.code == "validation.date_range"
    assert info.value.params["field"] == "from"


def test_a_time_that_is_not_a_time_names_the_field():
    with pytest.raises(ValidationError) as info:
        parse_local_time("明天下午", field="now")
    assert (info.value.code, info.value.params) == (
        "validation.datetime",
        {"field": "now", "value": "明天下午"},
    )


def test_the_last_accepted_minute():
    assert parse_local_time("2999-12-31 23:59") == datetime(2999, 12, 31, 15, 59, tzinfo=UTC)
