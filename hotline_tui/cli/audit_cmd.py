"""``hotline audit verify/checkpoint``: the tamper-evident trail."""

from __future__ import annotations

import typer

from hotline_tui.cli.output import emit_json, error, line
from hotline_tui.cli.state import state
from hotline_tui.services import audit

app = typer.Typer(help="审计: verify the HMAC chain, record checkpoints.", no_args_is_help=True)

REASONS_ZH = {
    "wrong_key": "密钥错误（事件由另一把密钥签名）",
    "gap": "事件缺失（被删除）",
    "sequence": "序号错乱",
    "chain": "链接断裂（插入或重排）",
    "mac": "内容被篡改",
    "checkpoint": "与检查点不符（最新事件被删除或改写）",
    "head": "链头记录与事件不符",
}


@app.command("verify")
def verify(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json"),
    no_checkpoint: bool = typer.Option(False, "--no-checkpoint"),
) -> None:
    """Verify every event; exit 1 naming the first bad one."""
    st = state(ctx)
    report = audit.verify(st.hl, use_checkpoint=not no_checkpoint)
    if as_json:
        emit_json(report)
    elif report.ok:
        line(f"审计链完整：{report.checked} 条事件，链头 {report.head_seq}")
    else:
        reason = REASONS_ZH.get(report.reason or "", report.reason)
        error(
            f"审计链校验失败：第 {report.bad_seq} 条事件 — {reason}"
            f"（{report.reason}: {report.detail}）"
        )
    if not report.ok:
        raise typer.Exit(1)


@app.command("checkpoint")
def checkpoint(ctx: typer.Context) -> None:
    """Record the chain head outside the database (detects deletion of the newest events)."""
    st = state(ctx)
    record = audit.checkpoint(st.hl)
    line(f"检查点：第 {record.seq} 条 {record.mac[:16]}… → {record.path}")
