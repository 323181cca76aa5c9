"""``hotline audit verify/checkpoint``: the tamper-evident trail."""

from __future__ import annotations

import typer

from hotline_tui.cli.output import emit_json, error, line
from hotline_tui.cli.state import state
from hotline_tui.domain.audit_chain import VerifyReport
from hotline_tui.services import audit

app = typer.Typer(help="审计: verify the HMAC chain, record checkpoints.", no_args_is_help=True)

REASONS_ZH = {
    "wrong_key": "密钥错误（事件由另一把密钥签名）",
    "gap": "事件缺失（被删除）",
    "sequence": "序号错乱",
    "chain": "链接断裂（插入或重排）",
    "mac": "内容被篡改",
    "checkpoint": "与检查点不符（事件被删除或改写）",
    "head": "链头记录与事件不符",
    "checkpoint_file": "检查点文件校验失败（被改动、删行，或属于另一把密钥）",
    "orders": "有工单没有受理事件（工单在程序之外插入，或事件被清除）",
    "orders_gone": "有已受理的工单不在数据库中（被删除）",
}


def _chain_words(report: VerifyReport) -> str:
    if report.ok:
        orders = f"；{report.orders} 张工单均有受理事件" if report.orders is not None else ""
        return (
            f"审计链完整：{report.checked} 条事件，链头 {report.head_seq}；"
            f"核对检查点 {report.checkpoints} 个{orders}"
        )
    reason = REASONS_ZH.get(report.reason or "", report.reason)
    where = f"第 {report.bad_seq} 条事件 — " if report.bad_seq is not None else ""
    return f"审计链校验失败：{where}{reason}（{report.reason}: {report.detail}）"


@app.command("verify")
def verify(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json"),
    no_checkpoint: bool = typer.Option(False, "--no-checkpoint"),
) -> None:
    """Verify every event and checkpoint; exit 1 naming the first problem."""
    st = state(ctx)
    report = audit.verify(st.hl, use_checkpoint=not no_checkpoint)
    if as_json:
        emit_json(report)
    else:
        (line if report.ok else error)(_chain_words(report))
    if not report.ok:
        raise typer.Exit(1)


@app.command("checkpoint")
def checkpoint(ctx: typer.Context) -> None:
    """Record the chain head outside the database, chained to the last checkpoint."""
    st = state(ctx)
    record = audit.checkpoint(st.hl)
    line(f"检查点第 {record.n} 号：第 {record.seq} 条 {record.mac[:16]}… → {record.path}")
