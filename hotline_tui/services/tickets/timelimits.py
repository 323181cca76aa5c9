"""The working-time calendar and the time limits, as the ticket services and the CLI use them.

:func:`calendar_for` gives the calendar (the years built into ``chinese-calendar``, overridden by
the years imported into the database, and the working hours of the settings); :func:`limits_for`
the limits of an order (:mod:`hotline_tui.domain.sla_rules`). Both are called on every dispatch,
so both are cached per :class:`Hotline`: until this process imports a calendar or changes a rule,
and otherwise re-validated against a cheap fingerprint of the tables every
:data:`REFRESH_SECONDS` (another process may have imported).

:func:`calendar_year` and :func:`coverage_alerts` say what is known and what is missing;
:func:`due_preview` answers ``hotline sla due``. Importing a year is
:mod:`hotline_tui.services.reference.calendar_import`; the rules are managed in
:mod:`hotline_tui.services.reference.sla_rules`.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from db.models import CalendarDay, CalendarYear, Category, SlaRule, User
from hotline_tui.domain.errors import ConfigError, ValidationError
from hotline_tui.domain.limits import Limit, TimeLimits
from hotline_tui.domain.permissions import require
from hotline_tui.domain.sla_rules import RuleSpec, resolve_limits
from hotline_tui.domain.workcal import (
    SHANGHAI,
    WorkCalendar,
    WorkingHours,
    YearDays,
    builtin_year,
    builtin_years,
)
from hotline_tui.services.context import Actor, Hotline

__all__ = [
    "REFRESH_SECONDS",
    "CalendarYearView",
    "CoverageAlert",
    "DuePreview",
    "build_calendar",
    "calendar_for",
    "calendar_year",
    "coverage_alerts",
    "due_preview",
    "imported_years",
    "invalidate",
    "limits_for",
    "rule_spec",
    "working_hours",
]

REFRESH_SECONDS = 60.0


@dataclass
class _Cache:
    calendar: WorkCalendar | None = None
    calendar_print: tuple[int, int] | None = None
    calendar_checked: float = 0.0
    rules: list[RuleSpec] | None = None
    rules_print: tuple[int, int] | None = None
    rules_checked: float = 0.0
    parents: dict[int, int | None] = field(default_factory=dict)
    resolved: dict[tuple[str, int | None, str], TimeLimits] = field(default_factory=dict)


_CACHES: weakref.WeakKeyDictionary[Hotline, _Cache] = weakref.WeakKeyDictionary()


def _cache(hl: Hotline) -> _Cache:
    found = _CACHES.get(hl)
    if found is None:
        found = _CACHES[hl] = _Cache()
    return found


def invalidate(hl: Hotline) -> None:
    """Forget the cached calendar and rules (after an import or a rule change)."""
    _CACHES.pop(hl, None)


# ------------------------------------------------------------------------------------ calendar


def working_hours(hl: Hotline) -> WorkingHours:
    try:
        return WorkingHours.parse(hl.settings.working_hours)
    except ValidationError as exc:
        raise ConfigError("config.working_hours", value=hl.settings.working_hours) from exc


def imported_years(session: Session) -> dict[int, YearDays]:
    sources = dict(session.execute(select(col(CalendarYear.year), col(CalendarYear.source))).all())
    holidays: dict[int, set[date]] = {year: set() for year in sources}
    workdays: dict[int, set[date]] = {year: set() for year in sources}
    rows = session.execute(
        select(col(CalendarDay.day), col(CalendarDay.year), col(CalendarDay.kind))
    ).all()
    for day, year, kind in rows:
        (workdays if kind == "workday" else holidays)[year].add(day)
    return {
        year: YearDays(year, frozenset(holidays[year]), frozenset(workdays[year]), source)
        for year, source in sources.items()
    }


def build_calendar(hl: Hotline, session: Session) -> WorkCalendar:
    years = {**builtin_years(), **imported_years(session)}
    return WorkCalendar(working_hours(hl), years, SHANGHAI)


def _calendar_print(session: Session) -> tuple[int, int]:
    count, versions = session.execute(
        select(func.count(), func.coalesce(func.sum(col(CalendarYear.version)), 0))
    ).one()
    return int(count), int(versions)


def calendar_for(hl: Hotline) -> WorkCalendar:
    """The working-time calendar: cheap to call per dispatch (cached, see the module doc)."""
    cache = _cache(hl)
    now = time.monotonic()
    if cache.calendar is None or now - cache.calendar_checked > REFRESH_SECONDS:
        with hl.reading() as session:
            fingerprint = _calendar_print(session)
            if cache.calendar is None or fingerprint != cache.calendar_print:
                cache.calendar = build_calendar(hl, session)
                cache.calendar_print = fingerprint
        cache.calendar_checked = now
    return cache.calendar


# --------------------------------------------------------------------------------------- rules


def rule_spec(rule: SlaRule) -> RuleSpec:
    """A stored rule as the domain ranks it (its limits were checked when it was stored)."""
    limits = {
        name: Limit.parse(value, field=name)
        for name in ("dispatch", "sign", "return_window", "complete", "extension_max", "visit")
        if (value := getattr(rule, name)) is not None
    }
    return RuleSpec(rule.request_type, rule.category_id, rule.urgency, limits, rule.warn_fraction)


def _rules_print(session: Session) -> tuple[int, int]:
    count, versions = session.execute(
        select(func.count(), func.coalesce(func.sum(col(SlaRule.version)), 0))
    ).one()
    return int(count), int(versions)


def _rules(hl: Hotline, session: Session) -> list[RuleSpec]:
    cache = _cache(hl)
    now = time.monotonic()
    if cache.rules is None or now - cache.rules_checked > REFRESH_SECONDS:
        fingerprint = _rules_print(session)
        if cache.rules is None or fingerprint != cache.rules_print:
            stored = session.execute(select(SlaRule)).scalars()
            cache.rules = [rule_spec(rule) for rule in stored]
            cache.rules_print = fingerprint
        # The category tree is re-read as often: a moved category then inherits anew.
        cache.parents = dict(
            session.execute(select(col(Category.id), col(Category.parent_id))).all()
        )
        cache.resolved.clear()
        cache.rules_checked = now
    return cache.rules


def _chain(cache: _Cache, category_id: int | None) -> list[int]:
    chain: list[int] = []
    while category_id is not None and category_id not in chain and len(chain) < 16:
        chain.append(category_id)
        category_id = cache.parents.get(category_id)
    return chain


def limits_for(
    hl: Hotline, session: Session, request_type: str, category_id: int | None, urgency: str
) -> TimeLimits:
    """The limits of an order: the most specific rule per limit, else the built-in defaults."""
    rules = _rules(hl, session)
    cache = _cache(hl)
    key = (request_type, category_id, urgency)
    found = cache.resolved.get(key)
    if found is None:
        chain = _chain(cache, category_id) if any(r.category_id for r in rules) else []
        found = resolve_limits(
            rules, request_type, chain, urgency, warn_fraction=hl.settings.sla_warn_fraction
        )
        cache.resolved[key] = found
    return found


# --------------------------------------------------------------------------------------- views


@dataclass(frozen=True)
class CalendarYearView:
    """What the calendar knows of a year; ``status`` is imported, builtin or missing."""

    year: int
    status: str
    source: str | None
    holidays: list[str]
    workdays: list[str]
    imported_at: datetime | None
    imported_by: str | None
    working_hours: str
    day_hours: float


def calendar_year(hl: Hotline, actor: Actor, year: int) -> CalendarYearView:
    """The year's holidays and make-up working days, and where they come from (or missing)."""
    require(actor.role, "calendar.read", username=actor.username)
    hours = working_hours(hl)
    with hl.reading() as session:
        stored = session.execute(
            select(CalendarYear, col(User.username))
            .join(User, col(User.id) == col(CalendarYear.imported_by))
            .where(col(CalendarYear.year) == year)
        ).one_or_none()
        days = imported_years(session).get(year) if stored is not None else builtin_year(year)
    status = "missing" if days is None else "imported" if stored is not None else "builtin"
    return CalendarYearView(
        year=year,
        status=status,
        source=days.source if days else None,
        holidays=sorted(d.isoformat() for d in days.holidays) if days else [],
        workdays=sorted(d.isoformat() for d in days.workdays) if days else [],
        imported_at=stored[0].imported_at if stored else None,
        imported_by=stored[1] if stored else None,
        working_hours=str(hours),
        day_hours=hours.day_length / 3600,
    )


@dataclass(frozen=True)
class CoverageAlert:
    """A year due times will soon count (or count now) without its holiday notice."""

    year: int
    reason: str  # "current": this year is missing; "next": next year, from the fourth quarter


def coverage_alerts(hl: Hotline, today: date | None = None) -> list[CoverageAlert]:
    """The current year when the calendar lacks it, and from October on next year too."""
    today = today or hl.now().astimezone(SHANGHAI).date()
    cal = calendar_for(hl)
    alerts = []
    if not cal.knows(today.year):
        alerts.append(CoverageAlert(today.year, "current"))
    if today.month >= 10 and not cal.knows(today.year + 1):
        alerts.append(CoverageAlert(today.year + 1, "next"))
    return alerts


@dataclass(frozen=True)
class DuePreview:
    """``start`` + ``limit`` on the calendar (aware UTC times; ``clock_start``: when counting
    began); ``missing_years``: the unknown years that make it provisional."""

    start: datetime
    limit: str
    working_hours: str
    day_hours: float
    clock_start: datetime
    due_at: datetime
    provisional: bool
    missing_years: list[int]


def due_preview(
    hl: Hotline, actor: Actor, start: datetime, limit: str, hours: str | None = None
) -> DuePreview:
    """When a limit counted from ``start`` falls due (``hours`` overrides the working hours)."""
    require(actor.role, "sla.read", username=actor.username)
    parsed = Limit.parse(limit, field="limit")
    cal = calendar_for(hl)
    if hours is not None:
        cal = WorkCalendar(WorkingHours.parse(hours), cal.years, cal.tz)
    due = cal.add(start, parsed)
    clock_start = cal.next_working_instant(start) if parsed.working else start
    first, last = start.astimezone(cal.tz).year, due.at.astimezone(cal.tz).year
    missing = [y for y in range(first, last + 1) if not cal.knows(y)] if parsed.working else []
    return DuePreview(
        start=start,
        limit=str(parsed),
        working_hours=str(cal.hours),
        day_hours=cal.hours.day_length / 3600,
        clock_start=clock_start,
        due_at=due.at,
        provisional=due.provisional,
        missing_years=missing,
    )
