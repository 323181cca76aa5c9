"""`status`: the report an administrator reads first."""

from __future__ import annotations

from hotline_tui.services import scheduler, status
from hotline_tui.services.scheduler import LeaseKeeper
from tests.services.scheduling_helpers import local


def test_status_reports_the_lease_holder_and_the_last_scan(hl, clock):
    before = status.status(hl)
    assert before.lease is None and "scheduler" in before.problems
    keeper = LeaseKeeper(hl, "host-a:7", 60)
    scheduler.tick(hl, keeper, local(2026, 3, 2, 10))
    report = status.status(hl)
    assert report.lease is not None and report.lease.holder == "host-a:7" and report.lease.live
    assert report.scan is not None and report.scan.ok and report.scan.as_of == local(2026, 3, 2, 10)
    assert report.revision == report.head
    assert report.checkpoint_seq is not None and report.audit_head >= report.checkpoint_seq
    assert report.calendar_years[2026] is True
    assert report.problems == []
