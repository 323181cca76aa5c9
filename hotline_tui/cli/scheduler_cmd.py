"""``hotline scheduler run|notices``: the scheduler process and what it told people.

``run`` acts as the built-in ``system`` user (the audit trail also records the OS account that
started it), so like ``--as`` it is for root or the admin group (the site's service account);
it needs the database and the audit key.
``--once`` runs one tick (every due job once) and exits: for cron-style deployments and checks.
"""

from __future__ import annotations

import logging
from typing import Any

import typer

from hotline_tui.cli.output import emit_json, error, line, table
from hotline_tui.cli.state import state
from hotline_tui.domain.errors import PermissionDenied, ValidationError
from hotline_tui.domain.workcal import parse_local_time
from hotline_tui.labels import label
from hotline_tui.services.admin import copies
from hotline_tui.services.admin.users import system_actor
from hotline_tui.services.scheduling import jobs as scheduler
from hotline_tui.services.scheduling.lease import DEFAULT_LEASE_SECONDS
from hotline_tui.services.tickets import notices
from hotline_tui.trust import may_act_as_others, os_user

app = typer.Typer(help="调度：标记、催办、升级超期工单；每日任务。", no_args_is_help=True)

log = logging.getLogger("hotline.scheduler")


def describe_tick(report: scheduler.TickReport) -> list[str]:
    """A tick in words, one line per job run (or why nothing ran)."""
    if not report.held:
        holder = report.lease.holder if report.lease else "?"
        until = report.lease.expires_at if report.lease else None
        return [f"另一个调度程序持有租约：{holder}（至 {until}），本进程空闲"]
    lines = []
    for run in report.runs:
        name = label("job", run.name)
        state_zh = "完成" if run.ok else "失败"
        detail = _figures(run.result) if run.ok else str(run.result.get("error", ""))
        lines.append(f"{name} {state_zh} {run.duration_ms} ms {detail}".rstrip())
    return lines or ["无到期任务"]


def _figures(result: dict[str, Any]) -> str:
    taken = result.get("taken")
    if isinstance(taken, dict):
        done = [f"{label('step', k)} {v}" for k, v in taken.items() if v]
        return "，".join(done) if done else "无新事项"
    missing = result.get("missing")
    if isinstance(missing, list):
        years = "、".join(str(m.get("year")) for m in missing)
        return f"缺少 {years} 年的节假日安排" if missing else "已覆盖"
    return ", ".join(f"{k}={v}" for k, v in result.items() if not isinstance(v, dict | list))


@app.command("run")
def run(
    ctx: typer.Context,
    once: bool = typer.Option(False, "--once", help="运行一次所有到期任务后退出"),
    lease_seconds: float = typer.Option(
        DEFAULT_LEASE_SECONDS, "--lease-seconds", min=1.0, max=86_400.0, help="租约时长（秒）"
    ),
    tick_seconds: float | None = typer.Option(
        None, "--tick-seconds", hidden=True, min=0.5, max=3600.0
    ),
    now: str | None = typer.Option(
        None, "--now", hidden=True, help="演练：按给定时间运行（仅与 --once 一起，限副本数据库）"
    ),
    on_live: bool = typer.Option(
        False,
        "--now-on-live-database",
        hidden=True,
        help="在正式数据库上按 --now 运行（时间不得晚于数据库时钟；记录以该时间为准）",
    ),
    as_json: bool = typer.Option(False, "--json", help="--once 的结果输出 JSON"),
) -> None:
    """运行调度（每个数据库一个：第二个等待租约到期）。"""
    from hotline_tui.cli.handoffs import SchedulerRun, handoffs

    st = state(ctx)
    if not may_act_as_others(st.settings.admin_group):
        # It acts as the built-in system user: as acting for others, root or the admin group.
        raise PermissionDenied("permission.os_admin", os_user=os_user())
    hl = st.hl
    actor = system_actor(hl, os_user=os_user())
    if now is not None and not once:
        raise ValidationError("validation.now_needs_once", field="now")
    if once:
        at = parse_local_time(now, field="now") if now else None
        if at is not None:
            copies.check_drill(hl, at, on_live_database=on_live)
            if on_live:
                error(f"警告：正在正式数据库上按 {now} 运行调度，所做的一切都记为该时间")
        report = scheduler.run_once(hl, at, lease_seconds=lease_seconds, actor=actor)
        if as_json:
            emit_json(report)
        else:
            for text in describe_tick(report):
                line(text)
        return

    def on_tick(report: scheduler.TickReport) -> None:
        for text in describe_tick(report):
            log.info("%s", text)

    def announce(holder: str) -> None:
        line(f"调度程序 {holder} 启动（Asia/Shanghai；日志见 {st.settings.log_file}）")

    handoffs().run_scheduler(
        SchedulerRun(hl, actor, lease_seconds, tick_seconds, on_tick, announce)
    )
    line("调度程序已停止，租约已释放")


@app.command("notices")
def notices_cmd(
    ctx: typer.Context,
    after: int = typer.Option(0, "--after", min=0, max=2**63 - 1, help="只看此序号之后的通知"),
    limit: int = typer.Option(50, "--limit", min=1, max=100_000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """当前用户在控制台会看到的提醒（最早的在前）。"""
    st = state(ctx)
    found = notices.notices_since(st.hl, st.actor, after, limit=limit)
    if as_json:
        emit_json(found)
        return
    table(
        ["序号", "时间", "事项", "工单", "单位", "时限", "标题"],
        [
            (
                n.seq,
                n.at,
                label("step", n.step),
                n.number,
                n.dept or f"领导 {n.leader}",
                n.deadline,
                n.title,
            )
            for n in found
        ],
    )


@app.command("supervisions")
def supervisions_cmd(
    ctx: typer.Context,
    dept: str | None = typer.Option(None, "--dept"),
    limit: int = typer.Option(50, "--limit", min=1, max=100_000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """待回复的督办（承办单位只看本单位的；用 hotline ticket supervise-reply 回复）。"""
    st = state(ctx)
    found = notices.open_supervisions(st.hl, st.actor, dept=dept, limit=limit)
    if as_json:
        emit_json(found)
        return
    table(
        ["工单", "单位", "督办时间", "标题", "督办意见"],
        [(s.number, s.dept, s.created_at, s.title, s.note) for s in found],
    )
