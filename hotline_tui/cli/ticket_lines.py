"""What ``hotline ticket`` prints of an order: an action's outcome, the parts' windows and due
times, and the rows of a search (a page, or all of them batch by batch)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hotline_tui.cli.output import emit_json, line, local_time, table, to_json_text
from hotline_tui.cli.state import CliState
from hotline_tui.domain.clock import clock_runs
from hotline_tui.domain.moments import parse_local_day
from hotline_tui.domain.states import ENDED_ASSIGNMENT_STATES
from hotline_tui.labels import label
from hotline_tui.services.tickets import queries

if TYPE_CHECKING:
    from hotline_tui.services.tickets.intake import Registered
    from hotline_tui.services.tickets.part_windows import ExtensionOutcome
    from hotline_tui.services.tickets.views import TicketDetail, TicketSummary

__all__ = [
    "channel_label",
    "done",
    "due_label",
    "due_lines",
    "extension_line",
    "parse_day",
    "part_lines",
    "print_all",
    "results_table",
]


def done(result: Registered, as_json: bool) -> None:
    """Print an action's outcome: the order, its new state and version."""
    if as_json:
        emit_json(result)
    else:
        line(f"工单 {result.number}  状态 {label('state', result.state)}  版本 {result.version}")


def extension_line(result: ExtensionOutcome, *, asked: bool) -> str:
    """``延期 M01：本次批准 3 个工作日；累计已批准 3 个，上限 10 个，还可批准 7 个``."""
    now = f"本次申请 {result.days} 个工作日" if asked else f"本次批准 {result.days} 个工作日"
    return (
        f"延期 {result.dept}：{now}；累计已批准 {result.granted} 个，上限 {result.cap} 个，"
        f"还可批准 {result.left} 个（已申请 {result.requests}/{result.max_requests} 次）"
    )


def part_lines(detail: TicketDetail, tz: str, max_requests: int) -> list[str]:
    """Per open part: its return window's end (and whether a return was late), its extension
    room (granted, cap, left, requests) - what a return review and an extension decision weigh."""
    lines = []
    for a in detail.assignments:
        if a.state in ENDED_ASSIGNMENT_STATES or a.state == "done":
            continue
        window = local_time(a.return_due_at, tz) if a.return_due_at else "—"
        late = "（超时退单）" if a.return_late and a.state == "return_review" else ""
        lines.append(
            f"{a.dept} 退单时限 {window}{late}  延期 已批准 {a.extension_days_granted}/"
            f"{a.extension_cap} 个工作日，还可批准 {a.extension_left} 个，"
            f"已申请 {a.extension_requests}/{max_requests} 次"
        )
    return lines


def due_lines(detail: TicketDetail, tz: str) -> list[str]:
    """Per open part, the limits and due times that apply now (after an edit of the urgency)."""
    return [
        f"{a.dept} 办结时限 {a.time_limit or '—'}  签收期限 {local_time(a.sign_due_at, tz)}  "
        f"办结期限 {due_label(a.due_at, a.provisional, tz) or '—'}  "
        f"退单时限 {local_time(a.return_due_at, tz) if a.return_due_at else '—'}"
        for a in detail.assignments
        if clock_runs(a.state) and a.sign_due_at is not None
    ]


def due_label(at: datetime | None, provisional: bool, tz: str) -> str | None:
    """A due time in local time, marked 暂定 when the year's holiday calendar is missing."""
    if at is None:
        return None
    shown = local_time(at, tz)
    return f"{shown}（暂定）" if provisional else shown


def channel_label(channels: dict[str, str], code: str) -> str:
    """A channel as people say it (微信), its code when the setting no longer names it."""
    return channels.get(code, code)


def parse_day(value: str | None, tz: str, field: str) -> datetime | None:
    """Local midnight of a ``YYYY-MM-DD`` option, in UTC; ``field`` names it in an error."""
    if value is None:
        return None
    return parse_local_day(value, field=field, tz=ZoneInfo(tz))


def results_table(results: list[TicketSummary], channels: dict[str, str], tz: str) -> None:
    table(
        ["工单号", "状态", "类型/渠道", "受理时间", "办结期限", "电话", "内容"],
        [
            (
                r.number,
                label("state", r.state),
                f"{label('request_type', r.request_type)}/{channel_label(channels, r.channel)}",
                r.created_at,
                due_label(r.due_at, r.provisional, tz),
                r.contact_phone,
                r.description[:60],
            )
            for r in results
        ],
    )


def print_all(st: CliState, query: queries.FindQuery, as_json: bool) -> None:
    """Every matching order, written batch by batch as they are read (a JSON document whose
    ``results`` grow, or one table per batch), then how many there were."""
    total = 0
    if as_json:
        sys.stdout.write('{"results": [')
    for batch in queries.find_all(st.hl, st.actor, query):
        if as_json:
            for row in batch:
                sys.stdout.write(("," if total else "") + "\n  " + to_json_text(row))
                total += 1
        else:
            results_table(batch, st.settings.intake_channels, st.settings.timezone)
            total += len(batch)
        sys.stdout.flush()
    if as_json:
        sys.stdout.write(f'\n], "total": {total}, "more": false}}\n')
        return
    line(f"共 {total} 条（全部列出）")
