"""Rule 5 of the loop: deadlines for the hotline's own steps; the hotline is measured too.

An order waiting for dispatch (待派单) is due after its rule's dispatch limit, a return waiting
for review (退单审核) and an extension request waiting for a decision (延期审批) after the
settings ``hotline_return_review_limit`` and ``hotline_extension_decision_limit`` (1 working day
each). The queues show those due times, coloured by the same status as the departments' rows (a
department's 待签收 row by its sign due); the scheduler escalates a late step to the supervisors
once; the deadline boards count the hotline as a row. On SQLite and PostgreSQL.

The test clock starts on Monday 2026-03-02 09:30 in Shanghai; working hours are 09:00–12:00 and
13:30–17:30 (7 h a day): 1 wd from 09:30 is Tuesday 09:30, yellow (20 % left) Monday 16:36.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from db.models import AuditEvent, HotlineStepLate
from hotline_tui.domain.errors import ConfigError
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.scheduling import escalation, escalation_hotline
from hotline_tui.services.tickets import board as board_service
from hotline_tui.services.tickets import (
    deadlines,
    dispatch,
    handling,
    intake,
    notices,
    worklists,
)
from hotline_tui.services.tickets.intake import Disposition
from tests.cli.conftest import cli  # noqa: F401  (the command runner fixture)
from tests.cli.test_scheduler_cmd import _later_working_morning
from tests.services.tickets.helpers import load, new_order

SH = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2026 in Shanghai, as aware UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SH).astimezone(UTC)


def _returned_by_co_handler(hl, who, clock) -> str:
    """Dispatched Monday 09:30 to M01 with M02; M02 returns it at 10:00."""
    number = str(new_order(hl, who, lead="M01", co=["M02"], description="小区违建影响通行"))
    clock.current = local(2, 10)
    handling.return_order(hl, who["h2"], number, reason="not_our_duty", basis="非住建职责")
    return number


def test_a_dispatch_queue_item_is_due_by_the_rules_dispatch_limit(hl, who, clock):
    number = new_order(hl, who)  # queued at registration, Monday 09:30
    ticket, _ = load(hl, number)
    assert (ticket.dispatch_due_at, ticket.dispatch_warn_at) == (local(3, 9, 30), local(2, 16, 36))
    (row,) = worklists.work_queue(hl, who["disp"], "to_dispatch")
    assert (row.number, row.deadline, row.deadline_kind, row.due) == (
        number,
        local(3, 9, 30),
        "dispatch",
        "",
    )
    clock.current = local(2, 16, 40)
    assert worklists.work_queue(hl, who["disp"], "to_dispatch")[0].due == "near"
    clock.current = local(3, 9, 31)
    assert worklists.work_queue(hl, who["disp"], "to_dispatch")[0].due == "overdue"
    # Dispatched, the order leaves the queue and its dispatch clock.
    dispatch.dispatch(hl, who["disp"], number, "M01")
    assert load(hl, number)[0].dispatch_due_at is None
    assert worklists.work_queue(hl, who["disp"], "to_dispatch") == []


def test_an_urgent_order_is_due_for_dispatch_within_its_own_limit(hl, who):
    number = intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="help",
            urgency="urgent",
            description="小区停水，家中有老人",
            caller=CallerInput(name="王五", phone="13800138000"),
        ),
        Disposition(kind="queue"),
    ).number
    (row,) = worklists.work_queue(hl, who["disp"], "to_dispatch")
    assert row.number == number and row.deadline == local(2, 11, 30)  # 2 h, natural time


def test_a_return_review_and_an_extension_decision_are_due_within_their_settings(hl, who, clock):
    number = _returned_by_co_handler(hl, who, clock)
    (row,) = worklists.work_queue(hl, who["disp"], "returns")
    assert (row.dept, row.deadline, row.deadline_kind) == ("M02", local(3, 10), "return_review")
    clock.current = local(2, 17, 10)
    assert worklists.work_queue(hl, who["disp"], "returns")[0].due == "near"
    clock.current = local(3, 10)
    assert worklists.work_queue(hl, who["disp"], "returns")[0].due == "overdue"
    dispatch.review_return(hl, who["disp"], number, accept=False, dept="M02")
    assert [a.review_due_at for a in load(hl, number)[1]] == [None, None]  # decided: cleared

    hl.settings.hotline_extension_decision_limit = "4wh"
    handling.sign(hl, who["h1"], number)
    clock.current = local(3, 13, 30)
    handling.request_extension(hl, who["h1"], number, days=2, reason="需现场核查")
    (row,) = worklists.work_queue(hl, who["disp"], "extensions")
    assert (row.dept, row.deadline, row.deadline_kind) == (
        "M01",
        local(3, 17, 30),
        ("extension_decision"),
    )
    dispatch.decide_extension(hl, who["disp"], number, approve=True, days=2)
    assert load(hl, number)[1][0].review_due_at is None


def test_a_broken_decision_limit_setting_is_a_configuration_error(hl, who, clock):
    hl.settings.hotline_return_review_limit = "soon"
    number = new_order(hl, who, lead="M01")
    with pytest.raises(ConfigError) as refused:
        handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="非本局职责")
    assert refused.value.params["setting"] == "hotline_return_review_limit"


def test_a_department_to_sign_row_shows_its_sign_due(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    _, (part,) = load(hl, number)
    (row,) = worklists.work_queue(hl, who["h1"], "to_sign")
    assert (row.deadline, row.deadline_kind) == (part.sign_due_at, "sign")
    assert row.deadline != part.due_at
    handling.sign(hl, who["h1"], number)
    (row,) = worklists.work_queue(hl, who["h1"], "in_progress")
    assert (row.deadline, row.deadline_kind) == (part.due_at, "complete")


def test_late_hotline_steps_are_escalated_to_the_supervisors_once(hl, who, clock):
    queued = new_order(hl, who, phone="13900139000")
    returned = _returned_by_co_handler(hl, who, clock)
    clock.current = local(3, 9)
    assert escalation.scan(hl, local(3, 9), holder="a").taken["dispatch_late"] == 0
    report = escalation.scan(hl, local(3, 10, 30), holder="a")
    assert (report.taken["dispatch_late"], report.taken["return_review_late"]) == (1, 1)
    again = escalation.scan(hl, local(3, 10, 31), holder="b")
    assert (again.taken["dispatch_late"], again.taken["return_review_late"]) == (0, 0)

    seen = notices.notices_since(hl, who["sup"], 0)
    late = {(n.step, n.number, n.dept, n.dept_name) for n in seen if n.step.endswith("_late")}
    assert late == {
        ("dispatch_late", queued, "hotline", ""),
        ("return_review_late", returned, "hotline", "市住建局"),
    }
    assert not [n for n in notices.notices_since(hl, who["h2"], 0) if n.step.endswith("_late")]
    assert not [n for n in notices.notices_since(hl, who["op"], 0) if n.step.endswith("_late")]
    with hl.reading() as s:
        rows = list(s.exec(select(HotlineStepLate).order_by(col(HotlineStepLate.id))))
        events = list(
            s.exec(select(AuditEvent).where(AuditEvent.action == escalation_hotline.ACTION))
        )
    assert len(rows) == len(events) == 2
    assert {r.seq for r in rows} == {e.seq for e in events}  # the notices' numbering
    assert "退单审核时限" in next(e.note for e in events if e.assignment_id)


def test_two_schedulers_escalate_a_late_step_once(hl, who, clock):
    new_order(hl, who)
    now = local(3, 10)
    found = escalation_hotline.find(hl, now)
    assert [x.step for x in found] == ["dispatch_late"]
    # Both read the same candidate; the claim lets one act.
    first = escalation_hotline.take(hl, who["system"], found, now, "a")
    second = escalation_hotline.take(hl, who["system"], found, now, "b")
    assert (first["dispatch_late"], second["dispatch_late"]) == (1, 0)
    assert escalation_hotline.find(hl, now) == []
    assert escalation_hotline.find(hl, now + timedelta(days=30)) == []  # never twice


def test_the_hotline_is_counted_on_the_deadline_boards(hl, who, clock):
    queued = new_order(hl, who, phone="13900139000")
    returned = _returned_by_co_handler(hl, who, clock)
    sup = who["sup"]
    near = deadlines.counts(hl, sup, now=local(2, 17, 10), boards=(deadlines.Board.NEAR_DUE,))
    assert ("hotline", 2) in {(c.dept, c.count) for c in near}
    late_at = local(3, 10, 30)
    counts = deadlines.counts(hl, sup, now=late_at)
    assert ("hotline", deadlines.Board.OVERDUE, 2) in {(c.dept, c.board, c.count) for c in counts}
    rows = deadlines.rows(hl, sup, "overdue", now=late_at, dept="hotline")
    assert [(r.number, r.hotline_step, r.part_dept, r.deadline) for r in rows] == [
        (queued, "dispatch", None, local(3, 9, 30)),
        (returned, "return_review", "M02", local(3, 10)),
    ]
    everyone = deadlines.rows(hl, sup, "overdue", now=late_at)
    assert {r.number for r in everyone if r.dept == "hotline"} == {queued, returned}
    assert all(c.dept != "hotline" for c in deadlines.counts(hl, who["h1"], now=late_at))
    clock.current = late_at
    board = board_service.supervision_board(hl, sup)
    assert ("hotline", 2, 0) in {(r.dept, r.overdue, r.near) for r in board.rows}
    assert {i.number for i in board.hotline_items} == {queued, returned}


def test_the_command_shows_the_hotline_due_times_and_board(cli, hl, who, clock):  # noqa: F811
    # Made on the test clock (March 2026); the command runs on the real clock, long after.
    queued = new_order(hl, who, phone="13900139000")
    returned = _returned_by_co_handler(hl, who, clock)

    (row,) = cli.json("ticket", "queue", "to_dispatch", user="disp")
    assert row["number"] == queued and row["due"] == "overdue"
    assert datetime.fromisoformat(row["deadline"]) == local(3, 9, 30)
    shown = cli("ticket", "queue", "to_dispatch", user="disp").stdout
    assert "派单期限" in shown and "03-03 09:30 超期" in shown
    shown = cli("ticket", "queue", "returns", user="disp").stdout
    assert "退单审核期限" in shown and "03-03 10:00 超期" in shown and returned in shown

    signing = cli("ticket", "queue", "to_sign", user="h1").stdout
    _, (lead, _co) = load(hl, returned)
    assert "签收期限" in signing and f"{lead.sign_due_at.astimezone(SH):%m-%d %H:%M}" in signing
    assert f"{lead.due_at.astimezone(SH):%m-%d %H:%M}" not in signing  # not the completion due

    counts = cli.json("ticket", "deadlines", user="sup")
    assert {"dept": "hotline", "dept_name": "", "board": "overdue", "count": 2} in counts
    assert "热线（派单/审核）" in cli("ticket", "deadlines", user="sup").stdout
    rows = cli.json("ticket", "deadlines", "overdue", "--dept", "hotline", user="sup")
    assert [(r["number"], r["hotline_step"]) for r in rows] == [
        (queued, "dispatch"),
        (returned, "return_review"),
    ]
    table = cli("ticket", "deadlines", "overdue", "--dept", "hotline", user="sup").stdout
    assert "热线(M02)" in table and "退单审核中" in table and "待派单" in table
    assert all(c["dept"] != "hotline" for c in cli.json("ticket", "deadlines", user="h1"))


def test_the_scheduler_command_escalates_and_the_supervisor_is_told(cli, hl, who):  # noqa: F811
    cli("db", "mark-copy", "--note", "演练：热线自身的时限")
    queued = new_order(hl, who, phone="13900139000")
    when = _later_working_morning().strftime("%Y-%m-%d %H:%M")
    report = cli.json("scheduler", "run", "--once", "--now", when, user=None)
    scan = next(run for run in report["runs"] if run["name"] == "scan")
    assert scan["result"]["taken"]["dispatch_late"] == 1
    told = cli.json("scheduler", "notices", user="sup")
    assert [(n["step"], n["number"]) for n in told] == [("dispatch_late", queued)]
    assert "派单超时" in cli("scheduler", "notices", user="sup").stdout
    assert cli.json("scheduler", "notices", user="h1") == []
