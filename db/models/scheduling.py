"""The scheduler's tables: its lease, its jobs' last runs, the escalation steps, KPI snapshots.

- ``scheduler_lease``: one row per lease name. The holder renews it on the *database's* clock,
  so hosts whose clocks disagree still agree on when it expires; ``token`` grows at every change
  of holder (a fencing number for logs and status).
- ``scheduler_job``: per job, the last period done and the last run's figures. Missed runs are
  caught up from here once (a daily job compares its period; the minute scan needs none).
- ``escalation_step``: one row per assignment × step × deadline (see
  :mod:`hotline_tui.domain.escalation`). The unique key *is* the claim: whoever inserts the row
  acts, in the same transaction, so two schedulers cannot act twice and a crash leaves neither
  the row nor the act. ``seq`` is the audit event of the act, so "notices since N" is a query
  on the change feed's own numbering.
- ``hotline_step_late``: one row per hotline step overdue (派单, 退单审核, 延期审批; see
  :mod:`hotline_tui.domain.hotline_steps`) × deadline, the same claim as ``escalation_step``:
  ``part_id`` is the department's part under review, or 0 for the order's own dispatch.
- ``kpi_snapshot``: the counts of DESIGN.md §5 per local day and department (``scope`` is the
  department code, or ``all`` for the whole hotline).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import utc_field
from db.types import one_of
from hotline_tui.domain.escalation import Step
from hotline_tui.domain.hotline_steps import LATE_STEPS
from hotline_tui.domain.states import values

SCOPE_ALL = "all"


class SchedulerLease(SQLModel, table=True):
    """Who runs the scheduler, until when (database clock)."""

    __tablename__ = "scheduler_lease"

    name: str = Field(primary_key=True, max_length=40)
    holder: str | None = Field(default=None, max_length=120)
    token: int = 0
    acquired_at: datetime | None = utc_field(nullable=True)
    renewed_at: datetime | None = utc_field(nullable=True)
    expires_at: datetime | None = utc_field(nullable=True)


class SchedulerJob(SQLModel, table=True):
    """A job's last run: the period it covered, when, by whom, how it went."""

    __tablename__ = "scheduler_job"

    name: str = Field(primary_key=True, max_length=40)
    period: str | None = Field(default=None, max_length=20)
    runs: int = 0
    as_of: datetime | None = utc_field(nullable=True)
    finished_at: datetime | None = utc_field(nullable=True)
    duration_ms: int | None = None
    holder: str | None = Field(default=None, max_length=120)
    ok: bool = True
    result: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))


class EscalationStep(SQLModel, table=True):
    """A flag noted or a rung of the ladder taken, once per assignment, step and deadline."""

    __tablename__ = "escalation_step"
    __table_args__ = (
        one_of("step", values(Step)),
        UniqueConstraint("assignment_id", "step", "deadline"),
        Index("ix_escalation_step_dept_id_seq", "dept_id", "seq"),
        Index("ix_escalation_step_seq", "seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    dept_id: int = Field(foreign_key="department.id")
    step: str = Field(max_length=16)
    # The deadline cycle: the due time the step is about (for 通报, when its 督办 was issued).
    deadline: datetime = utc_field()
    acted_at: datetime = utc_field()
    seq: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    supervision_id: int | None = Field(default=None, foreign_key="supervision.id")
    holder: str = Field(default="", max_length=120)


class HotlineStepLate(SQLModel, table=True):
    """A hotline step overdue, escalated to the supervisors once per step and deadline."""

    __tablename__ = "hotline_step_late"
    __table_args__ = (
        one_of("step", sorted(LATE_STEPS.values())),
        UniqueConstraint("ticket_id", "part_id", "step", "deadline"),
        Index("ix_hotline_step_late_seq", "seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    # The department's part whose return or request waits (0: the order waits for dispatch).
    part_id: int = 0
    dept_id: int | None = Field(default=None, foreign_key="department.id")
    step: str = Field(max_length=20)
    deadline: datetime = utc_field()
    acted_at: datetime = utc_field()
    seq: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    holder: str = Field(default="", max_length=120)


class KpiSnapshot(SQLModel, table=True):
    """One local day's counts for one department (or ``all``), as DESIGN.md §5 needs them."""

    __tablename__ = "kpi_snapshot"
    __table_args__ = (UniqueConstraint("day", "scope"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date
    scope: str = Field(max_length=20)
    taken_at: datetime = utc_field()
    # The audit events counted: seq in (first_seq, last_seq].
    first_seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    last_seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    registered: int = 0  # 受理 (hotline-wide)
    answered: int = 0  # 直接答复 (hotline-wide)
    dispatched: int = 0  # assignments sent to the department
    signed: int = 0
    signed_in_time: int = 0
    replied: int = 0
    replied_in_time: int = 0  # approved extensions count (they move the deadline)
    returns: int = 0
    returns_rejected: int = 0  # 不当退单: returns the review sent back
    visits: int = 0  # valid return visits (the caller was reached and answered)
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    resolved: int = 0
    partly: int = 0
    unresolved: int = 0
    closed: int = 0
    handovers: int = 0  # hand-overs of the orders closed that day (平均流转环节 = ÷ closed)
    urged: int = 0
    supervised: int = 0
    overdue_open: int = 0  # on the overdue board when the snapshot was taken
    sign_overdue_open: int = 0
