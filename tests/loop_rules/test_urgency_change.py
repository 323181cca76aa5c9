"""Issue 14, rule 3: the urgency changes the limit, on SQLite and PostgreSQL.

Editing an order's urgency after dispatch recomputes every open part's sign due, completion due,
warning and return window as if it had been dispatched with the new urgency, keeping the time
its clock stood still and the extension days granted; the change is audited (old and new due
times) and the departments are told (their notices). Lowering it recomputes too; an order whose
raised urgency puts it past its new due time is overdue.

The test clock starts on Monday 2026-03-02 09:30 in Shanghai. A consultation: sign 1 wd, return
window 2 wd, complete 3 wd; urgent: sign 2 h, return window 4 h, complete 24 h, all natural.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from db.models import AuditEvent
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.scheduling import escalation
from hotline_tui.services.tickets import dispatch, editing, handling, intake, notices, worklists
from hotline_tui.services.tickets.intake import Disposition
from tests.cli import conftest as cli_conftest
from tests.services.tickets.helpers import load, new_order

cli = cli_conftest.cli  # the command line runner fixture, shared with tests/cli

SH = ZoneInfo("Asia/Shanghai")
DUES = ("sign_due_at", "due_at", "warn_at", "return_due_at")


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH).astimezone(UTC)


def dues(part) -> tuple[datetime | None, ...]:
    return tuple(getattr(part, name) for name in DUES)


def urgent_order(hl, who, urgency="urgent", phone="13700137000") -> str:
    return intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="consult",
            urgency=urgency,
            description="咨询营业执照办理需要哪些材料",
            caller=CallerInput(name="赵六", phone=phone),
        ),
        Disposition(kind="dispatch", lead_dept="M01"),
    ).number


def limit_events(hl) -> list[AuditEvent]:
    with hl.reading() as s:
        rows = s.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "limit_change")
            .order_by(col(AuditEvent.seq))
        ).all()
        return list(rows)


def test_raising_the_urgency_after_dispatch_recomputes_as_if_dispatched_urgent(hl, who, clock):
    raised = new_order(hl, who, lead="M01", co=["M02"])
    born_urgent = urgent_order(hl, who)  # dispatched at the same moment, urgent from the start
    _, (was, _co) = load(hl, raised)
    assert was.due_at == local(3, 5, 9, 30) and was.time_limit == "3wd"
    clock.advance(hours=1)
    editing.edit(hl, who["disp"], raised, {"urgency": "urgent"})
    _, parts = load(hl, raised)
    _, (reference,) = load(hl, born_urgent)
    for part in parts:
        assert dues(part) == dues(reference)
        assert (part.time_limit, part.sign_limit, part.return_limit) == ("24h", "2h", "4h")
    lead = parts[0]
    assert lead.sign_due_at == local(3, 2, 11, 30)
    assert lead.due_at == local(3, 3, 9, 30)  # 24 h, not 3 working days
    assert lead.warn_at == local(3, 3, 4, 42)  # 80 % of 24 h
    assert lead.return_due_at == local(3, 2, 13, 30)


def test_the_change_is_audited_with_old_and_new_due_times(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    clock.advance(hours=1)
    editing.edit(hl, who["disp"], number, {"urgency": "urgent"})
    (event,) = limit_events(hl)
    assert (event.actor, event.entity, event.from_state) == ("disp", "assignment", "pending_sign")
    data = json.loads(event.data)
    assert data["rule"]["before"]["urgency"] == "normal"
    assert data["rule"]["after"]["urgency"] == "urgent"
    assert data["limits"]["before"]["complete"] == "3wd"
    assert data["limits"]["after"]["complete"] == "24h"
    assert data["due"]["before"]["due_at"] == local(3, 5, 9, 30).isoformat()
    assert data["due"]["after"]["due_at"] == local(3, 3, 9, 30).isoformat()
    assert data["due"]["after"]["return_due_at"] == local(3, 2, 13, 30).isoformat()
    assert "办结期限 2026-03-05 09:30→2026-03-03 09:30" in event.note


def test_the_departments_are_told_in_their_notices(hl, who, clock):
    number = new_order(hl, who, lead="M01", co=["M02"])
    new_order(hl, who, lead="M03", phone="13700137000")  # M03's: not changed
    head = notices.notice_head(hl)
    clock.advance(hours=1)
    editing.edit(hl, who["disp"], number, {"urgency": "urgent"})
    for user, dept in (("h1", "M01"), ("h2", "M02")):
        (told,) = notices.notices_since(hl, who[user], head)
        assert (told.step, told.number, told.dept) == ("limit_change", number, dept)
        assert told.deadline == local(3, 3, 9, 30) and told.urgency == "urgent"
    assert notices.notices_since(hl, who["h3"], head) == []  # M03's own order was not changed
    assert [n.dept for n in notices.notices_since(hl, who["sup"], head)] == ["M01", "M02"]
    assert notices.notices_since(hl, who["op"], head) == []
    # Only after the head: a console that has seen them is not told again.
    latest = notices.notices_since(hl, who["sup"], head)[-1].seq
    assert notices.notices_since(hl, who["sup"], latest) == []


def test_lowering_the_urgency_recomputes_too(hl, who, clock):
    number = urgent_order(hl, who)
    clock.advance(hours=1)
    editing.edit(hl, who["disp"], number, {"urgency": "normal"})
    _, (lead,) = load(hl, number)
    assert lead.time_limit == "3wd" and lead.due_at == local(3, 5, 9, 30)
    assert lead.sign_due_at == local(3, 3, 9, 30) and lead.return_due_at == local(3, 4, 9, 30)
    assert len(limit_events(hl)) == 1


def test_paused_time_and_granted_extensions_are_kept(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    clock.current = local(3, 2, 10)
    handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="非本单位职责")
    clock.current = local(3, 2, 14)  # 4 natural hours, 2.5 working hours under review
    dispatch.review_return(hl, who["disp"], number, accept=False, note="属于本单位职责")
    handling.request_extension(hl, who["h1"], number, days=2, reason="需现场核查")
    dispatch.decide_extension(hl, who["disp"], number, approve=True)
    _, (lead,) = load(hl, number)
    assert lead.paused_seconds == int(2.5 * 3600) and lead.extension_days_granted == 2
    clock.current = local(3, 2, 15)
    editing.edit(hl, who["disp"], number, {"urgency": "urgent"})
    _, (lead,) = load(hl, number)
    # The pause counts in natural time now: the 4 hours it stood still.
    assert lead.paused_seconds == 4 * 3600 and lead.extension_days_granted == 2
    # Monday 09:30 + 24 h + 4 h paused = Tuesday 13:30; + 2 wd (14 working hours) = Thursday 12:00.
    assert lead.due_at == local(3, 5, 12, 0)


def test_a_raised_order_already_past_its_new_due_time_is_overdue(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    clock.current = local(3, 4, 10)  # Wednesday: on time for 3 wd, late for 24 h
    assert worklists.work_queue(hl, who["h1"], "overdue") == []
    editing.edit(hl, who["disp"], number, {"urgency": "urgent"})
    (late,) = worklists.work_queue(hl, who["h1"], "overdue")
    assert late.number == number and late.due == "overdue" and late.due_at == local(3, 3, 9, 30)
    report = escalation.scan(hl, clock.current)
    assert report.taken.get("overdue") == 1


def test_an_order_waiting_for_dispatch_is_due_under_the_new_dispatch_limit(hl, who, clock):
    number = new_order(hl, who)  # queued at Monday 09:30: to be dispatched within 1 wd
    ticket, _ = load(hl, number)
    assert ticket.dispatch_due_at == local(3, 3, 9, 30)
    clock.advance(hours=1)
    editing.edit(hl, who["disp"], number, {"urgency": "urgent"})
    ticket, _ = load(hl, number)
    assert ticket.dispatch_due_at == local(3, 2, 11, 30)  # 2 h from entering the queue
    (event,) = limit_events(hl)
    assert event.entity == "ticket" and "派单期限 2026-03-03 09:30→2026-03-02 11:30" in event.note


def test_an_edit_that_keeps_the_rule_changes_no_due_time(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    _, (before,) = load(hl, number)
    clock.advance(hours=1)
    editing.edit(hl, who["disp"], number, {"title": "营业执照材料", "address": "人民路 1 号"})
    _, (after,) = load(hl, number)
    assert dues(after) == dues(before) and limit_events(hl) == []


# --------------------------------------------------------------------------- the command line


def test_cli_edit_urgency_shows_the_new_limits_and_the_department_is_told(hl, who, clock, cli):
    clock.current = datetime.now(UTC)  # the command line runs on the real clock
    number = new_order(hl, who, lead="M01")
    head = cli.json("scheduler", "notices", user="h1")
    edited = cli("ticket", "edit", number, "--urgency", "urgent", user="disp")
    assert "M01 办结时限 24h" in edited.stdout
    _, (lead,) = load(hl, number)
    assert lead.time_limit == "24h"
    told = cli("scheduler", "notices", user="h1").stdout
    assert "时限变更" in told and number in told
    assert len(cli.json("scheduler", "notices", user="h1")) == len(head) + 1
