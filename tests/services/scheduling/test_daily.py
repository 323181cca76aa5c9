"""The daily jobs: KPI snapshot, knowledge-article expiry hook, calendar coverage, checkpoint,
the deep audit sample."""

from __future__ import annotations

import json
import sys
import types

from sqlalchemy import text
from sqlmodel import select

from db.models import KpiSnapshot
from hotline_tui.services.admin import status
from hotline_tui.services.scheduling import daily as scheduler_daily
from hotline_tui.services.scheduling import jobs as scheduler
from hotline_tui.services.tickets import closing, dispatch, handling, supervision, visits
from tests.services.scheduling_helpers import SH, local
from tests.services.tickets.helpers import new_order


def test_the_kpi_snapshot_counts_a_day_per_department(hl, who, clock):
    first = new_order(hl, who, lead="M01", co=["M02"])
    second = new_order(hl, who, lead="M01", phone="13700137000")
    new_order(hl, who, phone="13600136000")  # queued, not dispatched
    clock.advance(hours=1)
    handling.sign(hl, who["h1"], first)
    handling.sign(hl, who["h2"], first)
    handling.reply(hl, who["h2"], first, text="协办意见")
    clock.advance(days=2)  # Wednesday 10:30: after the sign deadline
    handling.sign(hl, who["h1"], second)
    hl.settings.return_after_window = "review"  # after the return window: a late return
    handling.return_order(hl, who["h1"], second, reason="not_our_duty", basis="非本单位职责")
    dispatch.review_return(hl, who["disp"], second, accept=False, note="属于本单位")
    handling.reply(hl, who["h1"], first, text="已办理")
    closing.review(hl, who["disp"], first, passed=True)
    visits.visit(hl, who["op"], first, visits.parse_visit("reached", "resolved", "satisfied"))
    scheduler_daily.kpi_snapshot(hl, local(2026, 3, 2, 12).astimezone(SH).date(), clock())
    result = scheduler_daily.kpi_snapshot(hl, local(2026, 3, 4, 12).astimezone(SH).date(), clock())
    again = scheduler_daily.kpi_snapshot(hl, local(2026, 3, 4, 12).astimezone(SH).date(), clock())
    assert result["stored"] > 0 and again["stored"] == 0
    with hl.reading() as s:
        rows = {(str(k.day), k.scope): k for k in s.exec(select(KpiSnapshot))}
    monday_all, monday_m01 = rows[("2026-03-02", "all")], rows[("2026-03-02", "M01")]
    assert monday_all.registered == 3 and monday_all.dispatched == 3
    assert monday_m01.dispatched == 2 and monday_m01.signed == 1 and monday_m01.signed_in_time == 1
    assert rows[("2026-03-02", "M02")].replied == 1
    wed = rows[("2026-03-04", "M01")]
    assert wed.signed == 1 and wed.signed_in_time == 0  # signed after its deadline
    assert wed.returns == 1 and wed.returns_rejected == 1
    assert wed.replied == 1 and wed.replied_in_time == 1
    assert wed.visits == 1 and wed.satisfied == 1 and wed.resolved == 1 and wed.closed == 1
    assert wed.handovers >= 2


def test_the_knowledge_base_expiry_check_is_a_no_op_without_one(hl, clock, monkeypatch):
    monkeypatch.setattr(scheduler_daily, "has_knowledge_base", lambda _hl: False)
    assert scheduler_daily.kb_expiry(hl, clock()) == {"skipped": "no_knowledge_base"}


def test_the_knowledge_base_expiry_check_calls_its_hook_as_the_system_user(hl, clock, monkeypatch):
    called = []

    def flag_expired(_hl, actor):
        called.append(actor.username)
        return 3

    hook = types.ModuleType("kb_hook_for_test")
    hook.flag_expired = flag_expired  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kb_hook_for_test", hook)
    monkeypatch.setattr(scheduler_daily, "has_knowledge_base", lambda _hl: True)
    monkeypatch.setattr(scheduler_daily, "KB_HOOK", ("kb_hook_for_test", "flag_expired"))
    assert scheduler_daily.kb_expiry(hl, clock()) == {"flagged": 3}
    assert called == ["system"]
    monkeypatch.setattr(scheduler_daily, "KB_HOOK", ("no_such_module_here", "flag_expired"))
    assert scheduler_daily.kb_expiry(hl, clock()) == {"skipped": "no_expiry_hook"}


def test_calendar_coverage_names_the_missing_years(hl, clock):
    result = scheduler_daily.calendar_coverage(hl, local(2040, 11, 2, 10))
    assert {m["year"] for m in result["missing"]} == {2040, 2041}


def test_the_audit_checkpoint_is_written_outside_the_database(hl, clock):
    result = scheduler_daily.audit_checkpoint(hl, clock())
    lines = hl.settings.checkpoint_path.read_text().splitlines()
    assert json.loads(lines[-1])["seq"] == result["seq"] > 0


def test_the_daily_deep_check_finds_an_edited_order_and_keeps_reporting_it(hl, who, clock):
    first = new_order(hl, who, lead="M01")
    second = new_order(hl, who, lead="M02", phone="13700137000")
    (clean,) = scheduler.run_due(hl, clock(), only=["audit_deep"])
    assert (clean.result["mismatches"], clean.result["changed"]) == (0, 2)
    with hl.engines.write.begin() as conn:
        conn.execute(text("UPDATE ticket SET description = '改' WHERE number = :n"), {"n": second})
    clock.advance(days=1)
    supervision.urge(hl, who["sup"], second, "请尽快")  # changed since: checked in full
    (run,) = scheduler.run_due(hl, clock(), only=["audit_deep"])
    assert run.ok and run.result["mismatches"] == 1 and run.result["changed"] == 1
    assert "audit" in status.status(hl).problems
    clock.advance(days=1)  # nothing changed, nothing drawn: last time's finding is checked again
    again = scheduler_daily.audit_deep(hl, clock(), sample=0)
    assert (again["mismatches"], again["changed"], again["bad"]) == (1, 0, run.result["bad"])
    handling.sign(hl, who["h1"], first)
    with hl.engines.write.begin() as conn:
        conn.execute(
            text("UPDATE ticket SET description = :d WHERE number = :n"),
            {"d": "咨询营业执照办理需要哪些材料", "n": second},
        )
    (run,) = scheduler.run_due(hl, clock(), only=["audit_deep"])
    assert run.result["mismatches"] == 0 and "audit" not in status.status(hl).problems
