"""``hotline status``: the database, the scheduler, the calendar, the audit trail at a glance.

Exit code 0 when all is well, 1 when something needs the administrator (the words say what),
so a monitoring check can run it too.
"""

from __future__ import annotations

from datetime import datetime

import typer

from hotline_tui.cli.output import emit_json, line, local_time
from hotline_tui.cli.state import state
from hotline_tui.labels import label
from hotline_tui.services.admin import status as status_service
from hotline_tui.services.admin.status import StatusReport

PROBLEMS_ZH = {
    "schema": "数据库结构不是最新版本：请运行 hotline db upgrade",
    "scheduler": "五分钟内没有时限扫描，也没有调度程序持有租约：请启动 hotline scheduler run",
    "jobs": "有调度任务最近一次运行失败（见日志）",
    "calendar": "节假日安排缺失：请导入（hotline calendar alerts）",
    "checkpoint": "还没有审计检查点：请运行 hotline audit checkpoint",
    "audit": "审计深度抽查发现工单与审计记录不符：请运行 hotline audit verify --deep",
}


def _ago(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "—"
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return f"{seconds} 秒前"
    if seconds < 7200:
        return f"{seconds // 60} 分钟前"
    if seconds < 172_800:
        return f"{seconds // 3600} 小时前"
    return f"{seconds // 86_400} 天前"


def _lines(report: StatusReport) -> list[str]:
    now = report.db_now
    out = [
        f"数据库：{report.backend}（{report.server_version}）{report.url}",
        f"结构版本：{report.revision}（最新 {report.head}）",
    ]
    if report.copy is not None:
        out.append(
            f"副本：{report.copy.note}（{report.copy.marked_by} 于 "
            f"{local_time(report.copy.marked_at)} 标记；可按 --now 演练）"
        )
    lease = report.lease
    if lease is None or lease.holder is None:
        out.append("调度程序：从未运行")
    else:
        live = "运行中" if lease.live else "已退出或租约已过期"
        until = local_time(lease.expires_at) if lease.expires_at else "—"
        out.append(
            f"调度程序：{lease.holder}（{live}，租约至 {until}，第 {lease.token} 任，"
            f"续约 {_ago(lease.renewed_at, now)}）"
        )
    scan = report.scan
    if scan is not None:
        taken = scan.result.get("taken", {})
        done = "，".join(f"{label('step', k)} {v}" for k, v in taken.items() if v) or "无新事项"
        as_of = local_time(scan.as_of) if scan.as_of else "—"
        out.append(
            f"最近扫描：{_ago(scan.finished_at, now)}（按 {as_of}，"
            f"{scan.duration_ms} ms，{'成功' if scan.ok else '失败'}）{done}"
        )
    for job in report.jobs:
        if job.name == "scan":
            continue
        out.append(
            f"  {label('job', job.name)}：{job.period or '—'} "
            f"{'成功' if job.ok else '失败'}（{_ago(job.finished_at, now)}）"
        )
    years = "，".join(
        f"{y} {'已知' if known else '缺失'}" for y, known in report.calendar_years.items()
    )
    out.append(f"节假日日历：{years}")
    for alert in report.calendar_alerts:
        out.append(f"  缺少 {alert['year']} 年的节假日安排（{alert['reason']}）")
    checkpoint = (
        f"第 {report.checkpoint_seq} 条，{_ago(report.checkpoint_at, now)}"
        if report.checkpoint_seq is not None
        else "无"
    )
    out.append(f"审计链：链头第 {report.audit_head} 条；检查点 {checkpoint}")
    index = report.kb_index
    if index is not None:
        host = index.get("host", "")
        if index.get("problem"):
            out.append(f"知识索引（本机 {host}）：无法读取 {index['problem']}")
        elif not index.get("built"):
            out.append(f"知识索引（本机 {host}）：尚未建立（hotline kb reindex）")
        else:
            out.append(
                f"知识索引（本机 {host}）：{index['documents']} 篇，至第 {index['mark_seq']} 条"
                f"变更，落后 {index['behind']} 条，更新于 {index['updated_at']}"
            )
    for problem in report.problems:
        out.append("注意：" + PROBLEMS_ZH.get(problem, problem))
    return out


def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """状态：数据库、调度租约与上次扫描、节假日日历、审计检查点。"""
    st = state(ctx)
    report = status_service.status(st.hl)
    if as_json:
        emit_json(report)
    else:
        for text in _lines(report):
            line(text)
    if report.problems:
        raise typer.Exit(1)
