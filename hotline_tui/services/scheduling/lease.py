"""One scheduler at a time: a lease row in the database, renewed on the database's own clock.

:func:`acquire` takes the lease when it is free or expired, or renews it for its holder, and
says who holds it; a second scheduler gets ``held=False`` and idles until the holder stops
renewing (a crash, a kill, a lost network) and the lease expires. Times are read from the
database (``clock_timestamp()`` on PostgreSQL, SQLite's ``'now'``), never from the hosts, so
two hosts whose clocks disagree still agree on when the lease ends. The lease is operational
state, not a change to the hotline's records: it is written without audit events.

The lease only keeps a second scheduler idle; exactly-once does not depend on it (escalation
steps are unique rows, :mod:`hotline_tui.services.scheduling.escalation`).
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from db.models import SchedulerLease
from hotline_tui.domain.states import Role
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.uow import UnitOfWork

__all__ = [
    "DEFAULT_LEASE_SECONDS",
    "LEASE_NAME",
    "Lease",
    "LeaseLost",
    "acquire",
    "db_clock",
    "holder_id",
    "other_scheduler",
    "read_lease",
    "release",
]

LEASE_NAME = "scheduler"
DEFAULT_LEASE_SECONDS = 60.0
# write() wants an actor; lease writes record no audit event, so none is ever attributed to it.
_LEASE_ACTOR = Actor(user_id=0, username="scheduler", display_name="调度程序", role=Role.ADMIN)


class LeaseLost(RuntimeError):
    """The lease went to another scheduler while this one was working."""


@dataclass(frozen=True)
class Lease:
    """The lease as the database sees it at ``db_now``; ``held``: by the asking holder."""

    name: str
    holder: str | None
    token: int
    acquired_at: datetime | None
    renewed_at: datetime | None
    expires_at: datetime | None
    db_now: datetime
    held: bool = False

    @property
    def live(self) -> bool:
        """Someone holds it and it has not expired."""
        return (
            self.holder is not None
            and self.expires_at is not None
            and self.expires_at > self.db_now
        )


def holder_id() -> str:
    """This process's name on the lease: host, process id and a random tag."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def db_clock(db: Session | Connection) -> datetime:
    """The database server's current time (aware UTC)."""
    dialect = db.dialect if isinstance(db, Connection) else db.get_bind().dialect
    if dialect.name == "postgresql":
        value = db.execute(text("SELECT clock_timestamp()")).scalar_one()
        return value.astimezone(UTC)  # type: ignore[no-any-return]
    raw = db.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
    return datetime.fromisoformat(str(raw)).replace(tzinfo=UTC)


def _view(row: SchedulerLease, now: datetime, holder: str | None) -> Lease:
    return Lease(
        name=row.name,
        holder=row.holder,
        token=row.token,
        acquired_at=row.acquired_at,
        renewed_at=row.renewed_at,
        expires_at=row.expires_at,
        db_now=now,
        held=holder is not None and row.holder == holder,
    )


def _ensure_row(session: Session, name: str) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(SchedulerLease).values(name=name, token=0).on_conflict_do_nothing())


def acquire(
    hl: Hotline, holder: str, *, seconds: float = DEFAULT_LEASE_SECONDS, name: str = LEASE_NAME
) -> Lease:
    """Take or renew the lease for ``holder``; the answer says whether it holds it now."""

    def work(uow: UnitOfWork) -> Lease:
        session = uow.session
        now = db_clock(session)
        _ensure_row(session, name)
        row = session.exec(
            select(SchedulerLease).where(SchedulerLease.name == name).with_for_update()
        ).one()
        free = row.holder is None or row.expires_at is None or row.expires_at <= now
        if row.holder == holder or free:
            if row.holder != holder:
                row.holder, row.acquired_at, row.token = holder, now, row.token + 1
            row.renewed_at = now
            row.expires_at = now + timedelta(seconds=seconds)
            session.add(row)
        return _view(row, now, holder)

    return uow_module.write(hl, _LEASE_ACTOR, work)


def release(hl: Hotline, holder: str, *, name: str = LEASE_NAME) -> bool:
    """Give the lease up (a clean shutdown: the next scheduler need not wait for expiry)."""

    def work(uow: UnitOfWork) -> bool:
        now = db_clock(uow.session)
        row = uow.session.exec(
            select(SchedulerLease).where(SchedulerLease.name == name).with_for_update()
        ).one_or_none()
        if row is None or row.holder != holder:
            return False
        row.expires_at = now  # expired at once; the holder's name stays for ``hotline status``
        uow.session.add(row)
        return True

    return uow_module.write(hl, _LEASE_ACTOR, work)


def read_lease(hl: Hotline, *, name: str = LEASE_NAME, holder: str | None = None) -> Lease | None:
    """The lease as it stands (None: no scheduler ever ran on this database)."""
    with hl.reading() as session:
        now = db_clock(session)
        row = session.exec(select(SchedulerLease).where(SchedulerLease.name == name)).one_or_none()
        return None if row is None else _view(row, now, holder)


def other_scheduler(hl: Hotline, holder: str | None = None) -> Lease | None:
    """The live lease of a scheduler other than ``holder``, or None: whether a console may
    run the scheduler in-process (it may when this is None)."""
    lease = read_lease(hl, holder=holder)
    if lease is None or not lease.live or lease.held:
        return None
    return lease
