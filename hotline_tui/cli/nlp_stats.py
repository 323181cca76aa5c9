"""``hotline nlp stats``: how often the intake's suggestions were kept, per task and per way
(filled in, or offered first), over a period: the suggestions' real acceptance rate, counted
from the log the intake writes with each registration."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import typer

from hotline_tui.cli.output import emit_json, line, table
from hotline_tui.cli.state import state
from hotline_tui.labels.suggestions import TASK_NAMES, WAY_NAMES

__all__ = ["stats"]

DATE = ["%Y-%m-%d"]
DEFAULT_DAYS = 30


def _period(
    since: datetime | None, until: datetime | None, tz: str, now: datetime
) -> tuple[datetime, datetime]:
    """``[since, until]`` as days of the display zone → a half-open UTC interval; by default
    the last :data:`DEFAULT_DAYS` days up to now."""
    zone = ZoneInfo(tz)
    end = (until.replace(tzinfo=zone) + timedelta(days=1)) if until else now
    start = since.replace(tzinfo=zone) if since else end - timedelta(days=DEFAULT_DAYS)
    return start, end


def stats(
    ctx: typer.Context,
    since: datetime | None = typer.Option(
        None, "--since", formats=DATE, help="起始日期（含），默认 30 天前"
    ),
    until: datetime | None = typer.Option(
        None, "--until", formats=DATE, help="结束日期（含），默认至今"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """建议采纳率：各任务的建议（自动填写 / 推荐）中话务员保留的比例。"""
    from hotline_tui.services.suggestion_log import acceptance_between

    st = state(ctx)
    start, end = _period(since, until, st.settings.timezone, st.hl.now())
    found = acceptance_between(st.hl, st.actor, start, end)
    if as_json:
        emit_json(
            {
                "since": start.isoformat(),
                "until": end.isoformat(),
                "rows": [
                    {
                        "task": a.task,
                        "way": a.way,
                        "suggested": a.suggested,
                        "kept": a.kept,
                        "rate": a.rate,
                    }
                    for a in found
                ],
            }
        )
        return
    shown_end = end.astimezone(ZoneInfo(st.settings.timezone)) - timedelta(seconds=1)
    shown_start = start.astimezone(ZoneInfo(st.settings.timezone))
    line(f"建议采纳率 {shown_start:%Y-%m-%d} 至 {shown_end:%Y-%m-%d}")
    table(
        ["任务", "方式", "建议数", "采纳数", "采纳率"],
        [
            [
                TASK_NAMES[a.task],
                WAY_NAMES[a.way],
                a.suggested,
                a.kept,
                "—" if a.rate is None else f"{a.rate:.1%}",
            ]
            for a in found
        ],
    )
