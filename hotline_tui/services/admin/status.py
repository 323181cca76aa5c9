"""``hotline status``: what an administrator on SSH checks first, in one read-only report.

- the database (backend, server version, location without password) and its schema revision
  against the newest migration;
- the scheduler: who holds the lease, until when (on the database's clock), and each job's last
  run — the minute scan's time, duration and figures;
- the working-day calendar: the years known around today and the coverage alerts;
- the audit trail: the chain head, the newest checkpoint and its age, and whether the daily
  deep check found orders that disagree with their events;
- this host's knowledge index (each host keeps its own): the change-feed position it reflects
  and how far behind the feed it is, when the installation has a knowledge base.

Nothing here needs a hotline user: it reveals no personal data.
"""

from __future__ import annotations

import importlib
import json
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select, text
from sqlmodel import col

from db import migrate
from db.models import AuditHead, SchedulerJob
from hotline_tui.domain.errors import ConfigError
from hotline_tui.domain.workcal import SHANGHAI
from hotline_tui.services.admin.audit import read_checkpoint
from hotline_tui.services.admin.copies import CopyMark, copy_mark
from hotline_tui.services.context import Hotline
from hotline_tui.services.scheduling.lease import Lease, db_clock, read_lease
from hotline_tui.services.tickets.timelimits import calendar_for, coverage_alerts

__all__ = ["JobStatus", "StatusReport", "status"]

SCAN_STALE = timedelta(minutes=5)
"""Without a live lease, a scan older than this means no scheduler runs (cron-style ``--once``
deployments hold the lease only while they run)."""
KB_INDEX_STORE = "kb_index.store"
"""Where this host's knowledge index lives and what it reflects (the knowledge base's module,
absent from an installation without one; it imports neither Whoosh nor the segmenters)."""


@dataclass(frozen=True)
class JobStatus:
    name: str
    period: str | None
    runs: int
    as_of: datetime | None
    finished_at: datetime | None
    duration_ms: int | None
    holder: str | None
    ok: bool
    result: dict[str, Any]


@dataclass(frozen=True)
class StatusReport:
    backend: str
    server_version: str
    url: str
    revision: str | None
    head: str | None
    db_now: datetime
    lease: Lease | None
    jobs: list[JobStatus]
    calendar_years: dict[int, bool]  # last, this and next year: known?
    calendar_alerts: list[dict[str, Any]]
    audit_head: int
    checkpoint_seq: int | None
    checkpoint_at: datetime | None
    checkpoint_error: str | None = None
    kb_index: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    # Set when the database is marked as a copy (services.admin.copies): why, by whom, when.
    copy: CopyMark | None = None

    @property
    def scan(self) -> JobStatus | None:
        return next((job for job in self.jobs if job.name == "scan"), None)


def _server_version(hl: Hotline) -> str:
    with hl.engines.read.connect() as conn:
        if hl.dialect == "postgresql":
            return str(conn.execute(text("SHOW server_version")).scalar())
        return "SQLite " + str(conn.execute(text("SELECT sqlite_version()")).scalar())


def _checkpoint(hl: Hotline) -> tuple[int | None, datetime | None, str | None]:
    path = hl.settings.checkpoint_path
    try:
        found = read_checkpoint(path)
        if found is None:
            return None, None, None
        last = json.loads([line for line in path.read_text().splitlines() if line.strip()][-1])
        at = datetime.fromisoformat(str(last["at"])) if last.get("at") else None
        return found.seq, at, None
    except (ConfigError, OSError, ValueError, KeyError) as exc:
        return None, None, type(exc).__name__


def _kb_index(hl: Hotline, head: int) -> dict[str, Any] | None:
    """This host's knowledge index: the change-feed position it reflects and how far behind
    it is (None when there is no knowledge base in this installation)."""
    try:
        store = importlib.import_module(KB_INDEX_STORE)
        root = Path(hl.settings.data_dir) / str(store.INDEX_DIRECTORY)
        found: dict[str, Any] = {"host": socket.gethostname(), "directory": str(root)}
        pointer = store.current_build(root)
        meta = store.read_meta(root / pointer.build) if pointer is not None else None
    except ImportError:
        return None
    except Exception as exc:  # an unreadable index is reported, not fatal to the report
        return {"host": socket.gethostname(), "problem": f"{type(exc).__name__}: {exc}"}
    if meta is None:
        return {**found, "built": False}
    return {
        **found,
        "built": True,
        "mark_seq": int(meta.mark_seq),
        "behind": max(0, head - int(meta.mark_seq)),
        "documents": int(meta.documents),
        "updated_at": str(meta.updated_at or meta.built_at),
    }


def status(hl: Hotline) -> StatusReport:
    """Everything in one report (read only; a missing piece is a problem, not an error)."""
    problems: list[str] = []
    tables = set(inspect(hl.engines.read).get_table_names())
    revision, head = (
        migrate.current_revision(hl.engines.read),
        migrate.head_revision(hl.engines.read),
    )
    if revision != head:
        problems.append("schema")
    jobs: list[JobStatus] = []
    lease = None
    with hl.reading() as session:
        db_now = db_clock(session)
        audit_head = 0
        if "audit_head" in tables:
            head_seq = select(col(AuditHead.seq)).where(col(AuditHead.id) == 1)
            audit_head = int(session.execute(head_seq).scalar() or 0)
        if "scheduler_job" in tables:
            for row in session.execute(select(SchedulerJob).order_by(col(SchedulerJob.name))):
                job = row[0]
                jobs.append(
                    JobStatus(
                        job.name,
                        job.period,
                        job.runs,
                        job.as_of,
                        job.finished_at,
                        job.duration_ms,
                        job.holder,
                        job.ok,
                        json.loads(job.result or "{}"),
                    )
                )
    if "scheduler_lease" in tables:
        lease = read_lease(hl)
    scan = next((job for job in jobs if job.name == "scan"), None)
    last_scan = scan.finished_at if scan is not None else None
    if (lease is None or not lease.live) and (last_scan is None or db_now - last_scan > SCAN_STALE):
        problems.append("scheduler")
    if any(not job.ok for job in jobs):
        problems.append("jobs")
    if any(job.ok and job.result.get("mismatches") for job in jobs):
        problems.append("audit")  # the daily deep check found rows that disagree with events
    today = hl.now().astimezone(SHANGHAI).date()
    cal = calendar_for(hl)
    alerts = coverage_alerts(hl, today)
    if alerts:
        problems.append("calendar")
    seq, at, error = _checkpoint(hl)
    if seq is None:
        problems.append("checkpoint")
    url = hl.engines.read.url.render_as_string(hide_password=True)
    return StatusReport(
        backend=hl.dialect,
        server_version=_server_version(hl),
        url=url,
        revision=revision,
        head=head,
        db_now=db_now,
        lease=lease,
        jobs=jobs,
        calendar_years={y: cal.knows(y) for y in (today.year - 1, today.year, today.year + 1)},
        calendar_alerts=[{"year": a.year, "reason": a.reason} for a in alerts],
        audit_head=audit_head,
        checkpoint_seq=seq,
        checkpoint_at=at,
        checkpoint_error=error,
        kb_index=_kb_index(hl, audit_head),
        problems=problems,
        copy=copy_mark(hl),
    )
