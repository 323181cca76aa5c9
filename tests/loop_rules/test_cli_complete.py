"""Rule 10 of issue 14: the command line, complete.

``ticket unmerge`` (the console had it, the command line did not); ``sla delete`` (audited,
administrators only, a clear error for a rule that is not there); a warning wherever an urgent
or critical limit is longer than the normal one of the same scope; ``ticket find`` pages its
results and says how many there are and whether more follow, instead of cutting at 200
silently, and ``--all`` lists every one. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlmodel import col

from db.models import AuditEvent
from tests.services.tickets.helpers import new_order


def _flat(text: str) -> str:
    return text.replace("\n", "")  # rich wraps at the terminal's width


def test_unmerge_is_on_the_command_line(cli):
    lead = cli.json("ticket", "new", "-d", "小区门口路灯不亮", "--phone", "13800138000", user="op")
    dup = cli.json("ticket", "new", "-d", "小区门口路灯坏了", "--phone", "13900139000", user="op")
    merged = cli.json("ticket", "merge", dup["number"], "--into", lead["number"], user="disp")
    assert merged["state"] == "merged"
    missing_note = cli("ticket", "unmerge", dup["number"], user="disp", ok=False)
    assert missing_note.exit_code == 2
    undone = cli.json("ticket", "unmerge", dup["number"], "-n", "并错了，不是同一路灯", user="disp")
    assert undone["state"] == "pending_dispatch"
    shown = cli.json("ticket", "show", dup["number"], user="disp")
    assert shown["parent"] is None
    assert shown["timeline"][-1]["action"] == "unmerge"
    denied = cli("ticket", "unmerge", dup["number"], "-n", "x", user="op", ok=False)
    assert denied.exit_code == 4


def test_an_sla_rule_is_deleted_by_an_administrator_and_audited(cli, hl):
    cli("sla", "set", "consult", "--category", "T001", "--complete", "2wd")
    denied = cli("sla", "delete", "consult", "--category", "T001", user="disp", ok=False)
    assert denied.exit_code == 4
    deleted = cli.json("sla", "delete", "咨询", "--category", "T001")
    assert (deleted["request_type"], deleted["category_code"], deleted["complete"]) == (
        "consult",
        "T001",
        "2wd",
    )
    assert cli.json("sla", "list") == []
    with hl.reading() as session:
        actions = session.execute(
            select(col(AuditEvent.action))
            .where(col(AuditEvent.entity) == "sla_rule")
            .order_by(col(AuditEvent.seq))
        ).scalars()
        assert list(actions) == ["sla.set", "sla.delete"]
    again = cli("sla", "delete", "consult", "--category", "T001", ok=False)
    assert again.exit_code == 3
    assert "没有这条限时规则" in _flat(again.stderr) and "hotline sla list" in _flat(again.stderr)


def test_an_urgent_limit_longer_than_the_normal_one_warns(cli):
    fine = cli("sla", "set", "consult", "--urgency", "urgent", "--complete", "12h")
    assert "注意" not in fine.stderr
    longer = cli("sla", "set", "consult", "--urgency", "urgent", "--complete", "5wd")
    words = _flat(longer.stderr)
    assert "紧急件办结时限 5wd 长于一般件的 3wd" in words and "咨询" in words
    assert "5wd 长于一般件的 3wd" in _flat(cli("sla", "list").stderr)
    listed = cli("sla", "list", "--json")
    assert json.loads(listed.stdout)[0]["complete"] == "5wd"  # the JSON stays the rules
    assert "长于一般件" in _flat(listed.stderr)
    cli("sla", "delete", "consult", "--urgency", "urgent")
    # A normal limit set shorter than the built-in urgent 24 h turns urgency upside down too.
    shorter = cli("sla", "set", "help", "--category", "T001", "--complete", "8h")
    assert "紧急件办结时限 24h 长于一般件的 8h" in _flat(shorter.stderr)


def test_find_pages_its_results_and_says_how_many_there_are(cli, hl, who):
    numbers = [new_order(hl, who, description=f"路灯不亮第{i}处") for i in range(205)]
    first = cli.json("ticket", "find", "路灯", "--limit", "200", user="op")
    assert (first["total"], first["page"], first["limit"], first["more"]) == (205, 1, 200, True)
    assert [r["number"] for r in first["results"]] == numbers[::-1][:200]
    second = cli.json("ticket", "find", "路灯", "--limit", "200", "--page", "2", user="op")
    assert [r["number"] for r in second["results"]] == numbers[::-1][200:]
    assert second["more"] is False
    text = _flat(cli("ticket", "find", "路灯", user="op").stdout)
    assert "共 205 条，第 1 页（每页 20 条" in text and "--page 2" in text and "--all" in text
    too_many = cli("ticket", "find", "路灯", "--limit", "500", user="op", ok=False)
    assert too_many.exit_code == 2
    assert "每页最多 200 条" in _flat(too_many.stderr)


def test_find_all_lists_every_order(cli, hl, who):
    numbers = [new_order(hl, who, description=f"噪音扰民第{i}次") for i in range(230)]
    everything = json.loads(cli("ticket", "find", "噪音", "--all", "--json", user="op").stdout)
    assert [r["number"] for r in everything["results"]] == numbers[::-1]
    assert (everything["total"], everything["more"]) == (230, False)
    text = cli("ticket", "find", "--all", user="op").stdout
    assert "共 230 条（全部列出）" in _flat(text)
