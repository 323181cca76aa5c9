"""Rule 4 of the loop: a co-handler's return must be seen.

A co-handler's return (退单) puts its part under review while the order carries on; the lead's
reply then waits for it. The hotline's return queue lists it — the co-handler's part as well
as a lead's, in the service, the command and the console alike (one source of rows) — and the
refused reply is a state error (exit 6) naming the part, its state and what unblocks it.
On SQLite and PostgreSQL (the ``hl`` and ``cli`` fixtures are parametrised).
"""

from __future__ import annotations

import pytest

from hotline_tui.domain.errors import IllegalTransition
from hotline_tui.labels.errors import describe
from hotline_tui.services.tickets import dispatch, handling, worklists
from tests.cli.conftest import cli  # noqa: F401  (the command runner fixture)
from tests.services.tickets.helpers import load, new_order


def _co_handler_returned(hl, who) -> str:
    number = str(new_order(hl, who, lead="M01", co=["M02"]))
    handling.sign(hl, who["h1"], number)
    handling.return_order(hl, who["h2"], number, reason="not_our_duty", basis="非住建职责")
    return number


def test_a_co_handlers_return_is_listed_in_the_return_review_queue(cli, hl, who):  # noqa: F811
    number = _co_handler_returned(hl, who)
    ticket, (lead, co) = load(hl, number)
    assert ticket.state == "in_progress"  # the order carries on
    assert (lead.state, co.state) == ("in_progress", "return_review")

    rows = cli.json("ticket", "queue", "returns", user="disp")
    assert [(r["number"], r["dept"], r["role"], r["assignment_state"]) for r in rows] == [
        (number, "M02", "co", "return_review")
    ]
    assert rows[0]["assignment_version"] == co.version  # what a decision must quote
    assert "非住建职责" in rows[0]["detail"]
    # One source: the command's rows are the console's (worklists.work_queue), field for field.
    (same,) = worklists.work_queue(hl, who["disp"], "returns")
    assert (same.number, same.dept, same.assignment_version) == (
        number,
        "M02",
        rows[0]["assignment_version"],
    )
    table = cli("ticket", "queue", "returns", user="disp").stdout
    assert number in table and "市住建局" in table and "协办" in table
    # Decided, it leaves the queue.
    cli("ticket", "review-return", number, "--reject", "--dept", "M02", user="disp")
    assert cli.json("ticket", "queue", "returns", user="disp") == []


def test_a_co_handlers_extension_request_is_listed_for_decision(cli, hl, who):  # noqa: F811
    number = str(new_order(hl, who, lead="M01", co=["M02"]))
    handling.sign(hl, who["h2"], number)
    handling.request_extension(hl, who["h2"], number, days=3, reason="需联合执法")
    assert load(hl, number)[0].state == "pending_sign"  # the order follows its lead only
    rows = cli.json("ticket", "queue", "extensions", user="disp")
    assert [(r["number"], r["dept"], r["role"], r["extension_days"]) for r in rows] == [
        (number, "M02", "co", 3)
    ]
    assert [i.number for i in worklists.work_queue(hl, who["disp"], "extensions")] == [number]


def test_the_lead_reply_waiting_for_a_co_handler_names_the_part_and_what_unblocks_it(hl, who):
    number = _co_handler_returned(hl, who)
    with pytest.raises(IllegalTransition) as refused:
        handling.reply(hl, who["h1"], number, text="已处理")
    error = refused.value
    assert error.code == "transition.co_handlers_pending"
    assert error.params["parts"] == [
        {"dept": "M02", "dept_name": "市住建局", "state": "return_review"}
    ]
    words = describe(error)
    assert number in words
    assert (
        "协办单位 市住建局（退单审核中）退单待热线审核：请等待审核，或由派单员释放该协办" in words
    )
    # What the words promise: releasing the co-handler unblocks the reply.
    dispatch.release(hl, who["disp"], number, "M02", "无需协办")
    handling.reply(hl, who["h1"], number, text="已处理")
    assert load(hl, number)[0].state == "pending_review"


def test_every_waiting_co_handler_is_named_with_its_own_state(hl, who):
    number = new_order(hl, who, lead="M01", co=["M02", "M03"])
    handling.sign(hl, who["h1"], number)
    handling.sign(hl, who["h3"], number)
    handling.request_extension(hl, who["h3"], number, days=2, reason="等待社保数据")
    with pytest.raises(IllegalTransition) as refused:
        handling.reply(hl, who["h1"], number, text="已处理")
    parts = {p["dept"]: p["state"] for p in refused.value.params["parts"]}
    assert parts == {"M02": "pending_sign", "M03": "extension_review"}
    words = describe(refused.value)
    assert "市住建局（待签收）尚未签收" in words
    assert "市人社局（延期审批中）延期申请待热线审批" in words


def test_the_command_refuses_the_lead_reply_with_exit_6_naming_the_part(cli):  # noqa: F811
    created = cli.json("ticket", "new", "-d", "小区内违建影响通行", "-t", "complaint", user="op")
    number = created["number"]
    cli("ticket", "dispatch", number, "--lead", "M01", "--co", "M02", user="disp")
    cli("ticket", "sign", number, user="h1")
    cli("ticket", "return", number, "--reason", "not_our_duty", "--basis", "非住建职责", user="h2")
    assert [r["number"] for r in cli.json("ticket", "queue", "returns", user="disp")] == [number]

    refused = cli("ticket", "reply", number, "--text", "已处理", user="h1", ok=False)
    assert refused.exit_code == 6
    assert "市住建局" in refused.stderr and "退单审核中" in refused.stderr
    assert "由派单员释放该协办" in refused.stderr
    assert "[transition.co_handlers_pending]" in refused.stderr
