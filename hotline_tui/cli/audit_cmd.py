"""``hotline audit verify/checkpoint``: the tamper-evident trail."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

import typer

from hotline_tui.cli.output import emit_json, error, line
from hotline_tui.cli.state import state
from hotline_tui.domain.audit_chain import VerifyReport
from hotline_tui.labels import label
from hotline_tui.services.admin import audit, audit_deep
from hotline_tui.services.admin.audit_deep import DeepReport, Mismatch

app = typer.Typer(help="审计：校验审计链（HMAC），记录检查点。", no_args_is_help=True)

FIELDS_ZH = {
    "state": "状态",
    "version": "版本",
    "ticket_id": "所属工单",
    "dept": "承办单位",
    "role": "主协办",
    "request_type": "诉求类型",
    "urgency": "紧急程度",
    "channel": "来源渠道",
    "category_id": "分类",
    "area_id": "区划",
    "caller_id": "来电人",
    "kb_article_id": "知识库文章",
    "confidential": "保密",
    "title": "标题",
    "description": "诉求内容",
    "address": "地址",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
}
SHOWN = 40  # characters of a stored text shown beside a mismatch


def _chain_words(report: VerifyReport) -> str:
    if report.ok:
        orders = f"；{report.orders} 张工单均有受理事件" if report.orders is not None else ""
        return (
            f"审计链完整：{report.checked} 条事件，链头 {report.head_seq}；"
            f"核对检查点 {report.checkpoints} 个{orders}"
        )
    reason = label("audit_problem", report.reason)
    where = f"第 {report.bad_seq} 条事件 — " if report.bad_seq is not None else ""
    # The domain's detail (which keys, which sequence numbers) is English, for the log and --json.
    logging.getLogger("hotline.cli").warning("audit verify: %s: %s", report.reason, report.detail)
    return f"审计链校验失败：{where}{reason}（{report.reason}）"


def _value(value: Any) -> str:
    text = "（空）" if value is None or value == "" else str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _mismatch_words(found: Mismatch) -> str:
    who = f"工单 {found.number}" + (f"（承办单位 {found.part}）" if found.part else "")
    source = f"（第 {found.seq} 条事件）" if found.seq is not None else ""
    if found.field == "event":
        return f"{who}：第 {found.seq} 条事件与其 MAC 不符（被改动）"
    if found.field == "row":
        if found.stored is None:
            return f"{who}：审计记录中有，数据库中没有（被删除）{source}"
        return f"{who}：数据库中有，审计记录中没有（在程序之外插入或改动）"
    name = FIELDS_ZH.get(found.field, found.field)
    audited = "为另一段文本（只存摘要）" if found.digested else f"「{_value(found.audited)}」"
    return f"{who} {name}：数据库「{_value(found.stored)}」，审计记录{audited}{source}"


def _deep_words(deep: DeepReport) -> list[str]:
    older = (
        f"；{deep.unchecked_fields} 张工单的事件早于字段摘要，只核对了状态、版本与承办记录"
        if deep.unchecked_fields
        else ""
    )
    if deep.ok:
        return [f"深度校验：{deep.orders} 张工单、{deep.parts} 条承办记录与审计记录一致{older}"]
    head = f"深度校验发现 {deep.total} 处不符（列出前 {len(deep.mismatches)} 处）{older}："
    return [head, *("  " + _mismatch_words(m) for m in deep.mismatches)]


@app.command("verify")
def verify(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json"),
    no_checkpoint: bool = typer.Option(False, "--no-checkpoint"),
    deep: bool = typer.Option(
        False, "--deep", help="同时核对每张工单及其承办记录与审计事件是否一致。"
    ),
    limit: int = typer.Option(20, "--limit", min=1, help="--deep 列出的不一致条数上限。"),
) -> None:
    """校验每条事件与检查点；有问题时指出第一处并以 1 退出。"""
    st = state(ctx)
    # The gate has checked who may verify (cli.gates): the OS administrator may, even where
    # the users' table itself was tampered with.
    report = audit.verify(st.hl, use_checkpoint=not no_checkpoint)
    rows = audit_deep.verify_rows(st.hl, limit=limit) if deep else None
    ok = report.ok and (rows is None or rows.ok)
    if as_json:
        if rows is None:
            emit_json(report)
        else:
            found = asdict(rows) | {"ok": rows.ok, "bad_orders": sorted(rows.bad_orders)}
            emit_json(asdict(report) | {"ok": ok, "chain_ok": report.ok, "deep": found})
    else:
        (line if report.ok else error)(_chain_words(report))
        for text in _deep_words(rows) if rows is not None else []:
            (line if rows is not None and rows.ok else error)(text)
    if not ok:
        raise typer.Exit(1)


@app.command("checkpoint")
def checkpoint(ctx: typer.Context) -> None:
    """记录检查点：把链头记到数据库之外，并与上一个检查点链接。"""
    st = state(ctx)
    record = audit.checkpoint(st.hl, st.actor)
    line(f"检查点第 {record.n} 号：第 {record.seq} 条 {record.mac[:16]}… → {record.path}")
