"""Importing a year's holiday notice, and recomputing the due times that counted on it.

:func:`import_calendar` stores a year read from a JSON or iCalendar file
(:mod:`hotline_tui.domain.calendar_files`): all-or-nothing, one audit event, idempotent (the same
content again changes nothing and says so). An imported year overrides the built-in
``chinese-calendar`` data for that year. In the same transaction it recomputes, from their
stored inputs (``clock_started_at``, ``time_limit``, ``sign_limit``, ``extension_days_granted``,
``paused_seconds``), the due times of open assignments still marked provisional, and the dispatch
and return-visit due times of waiting orders that fall in or after the year.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import col

from db.models import Assignment, CalendarDay, CalendarYear, Ticket
from hotline_tui.domain.calendar_files import parse_calendar
from hotline_tui.domain.clock import CLOCK_RUNNING_STATES
from hotline_tui.domain.errors import ImportFailed
from hotline_tui.domain.hotline_steps import step_due
from hotline_tui.domain.limits import ClockInputs, Limit, recompute, visit_due
from hotline_tui.domain.permissions import require
from hotline_tui.domain.states import TicketState
from hotline_tui.domain.workcal import SHANGHAI, WorkCalendar, YearDays
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.timelimits import (
    build_calendar,
    imported_years,
    invalidate,
    limits_for,
)
from hotline_tui.services.uow import UnitOfWork

__all__ = ["CalendarImportResult", "import_calendar"]

_DISPATCH_WAIT = (TicketState.REGISTERED.value, TicketState.PENDING_DISPATCH.value)


@dataclass(frozen=True)
class CalendarImportResult:
    year: int
    source: str
    file: str
    sha256: str
    holidays: int
    workdays: int
    status: str  # created | updated | unchanged
    assignments_recomputed: int
    tickets_recomputed: int


def import_calendar(
    hl: Hotline, actor: Actor, path: Path, *, year: int | None = None
) -> CalendarImportResult:
    """Store a year's holiday notice (``year`` picks one year of a multi-year .ics feed)."""
    require(actor.role, "calendar.import", username=actor.username)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(
            "import.unreadable", file=str(path), error=exc.strerror or str(exc)
        ) from exc
    # The file is checked before the transaction: a bad file never takes the write lock.
    days = parse_calendar(str(path), data, year=year)
    sha256 = hashlib.sha256(data).hexdigest()

    def work(uow: UnitOfWork) -> CalendarImportResult:
        session = uow.session
        stored = session.get(CalendarYear, days.year, with_for_update=True)
        before = imported_years(session).get(days.year) if stored is not None else None
        same = before is not None and (before.holidays, before.workdays, before.source) == (
            days.holidays,
            days.workdays,
            days.source,
        )
        status = "unchanged" if same else "updated" if stored is not None else "created"
        counts = (0, 0)
        if not same:
            _store_year(uow, stored, days, sha256)
            session.flush()
            counts = _recompute(uow, build_calendar(hl, session), days.year)
        uow.record(
            "calendar.import",
            entity="calendar",
            entity_id=days.year,
            data={
                "year": days.year,
                "file": str(path),
                "sha256": sha256,
                "source": days.source,
                "holidays": len(days.holidays),
                "workdays": len(days.workdays),
                "status": status,
                "assignments_recomputed": counts[0],
                "tickets_recomputed": counts[1],
            },
        )
        return CalendarImportResult(
            days.year,
            days.source,
            str(path),
            sha256,
            len(days.holidays),
            len(days.workdays),
            status,
            *counts,
        )

    result = uow_module.write(hl, actor, work)
    invalidate(hl)
    return result


def _store_year(uow: UnitOfWork, stored: CalendarYear | None, days: YearDays, sha: str) -> None:
    session = uow.session
    session.execute(delete(CalendarDay).where(col(CalendarDay.year) == days.year))
    if stored is None:
        session.add(
            CalendarYear(
                year=days.year,
                source=days.source,
                sha256=sha,
                imported_at=uow.now,
                imported_by=uow.actor.user_id,
            )
        )
    else:
        stored.source, stored.sha256 = days.source, sha
        stored.imported_at, stored.imported_by = uow.now, uow.actor.user_id
        stored.version += 1
    session.flush()
    session.add_all(
        [CalendarDay(day=d, year=days.year, kind="holiday") for d in sorted(days.holidays)]
        + [CalendarDay(day=d, year=days.year, kind="workday") for d in sorted(days.workdays)]
    )


def _recompute(uow: UnitOfWork, cal: WorkCalendar, year: int) -> tuple[int, int]:
    """Redo provisional assignment due times, then the orders' dispatch and visit due times."""
    session, hl = uow.session, uow.hl
    rows = session.execute(
        select(Assignment, col(Ticket.request_type), col(Ticket.category_id), col(Ticket.urgency))
        .join(Ticket, col(Ticket.id) == col(Assignment.ticket_id))
        .where(col(Assignment.provisional), col(Assignment.state).in_(CLOCK_RUNNING_STATES))
    ).all()
    by_sign = hl.settings.sla_clock_start == "sign"
    changes: list[dict[str, Any]] = []
    for a, request_type, category_id, urgency in rows:
        limits = limits_for(hl, session, request_type, category_id, urgency)
        started = a.clock_started_at
        if started is None and a.time_limit is None:  # due times set before the inputs were
            started = a.signed_at if by_sign else a.created_at
        due = recompute(
            cal,
            ClockInputs(
                dispatched_at=a.created_at,
                sign_limit=Limit.parse(a.sign_limit) if a.sign_limit else limits.sign,
                complete=Limit.parse(a.time_limit) if a.time_limit else limits.complete,
                warn_fraction=limits.warn_fraction,
                clock_started_at=started,
                extension_wd=a.extension_days_granted,
                paused=float(a.paused_seconds),
                return_limit=Limit.parse(a.return_limit)
                if a.return_limit
                else limits.return_window,
            ),
        )
        changes.append(
            {
                "id": a.id,
                "sign_due_at": due.sign_due_at,
                "due_at": due.due_at,
                "warn_at": due.warn_at,
                "provisional": due.provisional,
                "return_due_at": due.return_due_at,
            }
        )
    if changes:
        session.execute(update(Assignment), changes)  # one executemany by primary key
    return len(changes), _recompute_tickets(uow, cal, year)


def _recompute_tickets(uow: UnitOfWork, cal: WorkCalendar, year: int) -> int:
    session, hl = uow.session, uow.hl
    since = datetime(year, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)
    waiting = session.execute(
        select(Ticket).where(
            col(Ticket.state).in_(_DISPATCH_WAIT), col(Ticket.dispatch_due_at) >= since
        )
    ).scalars()
    dispatches: list[dict[str, Any]] = []
    for ticket in waiting:
        limits = limits_for(hl, session, ticket.request_type, ticket.category_id, ticket.urgency)
        due = step_due(cal, ticket.created_at, limits.dispatch, limits.warn_fraction)
        dispatches.append(
            {"id": ticket.id, "dispatch_due_at": due.due_at, "dispatch_warn_at": due.warn_at}
        )
    visiting = session.execute(
        select(Ticket, col(Assignment.replied_at))
        .join(Assignment, col(Assignment.id) == col(Ticket.lead_assignment_id))
        .where(
            col(Ticket.state) == TicketState.PENDING_VISIT.value,
            col(Ticket.visit_due_at) >= since,
            col(Assignment.replied_at).is_not(None),
        )
    ).all()
    visits: list[dict[str, Any]] = []
    for ticket, replied_at in visiting:
        limits = limits_for(hl, session, ticket.request_type, ticket.category_id, ticket.urgency)
        visits.append({"id": ticket.id, "visit_due_at": visit_due(cal, replied_at, limits).at})
    for batch in (dispatches, visits):
        if batch:
            session.execute(update(Ticket), batch)
    return len(dispatches) + len(visits)
