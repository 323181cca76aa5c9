"""`status`: the report an administrator reads first."""

from __future__ import annotations

import sys
import types

from hotline_tui.services.admin import status
from hotline_tui.services.scheduling import jobs as scheduler
from hotline_tui.services.scheduling.jobs import LeaseKeeper
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


def test_status_reports_this_hosts_knowledge_index_when_there_is_one(hl, monkeypatch, tmp_path):
    monkeypatch.setattr(status, "KB_INDEX_STORE", "no_knowledge_base_here")
    assert status.status(hl).kb_index is None
    store = types.ModuleType("kb_store_for_test")
    store.INDEX_DIRECTORY = "kb_index"  # type: ignore[attr-defined]
    store.current_build = lambda root: types.SimpleNamespace(build="b1")  # type: ignore[attr-defined]
    store.read_meta = lambda build: types.SimpleNamespace(  # type: ignore[attr-defined]
        mark_seq=3, documents=150, updated_at="2026-03-02T10:00:00+08:00", built_at=""
    )
    monkeypatch.setitem(sys.modules, "kb_store_for_test", store)
    monkeypatch.setattr(status, "KB_INDEX_STORE", "kb_store_for_test")
    report = status.status(hl)
    assert report.kb_index is not None and report.kb_index["built"]
    assert report.kb_index["behind"] == report.audit_head - 3
    assert report.kb_index["documents"] == 150
