"""Shared helpers of the scheduler tests: Shanghai local times, the stored job runs and steps."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from db.models import EscalationStep, SchedulerJob
from hotline_tui.services.context import Hotline

SH = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Shanghai wall-clock time as aware UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=SH).astimezone(UTC)


def job_rows(hl: Hotline) -> dict[str, SchedulerJob]:
    with hl.reading() as s:
        return {j.name: j for j in s.exec(select(SchedulerJob))}


def step_rows(hl: Hotline) -> list[EscalationStep]:
    with hl.reading() as s:
        return list(s.exec(select(EscalationStep).order_by(col(EscalationStep.id))))
