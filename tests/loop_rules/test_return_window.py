"""Issue 14, rule 1: the return window (退单时限), on SQLite and PostgreSQL.

A department may return its part only within the window of the order's rule (default 2 working
days after that part's dispatch). After it a return is refused, naming the window's end in local
time and what to do instead (``return_after_window = "refuse"``, the default), or it goes to the
hotline's review marked 超时退单, which the reviewer must approve explicitly (``"review"``).

The test clock starts on Monday 2026-03-02 09:30 in Shanghai; a consultation's window ends on
Wednesday 2026-03-04 09:30 (2 wd of 7 working hours), an urgent order's 4 hours after dispatch.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from db.models import AuditEvent
from hotline_tui.domain.errors import IllegalTransition, ValidationError
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.labels.errors import describe
from hotline_tui.services.reference import sla_rules
from hotline_tui.services.tickets import dispatch, handling, intake, queries, worklists
from hotline_tui.services.tickets.intake import Disposition
from tests.cli import conftest as cli_conftest
from tests.services.tickets.helpers import load, new_order

cli = cli_conftest.cli  # the command line runner fixture, shared with tests/cli

SH = ZoneInfo("Asia/Shanghai")
WINDOW_END = datetime(2026, 3, 4, 9, 30, tzinfo=SH).astimezone(UTC)


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH).astimezone(UTC)


def give_back(hl, who, number, user="h1"):
    return handling.return_order(hl, who[user], number, reason="not_our_duty", basis="非本单位职责")


def test_dispatch_stores_each_parts_return_window_end(hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    _, parts = load(hl, number)
    assert [(a.return_limit, a.return_due_at) for a in parts] == [("2wd", WINDOW_END)] * 2
    shown = queries.show(hl, who["h1"], number).assignments[0]
    assert shown.return_due_at == WINDOW_END and shown.return_late is False


def test_a_return_within_the_window_goes_to_review(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    clock.current = local(3, 4, 9, 29)  # a minute before the window ends
    give_back(hl, who, number)
    _, (lead,) = load(hl, number)
    assert lead.state == "return_review" and lead.return_late is False


def test_return_after_the_window_is_refused_with_its_end(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    clock.current = local(3, 4, 9, 31)
    with pytest.raises(IllegalTransition) as refused:
        give_back(hl, who, number)
    error = refused.value
    assert error.code == "transition.return_window"
    assert error.params["window_end"] == "2026-03-04 09:30" and error.params["limit"] == "2wd"
    words = describe(error)
    assert "2026-03-04 09:30" in words and "M01" in words
    assert "联系热线" in words and "申请延期" in words  # what to do instead
    _, (lead,) = load(hl, number)
    assert lead.state == "in_progress" and lead.return_count == 0


def test_a_return_seven_working_days_after_dispatch_on_an_overdue_order_is_refused(hl, who, clock):
    """The issue's case: accepted on today's main."""
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    clock.current = local(3, 11, 10)  # Wednesday of the next week: 7 wd, overdue since Thursday
    with pytest.raises(IllegalTransition) as refused:
        give_back(hl, who, number)
    assert refused.value.code == "transition.return_window"


def test_the_window_is_the_rules_own(hl, who, clock):
    sla_rules.set_rule(hl, who["adm"], "consult", limits={"return_window": "4wd"})
    number = new_order(hl, who, lead="M01")
    _, (lead,) = load(hl, number)
    assert lead.return_limit == "4wd" and lead.return_due_at == local(3, 6, 9, 30)
    clock.current = local(3, 5, 16)  # after the default's 2 wd, within the rule's 4 wd
    give_back(hl, who, number)
    assert load(hl, number)[1][0].state == "return_review"


def test_an_urgent_orders_window_is_hours(hl, who, clock):
    number = intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="help",
            urgency="urgent",
            description="小区停水一整天",
            caller=CallerInput(name="王五", phone="13800138000"),
        ),
        Disposition(kind="dispatch", lead_dept="M01"),
    ).number
    _, (lead,) = load(hl, number)
    assert lead.return_limit == "4h" and lead.return_due_at == local(3, 2, 13, 30)
    clock.current = local(3, 2, 13, 31)
    with pytest.raises(IllegalTransition) as refused:
        give_back(hl, who, number)
    assert refused.value.params["window_end"] == "2026-03-02 13:30"


def test_a_redispatched_part_has_a_window_of_its_own(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    clock.current = local(3, 3, 10)
    give_back(hl, who, number)
    dispatch.review_return(hl, who["disp"], number, accept=True, redispatch_to="M02")
    _, (_old, new) = load(hl, number)
    assert new.return_due_at == local(3, 5, 10)  # 2 wd after its own dispatch


def test_a_late_return_goes_to_review_marked_late_when_the_setting_says_so(hl, who, clock):
    hl.settings.return_after_window = "review"
    number = new_order(hl, who, lead="M01")
    clock.current = local(3, 5, 10)
    give_back(hl, who, number)
    _, (lead,) = load(hl, number)
    assert lead.state == "return_review" and lead.return_late is True
    with hl.reading() as s:
        event = s.exec(
            select(AuditEvent).where(AuditEvent.action == "return").order_by(col(AuditEvent.seq))
        ).one()
    assert json.loads(event.data) == {
        "reason": "not_our_duty",
        "late": True,
        "window_end": WINDOW_END.isoformat(),
    }
    # The reviewer sees it in the returns queue and the order view.
    (row,) = worklists.work_queue(hl, who["disp"], "returns")
    assert row.return_late is True and row.return_due_at == WINDOW_END
    assert queries.show(hl, who["disp"], number).assignments[0].return_late is True
    # Accepting it needs an explicit approval; rejecting it does not.
    with pytest.raises(ValidationError) as unapproved:
        dispatch.review_return(hl, who["disp"], number, accept=True, redispatch_to="M02")
    assert unapproved.value.code == "validation.late_return_approval"
    assert "2026-03-04 09:30" in describe(unapproved.value)
    assert load(hl, number)[1][0].state == "return_review"
    dispatch.review_return(
        hl, who["disp"], number, accept=True, redispatch_to="M02", approve_late=True
    )
    _, (old, new) = load(hl, number)
    assert old.state == "returned" and new.state == "pending_sign"


def test_a_late_return_may_be_rejected_without_approval(hl, who, clock):
    hl.settings.return_after_window = "review"
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    clock.current = local(3, 5, 10)
    give_back(hl, who, number)
    dispatch.review_return(hl, who["disp"], number, accept=False, note="属于本单位职责，按期办理")
    assert load(hl, number)[1][0].state == "in_progress"


# --------------------------------------------------------------------------- the command line


def order_dispatched_days_ago(hl, who, clock, days: int) -> str:
    """An order dispatched ``days`` ago by the real clock (the command line runs on it)."""
    clock.current = datetime.now(UTC) - timedelta(days=days)
    return str(new_order(hl, who, lead="M01"))


def test_cli_return_after_the_window_exits_6_naming_the_windows_end(hl, who, clock, cli):
    number = order_dispatched_days_ago(hl, who, clock, 10)
    _, (lead,) = load(hl, number)
    end = f"{lead.return_due_at.astimezone(SH):%Y-%m-%d %H:%M}"
    result = cli(
        "ticket",
        "return",
        number,
        "--reason",
        "not_our_duty",
        "--basis",
        "非本单位",
        user="h1",
        ok=False,
    )
    assert result.exit_code == 6, result.output
    assert end in result.stderr and "退单时限" in result.stderr and "延期" in result.stderr
    shown = cli("ticket", "show", number, user="h1").stdout
    assert f"M01 退单时限 {end}" in shown


def test_cli_late_return_under_review_needs_approve_late(hl, who, clock, cli):
    cli.env["HOTLINE_RETURN_AFTER_WINDOW"] = "review"
    number = order_dispatched_days_ago(hl, who, clock, 10)
    cli("ticket", "return", number, "--reason", "not_our_duty", "--basis", "非本单位", user="h1")
    assert "（超时退单）" in cli("ticket", "show", number, user="disp").stdout
    refused = cli(
        "ticket", "review-return", number, "--accept", "--to", "M02", user="disp", ok=False
    )
    assert refused.exit_code == 2 and "--approve-late" in refused.stderr
    cli("ticket", "review-return", number, "--accept", "--to", "M02", "--approve-late", user="disp")
    assert cli.json("ticket", "show", number, user="disp")["assignments"][1]["dept"] == "M02"
