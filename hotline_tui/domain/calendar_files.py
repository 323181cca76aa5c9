"""Reading a year's holiday notice from a file: JSON or iCalendar (.ics). Pure: bytes in.

JSON, one year::

    {"year": 2027, "source": "国办发明电〔2026〕N号",
     "holidays": ["2027-01-01", "2027-10-01..2027-10-07"],
     "workdays": ["2027-09-26"]}

``holidays`` are days off (weekend days inside a holiday may be listed or not), ``workdays`` the
make-up working days (调休上班), which must be Saturdays or Sundays. ``a..b`` is an inclusive
range.

iCalendar: all-day VEVENTs (``DTSTART;VALUE=DATE``, exclusive ``DTEND`` or ``DURATION:PnD``, one
day when neither is given). An event is a make-up working day when an ``X-…`` property says
``WORKDAY`` (Apple's ``X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY``; ``X-HOTLINE-DAY:workday``), when
CATEGORIES names a working day (``workday``, ``工作日``, ``上班``, ``补班``), or else when its
SUMMARY contains 班 (``国庆节 班``, ``补班``); every other event is a holiday. Feeds often span
several years: name the year to take, or the file must hold exactly one.

Errors are :class:`ImportFailed` (``import.failed``) naming the file, the line and the date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any, NoReturn

from hotline_tui.domain.errors import ImportFailed
from hotline_tui.domain.text import clean_text
from hotline_tui.domain.workcal import YearDays

__all__ = ["MAX_FILE_BYTES", "parse_calendar"]

MAX_FILE_BYTES = 5_000_000
MAX_RANGE_DAYS = 60
SOURCE_MAX = 200
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ICS_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DURATION = re.compile(r"^P(\d{1,3})D$")
_WORK_WORDS = ("workday", "工作日", "上班", "补班")


class _Report:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, line: int, reason: str, **params: Any) -> NoReturn:
        raise ImportFailed("import.failed", file=self.file, line=line, reason=reason, **params)


@dataclass(frozen=True)
class _Day:
    day: date
    workday: bool
    line: int
    text: str  # as written, for the error message


def parse_calendar(name: str, data: bytes, *, year: int | None = None) -> YearDays:
    """The year's days from a JSON or iCalendar file (``name`` is shown in errors)."""
    report = _Report(name)
    if len(data) > MAX_FILE_BYTES:
        report.fail(1, "too_big", max=MAX_FILE_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.fail(data[: exc.start].count(b"\n") + 1, "encoding")
    suffix = PurePath(name).suffix.lower()
    head = text.lstrip()[:20].upper()
    if suffix == ".json" or (suffix != ".ics" and head.startswith(("{", "["))):
        return _from_json(report, text, year)
    if suffix == ".ics" or head.startswith("BEGIN:VCALENDAR"):
        return _from_ics(report, text, year, PurePath(name).name)
    return report.fail(1, "calendar_format")


def _build(report: _Report, year: int, days: list[_Day], source: str) -> YearDays:
    """Check the days of one year and make the :class:`YearDays`."""
    if not days:
        report.fail(1, "calendar_empty", year=year)
    kinds: dict[date, _Day] = {}
    for item in days:
        if item.day.year != year:
            report.fail(item.line, "calendar_outside_year", value=item.text, year=year)
        if item.workday and item.day.weekday() < 5:
            report.fail(item.line, "calendar_weekday_workday", value=item.day.isoformat())
        first = kinds.get(item.day)
        if first is not None and first.workday != item.workday:
            report.fail(
                max(item.line, first.line),
                "calendar_both",
                value=item.day.isoformat(),
                first_line=min(item.line, first.line),
            )
        kinds.setdefault(item.day, item)
    return YearDays(
        year,
        frozenset(d for d, item in kinds.items() if not item.workday),
        frozenset(d for d, item in kinds.items() if item.workday),
        # The source is shown in `calendar show` and stored: text, cleaned like every other
        # (a NUL in it would be stored by SQLite and refused by PostgreSQL).
        clean_text(source, multiline=False)[:SOURCE_MAX],
    )


# ----------------------------------------------------------------------------------------- JSON


def _line_of(text: str, token: str) -> int:
    at = text.find(token)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _json_dates(report: _Report, text: str, value: str, workday: bool) -> list[_Day]:
    line = _line_of(text, f'"{value}"')
    parts = [p.strip() for p in value.split("..")]
    if len(parts) > 2 or not all(_DATE.match(p) for p in parts):
        report.fail(line, "calendar_bad_date", value=value)
    try:
        first, last = date.fromisoformat(parts[0]), date.fromisoformat(parts[-1])
    except ValueError:
        report.fail(line, "calendar_bad_date", value=value)
    if last < first or (last - first).days >= MAX_RANGE_DAYS:
        report.fail(line, "calendar_bad_range", value=value, max=MAX_RANGE_DAYS)
    count = (last - first).days + 1
    return [_Day(first + timedelta(days=i), workday, line, value) for i in range(count)]


def _from_json(report: _Report, text: str, year: int | None) -> YearDays:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        report.fail(exc.lineno, "json_syntax", error=exc.msg)
    if not isinstance(doc, dict):
        report.fail(1, "calendar_shape")
    stated = doc.get("year")
    if not isinstance(stated, int) or isinstance(stated, bool) or not 1900 <= stated <= 9999:
        report.fail(_line_of(text, '"year"'), "calendar_year", value=str(stated))
    if year is not None and stated != year:
        report.fail(_line_of(text, '"year"'), "calendar_year_mismatch", value=stated, year=year)
    unknown = sorted(set(doc) - {"year", "holidays", "workdays", "source"})
    if unknown:
        report.fail(_line_of(text, f'"{unknown[0]}"'), "calendar_key", value=unknown[0])
    days: list[_Day] = []
    for key, workday in (("holidays", False), ("workdays", True)):
        values = doc.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            report.fail(_line_of(text, f'"{key}"'), "calendar_shape")
        for value in values:
            days.extend(_json_dates(report, text, value, workday))
    source = doc.get("source", "")
    if not isinstance(source, str):
        report.fail(_line_of(text, '"source"'), "calendar_shape")
    return _build(report, stated, days, source or f"{report.file}")


# ------------------------------------------------------------------------------------ iCalendar


def _unfold(text: str) -> list[tuple[int, str]]:
    """Logical lines (RFC 5545 folding undone), each with the number of its first line."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


def _split(line: str) -> tuple[str, str, str]:
    """``NAME;PARAMS:VALUE`` → (name, params, value); a ':' inside quotes is not the split."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            name, _, params = head.partition(";")
            return name.strip().upper(), params.upper(), value.strip()
    return line.strip().upper(), "", ""


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _ics_date(report: _Report, line: int, params: str, value: str) -> date:
    if "T" in value.upper() or ("VALUE=" in params and "VALUE=DATE" not in params):
        report.fail(line, "ics_not_all_day", value=value)
    match = _ICS_DATE.match(value)
    if match is None:
        report.fail(line, "calendar_bad_date", value=value)
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        report.fail(line, "calendar_bad_date", value=value)


def _event_days(report: _Report, start: int, props: dict[str, tuple[int, str, str]]) -> list[_Day]:
    if "RRULE" in props or "RDATE" in props:
        report.fail(props.get("RRULE", props.get("RDATE", (start, "", "")))[0], "ics_recurring")
    if "DTSTART" not in props:
        report.fail(start, "ics_no_date")
    line, params, value = props["DTSTART"]
    first = _ics_date(report, line, params, value)
    count = 1
    if "DTEND" in props:
        end_line, end_params, end_value = props["DTEND"]
        count = (_ics_date(report, end_line, end_params, end_value) - first).days
        line = end_line
    elif "DURATION" in props:
        line, _, duration = props["DURATION"]
        match = _DURATION.match(duration.upper())
        count = int(match.group(1)) if match else -1
    if not 1 <= count <= MAX_RANGE_DAYS:
        report.fail(line, "calendar_bad_range", value=value, max=MAX_RANGE_DAYS)
    workday = _is_workday(props)
    return [
        _Day(first + timedelta(days=i), workday, start, (first + timedelta(days=i)).isoformat())
        for i in range(count)
    ]


def _is_workday(props: dict[str, tuple[int, str, str]]) -> bool:
    for name, (_, _, value) in props.items():
        upper = value.upper()
        if name.startswith("X-") and ("WORKDAY" in upper or "HOLIDAY" in upper):
            return "WORKDAY" in upper
    categories = _unescape(props.get("CATEGORIES", (0, "", ""))[2]).lower()
    if any(word in categories for word in _WORK_WORDS):
        return True
    return "班" in _unescape(props.get("SUMMARY", (0, "", ""))[2])


def _from_ics(report: _Report, text: str, year: int | None, filename: str) -> YearDays:
    lines = _unfold(text)
    if not lines or _split(lines[0][1])[:3:2] != ("BEGIN", "VCALENDAR"):
        report.fail(lines[0][0] if lines else 1, "ics_syntax", value="BEGIN:VCALENDAR")
    days: list[_Day] = []
    calendar: dict[str, str] = {}
    event: dict[str, tuple[int, str, str]] | None = None
    event_line = 0
    for number, raw in lines:
        name, params, value = _split(raw)
        if name == "BEGIN" and value.upper() == "VEVENT":
            if event is not None:
                report.fail(number, "ics_syntax", value="END:VEVENT")
            event, event_line = {}, number
        elif name == "END" and value.upper() == "VEVENT":
            if event is None:
                report.fail(number, "ics_syntax", value="BEGIN:VEVENT")
            days.extend(_event_days(report, event_line, event))
            event = None
        elif event is not None:
            event.setdefault(name, (number, params, value))
        elif name in ("X-WR-CALNAME", "PRODID"):
            calendar[name] = _unescape(value)
    if event is not None:
        report.fail(event_line, "ics_syntax", value="END:VEVENT")
    years = sorted({item.day.year for item in days})
    if year is None:
        if len(years) > 1:
            report.fail(1, "calendar_many_years", years=", ".join(map(str, years)))
        if not years:
            report.fail(1, "calendar_empty", year="")
        year = years[0]
    else:
        days = [item for item in days if item.day.year == year]
    source = calendar.get("X-WR-CALNAME") or calendar.get("PRODID") or ""
    return _build(report, year, days, f"{filename}（{source}）" if source else filename)
