"""Issue 14, rules 6 and 7 through `hotline ticket …`: a hand-given 催办 or 督办 in the
department's notices, 提级 and 会商 with participants, due time and outcome, and return visits
spaced out and kept (the CLI runs on the real clock)."""

from __future__ import annotations


def _signed(cli, co: tuple[str, ...] = ()) -> str:
    created = cli.json(
        "ticket", "new", "-d", "小区路灯不亮", "--phone", "13800138000", "--dispatch", "M01",
        *[arg for code in co for arg in ("--co", code)], user="op",
    )  # fmt: skip
    number = str(created["number"])
    cli("ticket", "sign", number, user="h1")
    return number


def _to_visit(cli) -> str:
    number = _signed(cli)
    cli("ticket", "reply", number, "--text", "已修复", user="h1")
    cli("ticket", "review", number, "--pass", user="disp")
    return number


def test_a_supervisors_urge_and_supervise_are_in_the_departments_notices(cli):
    head = cli.json("scheduler", "notices", user="h1")
    after = max([n["seq"] for n in head], default=0)
    number = _signed(cli)
    cli("ticket", "urge", number, "-n", "请加快", user="sup")
    cli("ticket", "supervise", number, "-n", "请回复进度", user="sup")
    told = cli.json("scheduler", "notices", "--after", str(after), user="h1")
    assert [(n["step"], n["number"], n["dept"]) for n in told] == [
        ("urge", number, "M01"),
        ("supervise", number, "M01"),
    ]
    assert cli.json("scheduler", "notices", "--after", str(after), user="h2") == []
    text = cli("scheduler", "notices", "--after", str(after), user="h1").stdout
    assert "催办" in text and "督办" in text


def test_escalate_and_consult_with_participants_due_time_and_outcome(cli):
    number = _signed(cli, co=("M02",))
    refused = cli("ticket", "escalate", number, "-n", "提级", "--leader", "h1", ok=False)
    assert refused.exit_code == 2 and "validation.leader" in refused.stderr
    cli(
        "ticket", "escalate", number, "-n", "涉及多部门，提级协调", "--leader", "sup",
        "--dept", "M01", "--dept", "M03", "--days", "3", user="disp",
    )  # fmt: skip
    cli("ticket", "consult", number, "-n", "组织会商", user="disp")
    detail = cli.json("ticket", "show", number, user="sup")
    escalation, consultation = detail["supervisions"]
    assert (escalation["leader"], escalation["depts"]) == ("sup", ["M01", "M03"])
    assert escalation["due_at"] and escalation["answered_at"] is None
    assert consultation["depts"] == ["M01", "M02"]
    told = cli.json("scheduler", "notices", user="h3")
    assert [(n["step"], n["number"]) for n in told] == [("escalate", number)]
    shown = cli("ticket", "show", number, user="h3").stdout  # M03 was called to it
    assert "督办、提级与会商" in shown and "领导 sup" in shown and "待反馈" in shown

    denied = cli("ticket", "escalate-result", number, "-r", "结果", user="h1", ok=False)
    assert denied.exit_code == 4
    cli("ticket", "escalate-result", number, "-r", "由市监局牵头办理", user="sup")
    cli("ticket", "consult-result", number, "--result", "会商确定分工", user="disp")
    again = cli("ticket", "consult-result", number, "-r", "再次", user="disp", ok=False)
    assert again.exit_code == 3 and "not_found.coordination" in again.stderr
    detail = cli.json("ticket", "show", number, user="sup")
    assert [(s["answer"], s["answered_by"]) for s in detail["supervisions"]] == [
        ("由市监局牵头办理", "sup"),
        ("会商确定分工", "disp"),
    ]
    actions = [e["action"] for e in detail["timeline"]]
    assert actions[-2:] == ["escalate_result", "consult_result"]


def test_an_unreachable_visit_too_soon_exits_6_naming_when_to_call_again(cli):
    number = _to_visit(cli)
    cli("ticket", "visit", number, "--contact", "unreachable", "-n", "无人接听", user="op")
    refused = cli("ticket", "visit", number, "--contact", "unreachable", user="op", ok=False)
    assert refused.exit_code == 6
    assert "visit.retry_too_soon" in refused.stderr and "之后再拨打" in refused.stderr
    cli("ticket", "visit", number, "--resolution", "resolved", "--satisfaction", "basic", user="op")
    detail = cli.json("ticket", "show", number, user="sup")
    assert [(v["attempt"], v["contact"], v["by"]) for v in detail["visits"]] == [
        (1, "unreachable", "op"),
        (2, "reached", "op"),
    ]
    shown = cli("ticket", "show", number, user="sup").stdout
    assert "回访记录" in shown and "未接通" in shown and "基本满意" in shown


def test_a_reopened_order_shows_no_stale_visit_due(cli):
    number = _to_visit(cli)
    assert "回访期限" in cli("ticket", "show", number, user="sup").stdout
    cli("ticket", "visit", number, "--resolution", "resolved", "--satisfaction", "satisfied")
    cli("ticket", "reopen", number, "-n", "来电人再次反映", user="disp")
    detail = cli.json("ticket", "show", number, user="sup")
    assert detail["due"]["visit_due_at"] is None
    assert "回访期限" not in cli("ticket", "show", number, user="sup").stdout
