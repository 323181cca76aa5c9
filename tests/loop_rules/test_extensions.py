"""Issue 14, rule 2: extensions (延期), on SQLite and PostgreSQL.

A request comes before the part's due time (refused after, naming it); the cap (the rule's own
``extension_max``, default 10 wd) is on the total granted, at request time and at decision time,
and the hotline may grant fewer days than asked, never more; the requests per part are limited
(``extension_max_requests``, default 1); the decision says how much was granted and is left.

The test clock starts on Monday 2026-03-02 09:30 in Shanghai; a consultation is due on Thursday
2026-03-05 09:30 (3 wd of 7 working hours).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline_tui.domain.errors import IllegalTransition, ValidationError
from hotline_tui.labels.errors import describe
from hotline_tui.services.reference import sla_rules
from hotline_tui.services.tickets import dispatch, editing, handling, queries, worklists
from tests.cli import conftest as cli_conftest
from tests.services.tickets.helpers import load, new_order

cli = cli_conftest.cli  # the command line runner fixture, shared with tests/cli

SH = ZoneInfo("Asia/Shanghai")


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH).astimezone(UTC)


def signed(hl, who, **kwargs) -> str:
    number = new_order(hl, who, lead="M01", **kwargs)
    handling.sign(hl, who["h1"], number)
    return str(number)


def ask(hl, who, number, days):
    return handling.request_extension(hl, who["h1"], number, days=days, reason="需现场核查")


def grant(hl, who, number, days=None):
    return dispatch.decide_extension(hl, who["disp"], number, approve=True, days=days)


def test_an_extension_request_after_the_due_time_is_refused_naming_it(hl, who, clock):
    number = signed(hl, who)
    clock.current = local(3, 5, 9, 30)  # the due time itself: too late
    with pytest.raises(IllegalTransition) as refused:
        ask(hl, who, number, 3)
    assert refused.value.code == "transition.extension_after_due"
    assert refused.value.params["due_at"] == "2026-03-05 09:30"
    assert "2026-03-05 09:30" in describe(refused.value)
    _, (lead,) = load(hl, number)
    assert lead.state == "in_progress" and lead.extension_requests == 0


def test_a_request_before_the_due_time_is_taken(hl, who, clock):
    number = signed(hl, who)
    clock.current = local(3, 5, 9, 29)
    result = ask(hl, who, number, 3)
    assert result.state == "extension_review"
    assert (result.days, result.granted, result.cap, result.left) == (3, 0, 10, 10)
    assert (result.requests, result.max_requests) == (1, 1)


def test_the_cap_is_on_the_total_not_per_request(hl, who, clock):
    """The issue's case: three approvals of 10 days gave 30 working days."""
    hl.settings.extension_max_requests = 3
    number = signed(hl, who)
    ask(hl, who, number, 10)
    approved = grant(hl, who, number)
    assert (approved.days, approved.granted, approved.left) == (10, 10, 0)
    clock.advance(hours=1)
    with pytest.raises(IllegalTransition) as used:
        ask(hl, who, number, 10)
    assert used.value.code == "transition.extension_cap_used"
    assert used.value.params == {"ticket": number, "dept": "M01", "granted": 10, "cap": 10}
    _, (lead,) = load(hl, number)
    assert lead.extension_days_granted == 10 and lead.due_at == local(3, 19, 9, 30)


def test_a_request_beyond_what_is_left_is_refused_naming_it(hl, who):
    hl.settings.extension_max_requests = 2
    number = signed(hl, who)
    ask(hl, who, number, 6)
    grant(hl, who, number)
    with pytest.raises(ValidationError) as too_many:
        ask(hl, who, number, 5)
    assert too_many.value.code == "validation.extension_days"
    assert too_many.value.params == {
        "field": "days",
        "days": 5,
        "max": 4,
        "cap": 10,
        "granted": 6,
    }
    assert "1 至 4 个工作日" in describe(too_many.value)
    assert ask(hl, who, number, 4).left == 4


def test_the_rules_own_extension_max_applies(hl, who):
    sla_rules.set_rule(hl, who["adm"], "consult", limits={"extension_max": "5wd"})
    number = signed(hl, who)
    _, (lead,) = load(hl, number)
    assert lead.extension_limit == "5wd"
    with pytest.raises(ValidationError) as beyond:
        ask(hl, who, number, 6)
    assert beyond.value.params["max"] == 5 and beyond.value.params["cap"] == 5
    assert ask(hl, who, number, 5).cap == 5


def test_the_approver_may_grant_fewer_days_than_asked_never_more(hl, who):
    number = signed(hl, who)
    ask(hl, who, number, 5)
    with pytest.raises(ValidationError) as more:
        grant(hl, who, number, days=6)
    assert more.value.code == "validation.extension_grant"
    assert more.value.params["max"] == 5 and more.value.params["requested"] == 5
    approved = grant(hl, who, number, days=3)
    assert (approved.days, approved.granted, approved.left) == (3, 3, 7)
    _, (lead,) = load(hl, number)
    assert lead.extension_days_granted == 3 and lead.due_at == local(3, 10, 9, 30)


def test_approving_cannot_exceed_what_is_left_under_the_cap(hl, who):
    """The cap holds at decision time too: the order's rule may have lowered it meanwhile
    (its urgency raised while the request waited)."""
    sla_rules.set_rule(hl, who["adm"], "consult", urgency="urgent", limits={"extension_max": "2wd"})
    number = signed(hl, who)
    ask(hl, who, number, 5)
    editing.edit(hl, who["disp"], number, {"urgency": "urgent"})
    with pytest.raises(ValidationError) as beyond:
        grant(hl, who, number)
    assert beyond.value.params["max"] == 2 and beyond.value.params["cap"] == 2
    assert grant(hl, who, number, days=2).left == 0


def test_the_number_of_requests_per_part_is_limited(hl, who):
    number = signed(hl, who)
    ask(hl, who, number, 3)
    dispatch.decide_extension(hl, who["disp"], number, approve=False, note="理由不充分")
    with pytest.raises(IllegalTransition) as again:
        ask(hl, who, number, 3)
    assert again.value.code == "transition.extension_requests_used"
    assert again.value.params["used"] == 1 and again.value.params["max"] == 1
    assert "至多 1 次" in describe(again.value)
    hl.settings.extension_max_requests = 2
    assert ask(hl, who, number, 3).requests == 2


def test_the_decision_shows_what_was_granted_and_what_is_left(hl, who):
    hl.settings.extension_max_requests = 2
    number = signed(hl, who)
    ask(hl, who, number, 4)
    grant(hl, who, number)
    ask(hl, who, number, 2)
    (row,) = worklists.work_queue(hl, who["disp"], "extensions")
    assert (row.extension_days, row.extension_granted, row.extension_cap) == (2, 4, 10)
    assert row.extension_left == 6 and row.extension_requests == 2
    part = queries.show(hl, who["disp"], number).assignments[0]
    assert (part.extension_days_granted, part.extension_cap, part.extension_left) == (4, 10, 6)
    denied = dispatch.decide_extension(hl, who["disp"], number, approve=False)
    assert (denied.days, denied.granted, denied.left) == (0, 4, 6)


# --------------------------------------------------------------------------- the command line


def test_cli_decide_extension_says_what_was_granted_and_is_left(hl, who, clock, cli):
    clock.current = datetime.now(UTC)  # the command line runs on the real clock
    number = signed(hl, who)
    asked = cli("ticket", "extend", number, "--days", "5", "--reason", "需现场核查", user="h1")
    assert "本次申请 5 个工作日" in asked.stdout and "还可批准 10 个" in asked.stdout
    decided = cli("ticket", "decide-extension", number, "--approve", "--days", "3", user="disp")
    assert "本次批准 3 个工作日" in decided.stdout
    assert "累计已批准 3 个，上限 10 个，还可批准 7 个" in decided.stdout
    shown = cli("ticket", "show", number, user="disp").stdout
    assert "延期 已批准 3/10 个工作日，还可批准 7 个，已申请 1/1 次" in shown
    again = cli("ticket", "extend", number, "--days", "2", "--reason", "再延", user="h1", ok=False)
    assert again.exit_code == 6 and "至多 1 次" in again.stderr
    as_json = cli.json("ticket", "show", number, user="disp")["assignments"][0]
    assert (as_json["extension_cap"], as_json["extension_left"]) == (10, 7)


def test_cli_extension_after_the_due_time_exits_6(hl, who, clock, cli):
    clock.current = datetime.now(UTC) - timedelta(days=10)
    number = signed(hl, who)
    result = cli(
        "ticket", "extend", number, "--days", "2", "--reason", "来不及", user="h1", ok=False
    )
    assert result.exit_code == 6 and "办结时限" in result.stderr and "已过" in result.stderr
