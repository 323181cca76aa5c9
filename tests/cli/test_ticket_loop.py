"""The issue's acceptance loop through `hotline ticket …`, on SQLite and PostgreSQL."""

from __future__ import annotations


def test_full_loop_through_the_command(cli):
    created = cli.json(
        "ticket",
        "new",
        "-d",
        "营业执照变更被拒，要求说明原因",
        "-t",
        "complaint",
        "--phone",
        "13800138000",
        "--name",
        "李四",
        "--category",
        "T003",
        "--area",
        "D1",
        user="op",
    )
    number = created["number"]
    assert created["state"] == "pending_dispatch"
    cli("ticket", "dispatch", number, "--lead", "M01", "--co", "M02", user="disp")
    cli("ticket", "return", number, "--reason", "not_our_duty", "--basis", "非住建职责", user="h2")
    cli("ticket", "review-return", number, "--accept", "--to", "M03", "--dept", "M02", user="disp")
    cli("ticket", "sign", number, user="h1")
    cli("ticket", "sign", number, user="h3")
    cli("ticket", "extend", number, "--days", "5", "--reason", "需现场核查", user="h1")
    cli("ticket", "decide-extension", number, "--approve", "--days", "3", user="disp")
    cli("ticket", "reply", number, "--text", "协办意见：社保无异常", user="h3")
    cli("ticket", "reply", number, "--text", "已说明变更所需材料", user="h1")
    cli("ticket", "review", number, "--pass", user="disp")
    cli(
        "ticket",
        "visit",
        number,
        "--resolution",
        "unresolved",
        "--satisfaction",
        "unsatisfied",
        user="op",
    )
    cli("ticket", "redo", number, "-n", "来电人仍不满意", user="disp")
    cli("ticket", "reply", number, "--text", "已当面办理变更", user="h1")
    cli("ticket", "review", number, "--pass", user="disp")
    final = cli.json(
        "ticket",
        "visit",
        number,
        "--resolution",
        "resolved",
        "--satisfaction",
        "satisfied",
        user="op",
    )
    assert final["state"] == "closed"

    detail = cli.json("ticket", "show", number, user="sup")
    actions = [(e["action"], e["actor"]) for e in detail["timeline"]]
    expected = [
        ("register", "op"),
        ("queue", "op"),
        ("dispatch", "disp"),
        ("return", "h2"),
        ("return_accept", "disp"),
        ("sign", "h1"),
        ("sign", "h3"),
        ("request_extension", "h1"),
        ("extension_approve", "disp"),
        ("reply", "h3"),
        ("reply", "h1"),
        ("review_pass", "disp"),
        ("visit_unsatisfied", "op"),
        ("redo", "disp"),
        ("reply", "h1"),
        ("review_pass", "disp"),
        ("visit_satisfied", "op"),
    ]
    remaining = iter(actions)
    assert all(step in remaining for step in expected), actions
    assert all(e["at"] and e["actor"] for e in detail["timeline"])
    assert detail["ending"] == "visited"
    assert detail["caller"]["phone"] == "13800138000"

    masked = cli.json("ticket", "show", number, user="h1")
    assert masked["caller"]["phone"] == "138****8000"

    verify = cli("audit", "verify")
    assert "审计链完整" in verify.stdout


def test_errors_go_to_stderr_with_an_exit_code(cli):
    result = cli("ticket", "sign", "20990101000001", user="h1", ok=False)
    assert result.exit_code == 3
    assert "找不到工单" in result.stderr and result.stdout == ""
    created = cli.json("ticket", "new", "-d", "咨询社保缴费", user="op")
    result = cli("ticket", "sign", created["number"], user="disp", ok=False)
    assert result.exit_code == 4
    result = cli("ticket", "review", created["number"], "--pass", user="disp", ok=False)
    assert result.exit_code == 6
    assert created["number"] in result.stderr and "待派单" in result.stderr


def test_stale_version_is_refused_naming_who_changed_it(cli):
    created = cli.json("ticket", "new", "-d", "咨询公积金提取", user="op")
    number, seen = created["number"], created["version"]
    cli("ticket", "edit", number, "--title", "公积金", "--if-version", str(seen), user="op")
    result = cli(
        "ticket",
        "edit",
        number,
        "--title",
        "另一个标题",
        "--if-version",
        str(seen),
        user="disp",
        ok=False,
    )
    assert result.exit_code == 5
    assert "op" in result.stderr and "修改工单" in result.stderr and "edit" not in result.stderr
