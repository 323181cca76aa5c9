"""``hotline calendar import|show|alerts``: the working-day calendar (节假日安排).

A year is known from the built-in ``chinese-calendar`` data or from an imported file (JSON or
iCalendar, see :mod:`hotline_tui.domain.calendar_files`); a year that is neither is *missing*:
due times in it are provisional (Monday to Friday) until its notice is imported.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import typer

from hotline_tui.cli.output import emit_json, line, table
from hotline_tui.cli.state import state
from hotline_tui.domain.errors import ImportFailed
from hotline_tui.labels.errors import import_reason_in_words as in_words
from hotline_tui.services.reference import calendar_import
from hotline_tui.services.tickets import timelimits
from hotline_tui.services.tickets.timelimits import CalendarYearView

app = typer.Typer(help="节假日日历：导入一年的放假安排，查看已知年份。", no_args_is_help=True)

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
STATUS_ZH = {"created": "新增", "updated": "更新", "unchanged": "未变"}
ORIGIN_ZH = {"imported": "已导入", "builtin": "内置"}
JsonOpt = typer.Option(False, "--json", help="输出 JSON")


def notice_hint(year: int) -> str:
    """What to import for a missing year, in words (short lines: a narrow terminal)."""
    return f"请导入《国务院办公厅关于{year}年部分节假日安排的通知》（JSON 或 iCalendar 文件）"


IMPORT_COMMAND = "导入命令：hotline calendar import FILE"


def missing_words(year: int) -> list[str]:
    return [
        f"{year} 年的节假日安排尚未导入。",
        "该年内的截止时间暂按周一至周五计算，标为“暂定”，导入后自动重算。",
        notice_hint(year),
        IMPORT_COMMAND,
    ]


def _ranges(days: list[str]) -> list[tuple[date, date]]:
    """Consecutive dates joined into (first, last) ranges."""
    ranges: list[tuple[date, date]] = []
    for text in days:
        day = date.fromisoformat(text)
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def _day(day: date) -> str:
    return f"{day:%m-%d}（{WEEKDAYS_ZH[day.weekday()]}）"


@app.command("import")
def calendar_import_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="JSON 或 iCalendar（.ics）文件", dir_okay=False),
    year: int | None = typer.Option(
        None, "--year", min=1900, max=9999, help="只导入此年（多年份的 .ics 文件）"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """导入一年的节假日安排（放假日与调休上班日）；暂定的期限随之重算。"""
    st = state(ctx)
    try:
        result = calendar_import.import_calendar(st.hl, st.actor, file, year=year)
    except ImportFailed as exc:
        words = in_words(exc)
        if words is exc:
            raise
        raise words from exc
    if as_json:
        emit_json(result)
        return
    status = STATUS_ZH.get(result.status, result.status)
    line(
        f"{result.year} 年节假日安排导入完成（{status}）："
        f"放假 {result.holidays} 天，调休上班 {result.workdays} 天"
    )
    line(f"来源 {result.source}  SHA-256 {result.sha256}")
    if result.status != "unchanged":
        line(
            f"已重算暂定截止时间：承办记录 {result.assignments_recomputed} 条，"
            f"工单 {result.tickets_recomputed} 条"
        )


@app.command("show")
def calendar_show(
    ctx: typer.Context,
    year: int = typer.Argument(..., help="年份，如 2027", min=1900, max=9999),
    as_json: bool = JsonOpt,
) -> None:
    """显示一年的节假日安排，或说明该年缺失、需要导入什么."""
    st = state(ctx)
    view = timelimits.calendar_year(st.hl, st.actor, year)
    if as_json:
        emit_json({**_plain(view), "hint": notice_hint(year) if view.status == "missing" else None})
        return
    if view.status == "missing":
        for text in missing_words(year):
            line(text)
        return
    origin = ORIGIN_ZH.get(view.status, view.status)
    line(f"{year} 年节假日安排（{origin}）：来源 {view.source}")
    if view.imported_at is not None:
        line(f"导入 {view.imported_by}  {view.imported_at:%Y-%m-%d %H:%M} UTC")
    line(f"工作时间 {view.working_hours}（每个工作日 {view.day_hours:g} 小时）")
    rows: list[tuple[str, str, str]] = []
    for first, last in _ranges(view.holidays):
        days = (last - first).days + 1
        span = _day(first) if first == last else f"{_day(first)} 至 {_day(last)}"
        rows.append(("放假", span, f"{days} 天"))
    rows.extend(("调休上班", _day(d), "") for d in map(date.fromisoformat, view.workdays))
    table(["类别", "日期", "天数"], rows, title=f"{year} 年（放假 {len(view.holidays)} 天）")


def _plain(view: CalendarYearView) -> dict[str, object]:
    return {
        "year": view.year,
        "status": view.status,
        "source": view.source,
        "holidays": view.holidays,
        "workdays": view.workdays,
        "imported_at": view.imported_at.isoformat() if view.imported_at else None,
        "imported_by": view.imported_by,
        "working_hours": view.working_hours,
        "day_hours": view.day_hours,
    }


@app.command("alerts")
def calendar_alerts(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """缺失年份提醒：当年，以及每年十月起的下一年，尚未导入时提醒。"""
    st = state(ctx)
    alerts = timelimits.coverage_alerts(st.hl)
    if as_json:
        emit_json([{**_alert(a.year, a.reason), "hint": notice_hint(a.year)} for a in alerts])
        return
    if not alerts:
        line("今明两年的节假日安排均已具备")
        return
    for alert in alerts:
        line(_alert(alert.year, alert.reason)["message"])
        line("  " + notice_hint(alert.year))
    line(IMPORT_COMMAND)


def _alert(year: int, reason: str) -> dict[str, object]:
    when = "今年" if reason == "current" else "明年"
    message = f"{when}（{year} 年）的节假日安排尚未导入，该年的截止时间为暂定"
    return {"year": year, "reason": reason, "message": message}
