"""Rule 8 of issue 14: a withdrawal (撤单) of a dispatched order is confirmed by the dispatcher.

An order no department has had is withdrawn by the operator at once. Once dispatched, an
operator's withdrawal becomes a request: the order carries on, the request waits in the
dispatchers' ``withdrawals`` work list, and a dispatcher confirms it (the order is withdrawn,
its parts cancelled) or rejects it. On SQLite and PostgreSQL, through the services and the
command line.
"""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from db.models import AuditEvent
from hotline_tui.domain.errors import PermissionDenied, ValidationError
from hotline_tui.services.tickets import handling, intake, queries, withdrawal, worklists
from tests.services.tickets.helpers import load, new_order


def _withdrawals(hl, who):
    return [i.number for i in worklists.work_queue(hl, who["disp"], "withdrawals")]


def test_an_undispatched_order_is_withdrawn_by_the_operator_directly(hl, who):
    number = new_order(hl, who)
    result = intake.withdraw(hl, who["op"], number, "来电人已自行解决")
    assert result.state == "closed" and result.warnings == []
    ticket, _parts = load(hl, number)
    assert ticket.ending == "withdrawn"


def test_an_operators_withdrawal_of_a_dispatched_order_waits_for_the_dispatcher(hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    result = intake.withdraw(hl, who["op"], number, "来电人不再需要")
    assert result.state == "pending_sign" and result.warnings == [withdrawal.REQUESTED]
    ticket, parts = load(hl, number)
    assert ticket.ending is None and ticket.withdraw_note == "来电人不再需要"
    assert {p.state for p in parts} == {"pending_sign"}  # the departments carry on
    assert _withdrawals(hl, who) == [number]
    (item,) = worklists.work_queue(hl, who["disp"], "withdrawals")
    assert item.detail == "来电人不再需要" and item.withdraw_requested and item.dept == "M01"
    handling.sign(hl, who["h1"], number)
    with pytest.raises(ValidationError) as again:
        intake.withdraw(hl, who["op"], number, "再催一次")
    assert again.value.code == "validation.withdraw_requested"


def test_the_dispatcher_confirms_the_withdrawal(hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    intake.withdraw(hl, who["op"], number, "来电人不再需要")
    done = withdrawal.confirm(hl, who["disp"], number, accept=True, note="已与来电人核实")
    assert done.state == "closed"
    ticket, parts = load(hl, number)
    assert ticket.ending == "withdrawn" and ticket.withdraw_requested_at is None
    assert {p.state for p in parts} == {"cancelled"}
    assert _withdrawals(hl, who) == []
    with hl.reading() as session:
        actions = session.execute(
            select(col(AuditEvent.action), col(AuditEvent.note))
            .where(col(AuditEvent.ticket_id) == ticket.id, col(AuditEvent.entity) == "ticket")
            .order_by(col(AuditEvent.seq))
        ).all()
    assert [a for a, _n in actions][-2:] == ["withdraw_request", "withdraw"]
    assert actions[-1][1] == "来电人不再需要；已与来电人核实"


def test_the_dispatcher_rejects_the_withdrawal_and_the_order_carries_on(hl, who):
    number = new_order(hl, who, lead="M01")
    intake.withdraw(hl, who["op"], number, "误操作")
    kept = withdrawal.confirm(hl, who["disp"], number, accept=False, note="来电人仍需处理")
    assert kept.state == "pending_sign"
    ticket, _parts = load(hl, number)
    assert ticket.withdraw_requested_at is None and ticket.ending is None
    assert _withdrawals(hl, who) == []
    handling.sign(hl, who["h1"], number)
    with pytest.raises(ValidationError) as nothing:
        withdrawal.confirm(hl, who["disp"], number, accept=True)
    assert nothing.value.code == "validation.no_withdraw_request"


def test_only_the_hotlines_dispatchers_confirm_and_they_withdraw_directly(hl, who):
    number = new_order(hl, who, lead="M01")
    intake.withdraw(hl, who["op"], number, "来电人不再需要")
    for user in ("op", "h1"):
        with pytest.raises(PermissionDenied):
            withdrawal.confirm(hl, who[user], number, accept=True)
    with pytest.raises(PermissionDenied):
        worklists.work_queue(hl, who["h1"], "withdrawals")
    other = new_order(hl, who, lead="M02")
    direct = intake.withdraw(hl, who["disp"], other, "派单员直接撤单")
    assert direct.state == "closed" and direct.warnings == []
    assert queries.show(hl, who["disp"], other).ending == "withdrawn"


def test_withdrawal_confirmed_through_the_command_line(cli, hl, who):
    number = new_order(hl, who, lead="M01")
    asked = cli("ticket", "withdraw", number, "-n", "来电人不再需要", user="op")
    assert "待派单员确认" in asked.stdout.replace("\n", "")
    listed = cli("ticket", "withdrawals", user="disp").stdout
    assert number in listed and "来电人不再需要" in listed
    assert cli("ticket", "withdrawals", user="op", ok=False).exit_code == 4
    assert [i["number"] for i in cli.json("ticket", "withdrawals", user="disp")] == [number]
    done = cli.json("ticket", "confirm-withdraw", number, "--confirm", user="disp")
    assert done["state"] == "closed"
    again = cli("ticket", "confirm-withdraw", number, "--reject", user="disp", ok=False)
    assert again.exit_code == 2 and "没有待确认的撤单申请" in again.stderr.replace("\n", "")
