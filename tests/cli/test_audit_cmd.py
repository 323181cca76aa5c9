"""`hotline audit verify --deep`: the command names what was changed behind the program's back."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.services.admin.test_audit_deep import lifecycle


def test_verify_deep_passes_then_names_the_edited_order_and_field(cli, hl, who):
    orders = lifecycle(hl, who)
    ok = cli("audit", "verify", "--deep")
    assert f"{len(orders)} 张工单均有受理事件" in ok.stdout
    assert f"深度校验：{len(orders)} 张工单" in ok.stdout and "一致" in ok.stdout
    number = orders["edited"]
    with hl.engines.write.begin() as conn:
        conn.execute(
            text("UPDATE ticket SET description = '改', state = 'closed' WHERE number = :n"),
            {"n": number},
        )
    plain = cli("audit", "verify")
    assert plain.exit_code == 0  # the chain alone cannot see it
    failed = cli("audit", "verify", "--deep", ok=False)
    assert failed.exit_code == 1
    message = " ".join(failed.stderr.split())
    assert "深度校验发现 2 处不符" in message, message
    assert f"工单 {number} 诉求内容：数据库「改」，审计记录为另一段文本" in message, message
    assert f"工单 {number} 状态：数据库「closed」，审计记录「pending_dispatch」" in message, message
    as_json = cli("audit", "verify", "--deep", "--json", "--limit", "1", ok=False)
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["ok"] is False and report["chain_ok"] is True
    assert report["deep"]["total"] == 2 and len(report["deep"]["mismatches"]) == 1
    assert report["deep"]["mismatches"][0]["number"] == number


def test_a_broken_chain_is_told_in_chinese_with_its_code() -> None:
    from hotline_tui.cli.audit_cmd import _chain_words
    from hotline_tui.domain.audit_chain import VerifyReport

    report = VerifyReport(False, 6, 7, 7, "mac", "content does not match its MAC")
    text = _chain_words(report)
    assert text == "审计链校验失败：第 7 条事件 — 内容被篡改（mac）"
