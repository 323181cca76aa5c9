"""`hotline db`, `user` and `audit` commands through the real command line parser."""

from __future__ import annotations

from hotline_tui.services.admin import audit


def test_db_status_and_upgrade_are_idempotent(cli):
    status = cli.json("db", "status")
    assert status["revision"] == status["head"]
    result = cli("db", "upgrade")
    assert "数据库版本" in result.stdout and "新建" not in result.stdout  # the key is kept


def test_user_commands(cli):
    env_password = {"HOTLINE_NEW_PASSWORD": "another-pass-1"}
    cli.env.update(env_password)
    cli("user", "add", "op7", "--role", "operator", "--name", "话务员七", "--os-account", "op7os")
    listed = {u["username"]: u for u in cli.json("user", "list")}
    assert listed["op7"]["role"] == "operator" and listed["op7"]["os_account"] == "op7os"
    cli("user", "disable", "op7")
    assert {u["username"]: u for u in cli.json("user", "list")}["op7"]["disabled"] is True
    cli("user", "reset-password", "op7")
    refused = cli("user", "add", "op8", "--role", "operator", user="op", ok=False)
    assert refused.exit_code == 4 and "无权" in refused.stderr


def test_audit_checkpoint_then_verify(cli, hl):
    cli("ticket", "new", "-d", "咨询", user="op")
    result = cli("audit", "checkpoint")
    assert "检查点" in result.stdout
    assert cli("audit", "verify").exit_code == 0
    report = cli.json("audit", "verify")
    assert report["ok"] is True and report["checked"] == report["head_seq"]


def test_change_feed_lists_events_after_a_sequence_number(hl, who):
    from tests.services.tickets.helpers import new_order

    head = audit.changes_since(hl, 0, limit=100000)[-1]["seq"]
    number = new_order(hl, who, lead="M01")
    changes = audit.changes_since(hl, head)
    assert [c["seq"] for c in changes] == list(range(head + 1, head + 1 + len(changes)))
    assert {c["action"] for c in changes} >= {"register", "dispatch", "assign"}
    assert changes and all(c["ticket_id"] == changes[0]["ticket_id"] for c in changes)
    assert number
