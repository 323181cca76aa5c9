"""Dates and times that people type: read them in the hotline's zone, within the years it can
compute in.

Provides:

- :func:`parse_local_time` - ``"2025-09-30 16:00"`` (or ISO 8601) as an aware UTC datetime;
- :func:`parse_local_day` - ``"2025-09-30"`` as the UTC instant of that local midnight;
- :data:`EARLIEST` and :data:`LATEST` - the first and last local days accepted.

Both raise :class:`~hotline_tui.domain.errors.ValidationError` naming the field: ``validation.date``
or ``validation.datetime`` for text that is not a date or time (``0000-00-00``, ``2026-02-30``),
``validation.date_range`` for one outside the range. The range keeps every computation on a typed
time inside what ``datetime`` can hold: a limit adds up to 999 working days or hours (with a short
working day, centuries), and a local midnight in year 1 is in year 0 in UTC. No order, rule or
notice is dated outside it.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

from hotline_tui.domain.errors import ValidationError

__all__ = ["EARLIEST", "LATEST", "SHANGHAI", "parse_local_day", "parse_local_time"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
EARLIEST = date(1900, 1, 1)
"""The first local day accepted."""
LATEST = date(2999, 12, 31)
"""The last local day accepted."""


def _normalise(text: str) -> str:
    # Full-width digits and 2025/09/30 are what people paste from office documents.
    return unicodedata.normalize("NFKC", str(text)).strip().replace("/", "-")


def _range_error(field: str, text: str) -> ValidationError:
    return ValidationError(
        "validation.date_range",
        field=field,
        value=text,
        min=f"{EARLIEST:%Y-%m-%d}",
        max=f"{LATEST:%Y-%m-%d}",
    )


def _in_range(moment: datetime, tz: tzinfo, field: str, text: str) -> datetime:
    """``moment`` (naive: in ``tz``) as aware UTC, if its local time is within the range."""
    try:
        utc = (moment if moment.tzinfo else moment.replace(tzinfo=tz)).astimezone(UTC)
        local = utc.astimezone(tz).date()
    except OverflowError:  # 0001-01-01 00:00 in Shanghai is in year 0 in UTC
        raise _range_error(field, text) from None
    if not EARLIEST <= local <= LATEST:
        raise _range_error(field, text)
    return utc


def parse_local_time(text: str, *, field: str = "time", tz: tzinfo = SHANGHAI) -> datetime:
    """``"2025-09-30 16:00"`` (or ISO 8601) read in ``tz`` unless it names its own offset;
    the answer is aware UTC."""
    try:
        moment = datetime.fromisoformat(_normalise(text))
    except ValueError:
        raise ValidationError("validation.datetime", field=field, value=text) from None
    return _in_range(moment, tz, field, text)


def parse_local_day(text: str, *, field: str = "date", tz: tzinfo = SHANGHAI) -> datetime:
    """``"2025-09-30"`` as the aware UTC instant of that day's midnight in ``tz``."""
    value = _normalise(text)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError("validation.date", field=field, value=text) from None
    return _in_range(datetime.combine(day, time(), tzinfo=tz), tz, field, text)
