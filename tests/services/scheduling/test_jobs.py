"""The scheduler's tick: the jobs due from stored state, daily periods, catching up once after
an outage, failing jobs, ``run_once``. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from hotline_tui.domain.errors import ValidationError
from hotline_tui.services.admin import copies
from hotline_tui.services.scheduling import daily as scheduler_daily
from hotline_tui.services.scheduling import jobs as scheduler
from hotline_tui.services.scheduling.jobs import period_of, run_due
from hotline_tui.services.scheduling.lease import acquire, read_lease
from hotline_tui.services.tickets import handling
from tests.services.scheduling_helpers import job_rows, local, step_rows
from tests.services.tickets.helpers import new_order

DAILY = ["kpi_snapshot", "kb_expiry", "calendar_coverage", "audit_checkpoint", "audit_deep"]


def test_daily_periods_are_local_dates():
    kpi = next(j for j in scheduler.JOBS if j.name == "kpi_snapshot")
    assert period_of(kpi, local(2026, 3, 2, 0, 4)) == "2026-03-01"
    assert period_of(kpi, local(2026, 3, 2, 0, 5)) == "2026-03-02"
    assert period_of(scheduler.JOBS[0], local(2026, 3, 2, 0, 5)) is None


def test_daily_jobs_run_once_per_period_and_catch_up_once(hl, clock):
    runs = run_due(hl, local(2026, 3, 2, 10), holder="t")
    assert [r.name for r in runs] == ["scan", "stats", *DAILY]
    assert all(r.ok for r in runs), runs
    assert [r.name for r in run_due(hl, local(2026, 3, 2, 10, 1))] == ["scan", "stats"]
    assert [r.name for r in run_due(hl, local(2026, 3, 3, 0, 6))] == [
        "scan",
        "stats",
        "kpi_snapshot",
    ]
    # Three days down: each daily job once, for the latest period.
    runs = run_due(hl, local(2026, 3, 6, 9, 0))
    assert [r.name for r in runs] == ["scan", "stats", *DAILY]
    rows = job_rows(hl)
    assert rows["kpi_snapshot"].runs == 3 and rows["kpi_snapshot"].period == "2026-03-06"
    assert rows["audit_checkpoint"].runs == 2
    assert rows["scan"].runs == 4 and rows["scan"].as_of == local(2026, 3, 6, 9, 0)


def test_a_three_hour_outage_is_caught_up_once(hl, who, clock):
    numbers = [new_order(hl, who, lead="M01") for _ in range(3)]
    for number in numbers:
        handling.sign(hl, who["h1"], number)
    # Thursday: due at 09:30. The scheduler scans each minute, then is down 09:31–12:31.
    for minute in range(25, 32):
        run_due(hl, local(2026, 3, 5, 9, minute), only=["scan"])
    before = job_rows(hl)["scan"].runs
    assert sorted({r.step for r in step_rows(hl)}) == ["near_due", "overdue", "urge"]
    hl_steps = len(step_rows(hl))
    # Back at 12:31 (lunch: not working time): one scan, nothing more to flag; at 13:30 the
    # 督办 is still tomorrow's. Friday 09:00: the 督办, once each.
    run_due(hl, local(2026, 3, 5, 12, 31), only=["scan"])
    assert job_rows(hl)["scan"].runs == before + 1
    assert len(step_rows(hl)) == hl_steps
    run_due(hl, local(2026, 3, 6, 9, 0), only=["scan"])
    run_due(hl, local(2026, 3, 6, 9, 0), only=["scan"])
    supervised = [r for r in step_rows(hl) if r.step == "supervise"]
    assert len(supervised) == 3 and {r.acted_at for r in supervised} == {local(2026, 3, 6, 9, 0)}


def test_an_outage_across_the_warning_and_the_deadline_takes_each_step_once(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    run_due(hl, local(2026, 3, 4, 9, 0), only=["scan"])
    assert step_rows(hl) == []
    run_due(hl, local(2026, 3, 5, 14, 0), only=["scan"])  # yellow and red passed meanwhile
    assert [r.step for r in step_rows(hl)] == ["overdue", "urge"]
    assert {r.acted_at for r in step_rows(hl)} == {local(2026, 3, 5, 14, 0)}


def test_a_failing_job_is_recorded_and_tried_again(hl, monkeypatch):
    def broken(_hl, _now):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scheduler_daily, "audit_checkpoint", broken)
    runs = {r.name: r for r in run_due(hl, local(2026, 3, 2, 10))}
    assert (
        not runs["audit_checkpoint"].ok and "disk full" in runs["audit_checkpoint"].result["error"]
    )
    assert runs["kpi_snapshot"].ok
    assert job_rows(hl)["audit_checkpoint"].period is None
    monkeypatch.undo()
    runs = {r.name: r for r in run_due(hl, local(2026, 3, 2, 10, 1))}
    assert set(runs) == {"scan", "stats", "audit_checkpoint"} and runs["audit_checkpoint"].ok


def test_run_once_releases_the_lease_and_reports_the_holder(hl, clock):
    report = scheduler.run_once(hl, local(2026, 3, 2, 10), holder="cron@host")
    assert report.held and [r.name for r in report.runs] == ["scan", "stats", *DAILY]
    lease = read_lease(hl)
    assert lease is not None and lease.holder == "cron@host" and not lease.live
    assert acquire(hl, "other", seconds=5).held  # free at once after a clean exit


def test_the_scan_searches_since_where_it_left_off_and_in_full_hourly(hl, clock):
    def full_flags() -> list[bool]:
        return [json.loads(job_rows(hl)["scan"].result)["full"]]

    run_due(hl, local(2026, 3, 2, 10, 0), only=["scan"])
    assert full_flags() == [True]
    run_due(hl, local(2026, 3, 2, 10, 1), only=["scan"])
    assert full_flags() == [False]
    run_due(hl, local(2026, 3, 2, 11, 0), only=["scan"])
    assert full_flags() == [True]


def test_a_tick_never_stamps_the_live_database_with_a_time_beyond_its_clock(hl, who):
    ahead = datetime.now(UTC) + timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        scheduler.run_once(hl, ahead, holder="t")
    assert err.value.code == "validation.future_time"
    assert job_rows(hl) == {}  # nothing stored
    lease = read_lease(hl)
    assert lease is not None and not lease.live  # and the lease handed back
    copies.mark_copy(hl, who["adm"], "演练")
    assert scheduler.run_once(hl, ahead, holder="t").held


def test_a_daily_period_stored_in_the_future_does_not_stop_the_job(hl):
    """A database already stamped by a run in 9999 heals: the job runs again for today."""
    run_due(hl, local(2026, 3, 2, 10), holder="t")
    with hl.engines.write.begin() as conn:
        conn.exec_driver_sql("UPDATE scheduler_job SET period = '9999-12-30' WHERE name <> 'scan'")
    runs = run_due(hl, local(2026, 3, 3, 10), holder="t")
    assert [r.name for r in runs] == ["scan", "stats", *DAILY]
    assert job_rows(hl)["audit_checkpoint"].period == "2026-03-03"
