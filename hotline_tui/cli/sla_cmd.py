"""``hotline sla list|set|delete|import|due``: the time-limit rules (限时规则) and due-time checks.

``set`` and ``list`` warn where an urgent (紧急) or critical (特急) order would get more time
than a normal one of the same type and category
(:mod:`hotline_tui.services.reference.sla_warnings`).

Limits are written ``5wd`` (working days), ``8wh`` (working hours), ``24h`` (hours) or ``15d``
(days). Times in and out are Beijing time (Asia/Shanghai), whatever the host's zone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from rich.text import Text

from hotline_tui.cli.calendar_cmd import IMPORT_COMMAND, WEEKDAYS_ZH, notice_hint
from hotline_tui.cli.output import emit_json, err_console, line, table
from hotline_tui.cli.state import state
from hotline_tui.domain.errors import ImportFailed
from hotline_tui.domain.workcal import SHANGHAI, parse_local_time
from hotline_tui.labels import code_of, label
from hotline_tui.labels.errors import import_reason_in_words as in_words
from hotline_tui.services.reference import sla_rules, sla_warnings
from hotline_tui.services.reference.sla_rules import RuleView
from hotline_tui.services.reference.sla_warnings import LimitWarning
from hotline_tui.services.tickets import timelimits

app = typer.Typer(
    help="限时规则：列出、设置、导入时限规则；计算截止时间。",
    no_args_is_help=True,
)

ANY_WORDS = {"全部": "any", "任意": "any", "*": "any"}
JsonOpt = typer.Option(False, "--json", help="输出 JSON")
COLUMNS = [
    "类型",
    "紧急",
    "分类代码",
    "派单",
    "签收",
    "退单",
    "办结",
    "延期",
    "回访",
    "预警",
    "分类",
]
LIMIT_HELP = "如 5wd（工作日）、8wh（工作小时）、24h（小时）、15d（自然日）；空串：继承"


def _local(moment: datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    return f"{local:%Y-%m-%d %H:%M}（{WEEKDAYS_ZH[local.weekday()]}）"


def _urgency_words(value: str) -> str:
    return "全部" if value == "any" else label("urgency", value)


def _type_words(value: str) -> str:
    return "全部类型" if value == "any" else label("request_type", value)


# ----------------------------------------------------------------------------------------- list


@app.command("list")
def sla_list(
    ctx: typer.Context,
    defaults: bool = typer.Option(False, "--defaults", help="同时列出内置默认规则"),
    as_json: bool = JsonOpt,
) -> None:
    """限时规则列表 (空白的时限继承上一级规则或内置默认)."""
    st = state(ctx)
    rules = sla_rules.list_rules(st.hl, st.actor, include_defaults=defaults)
    warnings = sla_warnings.limit_warnings(st.hl, st.actor)
    if as_json:
        emit_json(rules)
        warn_about(warnings)
        return
    table(
        COLUMNS,
        [_row(rule) for rule in rules],
        title=f"限时规则（{sum(not r.builtin for r in rules)} 条）",
    )
    if not rules:
        line("尚无自定义规则：全部使用内置默认（hotline sla list --defaults 查看）")
    warn_about(warnings)


def warn_about(warnings: list[LimitWarning]) -> None:
    """Each raised urgency that gives more time than a normal order, on stderr (the JSON on
    stdout stays the rules alone)."""
    for w in warnings:
        scope = f"{_type_words(w.request_type)}、{w.category_path or '全部分类'}"
        err_console.print(
            Text(
                f"注意：{scope}的{_urgency_words(w.urgency)}件{label('limit_kind', w.limit)}时限 "
                f"{w.raised} 长于一般件的 {w.normal}：紧急程度越高，时限应越短"
                f"（hotline sla set … --urgency {w.urgency} --{w.limit.replace('_', '-')} 改短，"
                "或 hotline sla delete 删除该规则）",
                style="yellow",
            ),
            soft_wrap=True,
        )


def _row(rule: RuleView) -> tuple[object, ...]:
    """One rule as a table row; the category's path goes last (it may be long)."""
    category = "（内置默认）" if rule.builtin else rule.category_path or "（全部分类）"
    warn = f"{rule.warn_fraction:.0%}" if rule.warn_fraction is not None else ""
    return (
        _type_words(rule.request_type),
        _urgency_words(rule.urgency),
        rule.category_code or "",
        rule.dispatch,
        rule.sign,
        rule.return_window,
        rule.complete,
        rule.extension_max,
        rule.visit,
        warn,
        category,
    )


# ------------------------------------------------------------------------------------------ set


@app.command("set")
def sla_set(
    ctx: typer.Context,
    request_type: str = typer.Argument(
        ..., help="诉求类型：咨询(consult)、投诉(complaint)……，全部(any)"
    ),
    category: str | None = typer.Option(None, "--category", help="分类代码（及其下级）；默认全部"),
    urgency: str | None = typer.Option(
        None, "--urgency", help="紧急程度：一般(normal)、紧急(urgent)、特急(critical)，全部(any)"
    ),
    dispatch: str | None = typer.Option(None, "--dispatch", help=f"派单时限，{LIMIT_HELP}"),
    sign: str | None = typer.Option(None, "--sign", help=f"签收时限，{LIMIT_HELP}"),
    return_window: str | None = typer.Option(None, "--return-window", help="可退单时限"),
    complete: str | None = typer.Option(None, "--complete", help=f"办结时限，{LIMIT_HELP}"),
    extension_max: str | None = typer.Option(None, "--extension-max", help="延期上限，如 10wd"),
    visit: str | None = typer.Option(None, "--visit", help="回访时限，如 1wd"),
    warn_fraction: str | None = typer.Option(
        None, "--warn", help="预警比例：剩余此比例时预警，如 0.2"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """设置一条限时规则 (只改给出的时限)."""
    st = state(ctx)
    given = {
        "dispatch": dispatch,
        "sign": sign,
        "return_window": return_window,
        "complete": complete,
        "extension_max": extension_max,
        "visit": visit,
    }
    kind = ANY_WORDS.get(request_type, code_of("request_type", request_type))
    level = ANY_WORDS.get(urgency or "", code_of("urgency", urgency) if urgency else urgency)
    rule = sla_rules.set_rule(
        st.hl,
        st.actor,
        kind,
        category=category,
        urgency=level,
        limits={k: v for k, v in given.items() if v is not None},
        warn_fraction=warn_fraction,
    )
    warnings = sla_warnings.limit_warnings(st.hl, st.actor, request_type=kind, category=category)
    if as_json:
        emit_json(rule)
        warn_about(warnings)
        return
    line(f"限时规则已保存（第 {rule.version} 版）：")
    table(
        COLUMNS,
        [_row(rule)],
    )
    warn_about(warnings)


# --------------------------------------------------------------------------------------- delete


@app.command("delete")
def sla_delete(
    ctx: typer.Context,
    request_type: str = typer.Argument(
        ..., help="诉求类型：咨询(consult)、投诉(complaint)……，全部(any)"
    ),
    category: str | None = typer.Option(None, "--category", help="分类代码；默认全部分类的规则"),
    urgency: str | None = typer.Option(
        None, "--urgency", help="紧急程度：一般(normal)、紧急(urgent)、特急(critical)；默认全部"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """删除一条限时规则 (其时限改由上一级规则或内置默认决定；记入审计)."""
    st = state(ctx)
    kind = ANY_WORDS.get(request_type, code_of("request_type", request_type))
    level = ANY_WORDS.get(urgency or "", code_of("urgency", urgency) if urgency else urgency)
    rule = sla_rules.delete_rule(st.hl, st.actor, kind, category=category, urgency=level)
    warnings = sla_warnings.limit_warnings(st.hl, st.actor, request_type=kind, category=category)
    if as_json:
        emit_json(rule)
        warn_about(warnings)
        return
    line("已删除限时规则：")
    table(COLUMNS, [_row(rule)])
    warn_about(warnings)


# --------------------------------------------------------------------------------------- import


@app.command("import")
def sla_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV 文件（UTF-8）", dir_okay=False),
    as_json: bool = JsonOpt,
) -> None:
    """导入限时规则：列为 request_type,category,urgency,dispatch,sign,return_window,complete,…"""
    st = state(ctx)
    try:
        result = sla_rules.import_rules(st.hl, st.actor, file)
    except ImportFailed as exc:
        words = in_words(exc)
        if words is exc:
            raise
        raise words from exc
    if as_json:
        emit_json(result)
        return
    line(f"限时规则导入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
    line(f"文件 {result.file}  SHA-256 {result.sha256}")


# ------------------------------------------------------------------------------------------ due


@app.command("due")
def sla_due(
    ctx: typer.Context,
    start: str = typer.Option(..., "--from", help='起算时间（北京时间），如 "2025-09-30 16:00"'),
    limit: str = typer.Option(..., "--limit", help="时限，如 2wd、8wh、24h"),
    working_hours: str | None = typer.Option(
        None, "--hours", help="工作时间，如 09:00-17:00（默认取设置）"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """计算截止时间（供管理员核对规则）。"""
    st = state(ctx)
    moment = parse_local_time(start, field="from")
    preview = timelimits.due_preview(st.hl, st.actor, moment, limit, working_hours)
    due_local = preview.due_at.astimezone(SHANGHAI)
    if as_json:
        emit_json(
            {
                "from": preview.start.astimezone(SHANGHAI).isoformat(),
                "clock_start": preview.clock_start.astimezone(SHANGHAI).isoformat(),
                "limit": preview.limit,
                "working_hours": preview.working_hours,
                "day_hours": preview.day_hours,
                "due": due_local.isoformat(),
                "due_utc": preview.due_at.isoformat(),
                "weekday": WEEKDAYS_ZH[due_local.weekday()],
                "provisional": preview.provisional,
                "missing_years": preview.missing_years,
            }
        )
        return
    line(f"起算 {_local(preview.start)}  时限 {preview.limit}")
    line(f"工作时间 {preview.working_hours}（每个工作日 {preview.day_hours:g} 小时）")
    if preview.clock_start != preview.start:
        line(f"计时开始 {_local(preview.clock_start)}（下一个工作时刻）")
    line(f"截止 {_local(preview.due_at)}" + ("  暂定" if preview.provisional else ""))
    for year in preview.missing_years:
        line(f"暂定：{year} 年的节假日安排尚未导入，按周一至周五计算，导入后重算。")
        line(notice_hint(year))
        line(IMPORT_COMMAND)
