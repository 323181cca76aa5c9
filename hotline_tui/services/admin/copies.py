"""Live database or copy: only a copy may be run as of another time.

A drill (``hotline scheduler run --once --now …``) stamps what it does with the time it is given:
the scheduler's job periods, where its scan left off, the escalation steps and their audit
events. On the live database a time in the future would stay there — the daily jobs would think
themselves done until then, the scan would look for deadlines after it — so the scheduler would
urge, supervise and checkpoint nothing more. A copy (a restored backup, marked with
``hotline db mark-copy``) may be run at any time; the live database only within a tolerance of
its own clock, and then only with an explicit flag (``--now-on-live-database``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select

from db.models import DatabaseMark
from hotline_tui.domain.errors import IllegalTransition, ValidationError
from hotline_tui.domain.permissions import require
from hotline_tui.domain.text import clean_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.uow import UnitOfWork

# How far ahead of the database's clock stored state may be: hosts' clocks disagree by seconds,
# a drill by days.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class CopyMark:
    marked_at: datetime
    marked_by: str
    note: str


def copy_mark(hl: Hotline) -> CopyMark | None:
    """The mark, if this database is a copy."""
    with hl.reading() as session:
        row = session.exec(select(DatabaseMark).where(DatabaseMark.id == 1)).one_or_none()
    return None if row is None else CopyMark(row.marked_at, row.marked_by, row.note)


def mark_copy(hl: Hotline, actor: Actor, note: str) -> CopyMark:
    """Mark this database as a copy, for good (a copy never becomes the live hotline again)."""
    require(actor.role, "db.mark_copy", username=actor.username)
    why = clean_text(note, multiline=False, max_length=500)
    if not why:
        raise ValidationError("validation.required", field="note")

    def work(uow: UnitOfWork) -> CopyMark:
        row = uow.session.get(DatabaseMark, 1)
        if row is not None:
            return CopyMark(row.marked_at, row.marked_by, row.note)
        uow.session.add(DatabaseMark(id=1, marked_at=uow.now, marked_by=actor.username, note=why))
        uow.record("db.mark_copy", entity="database", note=why)
        return CopyMark(uow.now, actor.username, why)

    return uow_module.write(hl, actor, work)


def check_drill(hl: Hotline, at: datetime, *, on_live_database: bool = False) -> None:
    """Refuse an explicit run time (``--now``) on the live database without the explicit flag.

    The time itself is checked when the tick knows the database's clock
    (:func:`check_not_future`).
    """
    if not on_live_database and copy_mark(hl) is None:
        raise IllegalTransition("clock.live_database", at=at.isoformat())


def check_not_future(hl: Hotline, at: datetime, db_now: datetime) -> None:
    """No stored state may hold a time beyond the database's clock by more than the tolerance,
    unless the database is a copy."""
    if at > db_now + FUTURE_TOLERANCE and copy_mark(hl) is None:
        raise ValidationError(
            "validation.future_time",
            field="now",
            value=at.isoformat(),
            db_now=db_now.isoformat(),
            minutes=int(FUTURE_TOLERANCE.total_seconds() // 60),
        )
