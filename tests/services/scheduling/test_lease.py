"""The scheduler's lease: one holder at a time, renewed and expiring on the database's clock."""

from __future__ import annotations

import time

import pytest

from hotline_tui.services.scheduling import jobs as scheduler
from hotline_tui.services.scheduling.jobs import LeaseKeeper
from hotline_tui.services.scheduling.lease import (
    LeaseLost,
    acquire,
    other_scheduler,
    read_lease,
    release,
)
from tests.services.scheduling_helpers import job_rows, local


def test_a_second_scheduler_idles_until_the_lease_is_released(hl):
    first = acquire(hl, "host-a:1", seconds=30)
    assert first.held and first.token == 1 and first.live
    second = acquire(hl, "host-b:2", seconds=30)
    assert not second.held and second.holder == "host-a:1"
    renewed = acquire(hl, "host-a:1", seconds=30)
    assert renewed.held and renewed.token == 1
    assert renewed.expires_at and first.expires_at and renewed.expires_at > first.expires_at
    assert release(hl, "host-a:1")
    assert not release(hl, "host-b:2")  # only the holder releases
    taken = acquire(hl, "host-b:2", seconds=30)
    assert taken.held and taken.token == 2


def test_the_lease_expires_on_the_database_clock(hl, clock):
    acquire(hl, "host-a:1", seconds=1)
    clock.advance(days=365)  # the hotline's clock is not the lease's
    assert not acquire(hl, "host-b:2", seconds=1).held
    time.sleep(1.2)
    taken = acquire(hl, "host-b:2", seconds=1)
    assert taken.held and taken.holder == "host-b:2"
    found = read_lease(hl)
    assert found is not None and found.holder == "host-b:2" and found.live


def test_an_idle_scheduler_runs_nothing(hl, clock):
    holder = LeaseKeeper(hl, "host-a:1", 30)
    idle = LeaseKeeper(hl, "host-b:2", 30)
    assert scheduler.tick(hl, holder, local(2026, 3, 2, 10)).held
    report = scheduler.tick(hl, idle, local(2026, 3, 2, 10, 1))
    assert not report.held and report.runs == []
    assert report.lease is not None and report.lease.holder == "host-a:1"
    assert job_rows(hl)["scan"].runs == 1


def test_a_lost_lease_stops_a_long_run_between_batches(hl, who, clock):
    keeper = LeaseKeeper(hl, "host-a:1", 30)
    keeper.ensure()
    release(hl, "host-a:1")
    acquire(hl, "host-b:2", seconds=30)  # taken over meanwhile
    keeper._renewed = 0.0  # due for renewal at the next batch
    with pytest.raises(LeaseLost):
        keeper.keep()


def test_a_console_may_run_the_scheduler_only_when_no_other_holds_the_lease(hl):
    assert other_scheduler(hl) is None
    acquire(hl, "daemon@host", seconds=30)
    found = other_scheduler(hl, "console@host")
    assert found is not None and found.holder == "daemon@host"
    assert other_scheduler(hl, "daemon@host") is None  # its own lease
    release(hl, "daemon@host")
    assert other_scheduler(hl, "console@host") is None
