"""Due times in `hotline ticket show/find` and the `hotline ticket deadlines` boards."""

from __future__ import annotations

from datetime import datetime


def _dispatched(cli) -> str:
    created = cli.json(
        "ticket",
        "new",
        "-d",
        "咨询个体工商户营业执照办理流程",
        "-t",
        "consult",
        "--phone",
        "13800138000",
        "--name",
        "李四",
        user="op",
    )
    number = str(created["number"])
    cli("ticket", "dispatch", number, "--lead", "M01", user="disp")
    return number


def test_show_json_lists_sign_and_completion_due_times(cli):
    number = _dispatched(cli)
    detail = cli.json("ticket", "show", number, user="disp")
    (lead,) = detail["assignments"]
    sign_due = datetime.fromisoformat(lead["sign_due_at"])
    due = datetime.fromisoformat(lead["due_at"])
    warn = datetime.fromisoformat(lead["warn_at"])
    assert sign_due < warn < due
    assert lead["time_limit"] == "3wd" and lead["sign_limit"] == "1wd"
    assert lead["provisional"] is False
    shown = cli("ticket", "show", number, user="disp").stdout
    assert "办结期限" in shown and "3wd" in shown
    (found,) = cli.json("ticket", "find", "--number", number, user="disp")["results"]
    assert datetime.fromisoformat(found["due_at"]) == due


def test_deadline_boards_in_the_command(cli):
    number = _dispatched(cli)
    # The test clock is the real clock here: the order was dispatched just now, so it is on no
    # late board yet, and the counts are empty.
    assert cli.json("ticket", "deadlines", "overdue", user="sup") == []
    assert cli.json("ticket", "deadlines", user="sup") == []
    refused = cli("ticket", "deadlines", "late", user="sup", ok=False)
    assert refused.exit_code != 0 and "late" in refused.stderr
    assert number not in {
        r["number"] for r in cli.json("ticket", "deadlines", "sign_overdue", user="sup")
    }
