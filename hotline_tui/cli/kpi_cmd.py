"""``hotline kpi``: the measures of DESIGN.md §5 for a period and a filter, from the roll-up.

Each rate with its numerator and denominator (and a Wilson 95% interval under 100), 环比 and
同比 beside it; grouped by department, category, area, request type, channel or period; as
words, ``--json`` or ``--csv``. ``--orders MEASURE`` lists the orders behind the numerator (or
``--side denominator``) for the same period and filter.
"""

from __future__ import annotations

import sys
from datetime import date, datetime

import typer

from hotline_tui.cli.choices import choice, choice_help
from hotline_tui.cli.kpi_output import (
    ORDERS_HEADER,
    csv_text,
    orders_heading,
    orders_json,
    orders_rows,
    report_csv,
    report_json,
    report_lines,
)
from hotline_tui.cli.output import emit_json, line, table
from hotline_tui.cli.state import state
from hotline_tui.domain.kpi import Period
from hotline_tui.services.stats.behind import orders_behind
from hotline_tui.services.stats.figures import KpiQuery, figures

DATE = ["%Y-%m-%d"]


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def kpi(
    ctx: typer.Context,
    period: Period = typer.Option(
        Period.MONTH,
        "--period",
        help="统计周期：日(day)、周(week)、月(month)、季度(quarter)、年(year)",
    ),
    first: datetime | None = typer.Option(
        None, "--from", formats=DATE, help="起始日期（含），默认本周期"
    ),
    last: datetime | None = typer.Option(
        None, "--to", formats=DATE, help="结束日期（含），默认同起始"
    ),
    dept: str | None = typer.Option(
        None, "--dept", help="单位代码（主办单位；签收、退单按承办单位）"
    ),
    category: str | None = typer.Option(None, "--category", help="分类代码（含其下级）"),
    area: str | None = typer.Option(None, "--area", help="区划代码（含其下级）"),
    request_type: str | None = typer.Option(
        None, "--type", help=choice_help("诉求类型", "request_type"), **choice("request_type")
    ),
    channel: str | None = typer.Option(None, "--channel", help="受理渠道代码"),
    caller_kind: str | None = typer.Option(
        None, "--caller-kind", help=choice_help("来电人", "caller_kind"), **choice("caller_kind")
    ),
    by: str | None = typer.Option(
        None,
        "--by",
        help="分组：单位(dept)、分类(category)、区划(area)、诉求类型(type)、渠道(channel)、周期(period)",
    ),
    orders: str | None = typer.Option(
        None, "--orders", help="列出某指标背后的工单：指标名或代码，如 超期率(overdue)"
    ),
    side: str = typer.Option(
        "numerator", "--side", help="--orders 列出分子(numerator)或分母(denominator)"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    as_csv: bool = typer.Option(False, "--csv", help="输出 CSV（UTF-8 带 BOM，防公式注入）"),
) -> None:
    """指标：各项指标的分子、分母、同比与环比，以及数字背后的工单。"""
    st = state(ctx)
    query = KpiQuery(
        period=period, first=_day(first), last=_day(last), dept=dept, category=category,
        area=area, request_type=request_type, channel=channel, caller_kind=caller_kind, by=by,
    )  # fmt: skip
    channels = st.settings.intake_channels
    if orders is not None:
        behind = orders_behind(st.hl, st.actor, query, orders, side)
        if as_json:
            emit_json(orders_json(behind))
        elif as_csv:
            sys.stdout.write(csv_text(ORDERS_HEADER, orders_rows(behind)))
        else:
            line(orders_heading(behind))
            if behind.orders:
                table(ORDERS_HEADER, orders_rows(behind))
        return
    report = figures(st.hl, st.actor, query)
    if as_json:
        emit_json(report_json(report, channels))
    elif as_csv:
        sys.stdout.write(report_csv(report, channels))
    else:
        for text in report_lines(report, channels):
            line(text)
