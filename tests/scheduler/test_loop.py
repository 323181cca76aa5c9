"""The APScheduler clockwork: jobs in Asia/Shanghai, in-process background running."""

from __future__ import annotations

import time

import pytest
from apscheduler.triggers.cron import CronTrigger

from hotline_tui.scheduler import loop
from hotline_tui.services.scheduling import jobs as scheduler_service
from hotline_tui.services.scheduling.lease import read_lease
from tests.services.scheduling_helpers import job_rows


def test_the_jobs_run_in_shanghai_time_every_minute(hl):
    process = loop.SchedulerProcess(hl, lease_seconds=30)
    scheduler = process.build(blocking=False)
    assert str(scheduler.timezone) == "Asia/Shanghai"
    tick = scheduler.get_job("tick")
    lease = scheduler.get_job("lease")
    assert isinstance(tick.trigger, CronTrigger) and str(tick.trigger.timezone) == "Asia/Shanghai"
    assert "second='0'" in str(tick.trigger)
    assert lease.trigger.interval.total_seconds() == 10


def test_the_console_can_run_it_in_the_background(hl):
    ticks: list[scheduler_service.TickReport] = []
    process = loop.start_background(hl, lease_seconds=30, on_tick=ticks.append)
    try:
        deadline = time.monotonic() + 30
        while not ticks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ticks and ticks[0].held
        assert job_rows(hl)["scan"].runs >= 1
        lease = read_lease(hl)
        assert lease is not None and lease.live and lease.holder == process.holder
    finally:
        process.stop()
    lease = read_lease(hl)
    assert lease is not None and not lease.live  # released on stop


def test_a_failing_tick_is_logged_and_the_loop_goes_on(hl, monkeypatch, caplog):
    process = loop.SchedulerProcess(hl, lease_seconds=30)

    def broken(*_args, **_kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(scheduler_service, "tick", broken)
    assert process.tick() is None
    assert "scheduler tick failed" in caplog.text


def test_a_stop_ends_a_running_scan_at_its_next_batch(hl):
    process = loop.SchedulerProcess(hl, lease_seconds=30)
    process.keeper.ensure()
    process.keeper.keep()  # renews or passes while running
    process.stopping.set()  # stop() sets it, then waits for the running tick
    with pytest.raises(loop.Stopped):
        process.keeper.keep()
    assert process.tick() is None  # no new tick once stopping
    process.stop()
    lease = read_lease(hl)
    assert lease is not None and not lease.live


def test_the_embedded_setting_runs_it_on_sqlite_only_unless_told(hl):
    from hotline_tui.scheduler.embedded import start_if_free, wanted

    assert wanted("auto", "sqlite") and not wanted("auto", "postgresql")
    assert wanted("on", "postgresql") and not wanted("off", "sqlite")
    assert start_if_free(hl, "off").process is None and read_lease(hl) is None
