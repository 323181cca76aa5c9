"""``hotline hotspot``: where the calls come from — category × area tables of intake from the
roll-up (counts, ``--rate`` per 10,000 residents, ``--excess`` over the series' own baseline),
``--movers N`` (the week's largest increases), ``--hours`` (the 7 × 24 hour-of-week table, from
the orders' registration times), and ``--orders --cell CATEGORY,AREA`` (the orders behind a
cell). The filters and outputs are ``hotline kpi``'s.
"""

from __future__ import annotations

import sys
from datetime import date, datetime

import typer

from hotline_tui.cli.choices import choice, choice_help
from hotline_tui.cli.hotspot_output import (
    ORDERS_HEADER,
    excess_lines,
    hours_csv,
    hours_json,
    hours_lines,
    matrix_lines,
    movers_lines,
    orders_heading,
    orders_json,
    orders_rows,
    report_csv,
    report_json,
)
from hotline_tui.cli.kpi_output import csv_text
from hotline_tui.cli.output import emit_json, line, table
from hotline_tui.cli.state import state
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.kpi import Period
from hotline_tui.services.stats.figures import KpiQuery
from hotline_tui.services.stats.hotspot import HotspotQuery, hotspot
from hotline_tui.services.stats.hotspot_orders import cell_orders, hours

DATE = ["%Y-%m-%d"]


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _cell(value: str | None) -> tuple[str, str]:
    parts = [p.strip() for p in (value or "").split(",")]
    if len(parts) != 2 or not all(parts):
        raise ValidationError("validation.hotspot_cell", field="cell", value=value or "")
    return parts[0], parts[1]


def hotspot_command(
    ctx: typer.Context,
    period: Period = typer.Option(
        Period.WEEK,
        "--period",
        help="统计周期：日(day)、周(week)、月(month)、季度(quarter)、年(year)",
    ),
    first: datetime | None = typer.Option(
        None, "--from", formats=DATE, help="起始日期（含），默认本周期"
    ),
    last: datetime | None = typer.Option(
        None, "--to", formats=DATE, help="结束日期（含），默认同起始"
    ),
    dept: str | None = typer.Option(None, "--dept", help="主办单位代码"),
    category: str | None = typer.Option(None, "--category", help="分类代码（含其下级）"),
    area: str | None = typer.Option(None, "--area", help="区划代码（含其下级）"),
    request_type: str | None = typer.Option(
        None, "--type", help=choice_help("诉求类型", "request_type"), **choice("request_type")
    ),
    channel: str | None = typer.Option(None, "--channel", help="受理渠道代码"),
    caller_kind: str | None = typer.Option(
        None, "--caller-kind", help=choice_help("来电人", "caller_kind"), **choice("caller_kind")
    ),
    level: int = typer.Option(1, "--level", min=1, max=3, help="分类层级：1、2、3"),
    area_level: str = typer.Option(
        "street", "--area-level", help="区划层级：区县(district)、街道(street)"
    ),
    rate: bool = typer.Option(False, "--rate", help="每万人工单数（区划有人口数时）"),
    excess: bool = typer.Option(False, "--excess", help="超出基线（前 8 周同一星期几的均值）"),
    movers: int = typer.Option(0, "--movers", min=0, help="本周上升最多的 N 格"),
    by_hour: bool = typer.Option(False, "--hours", help="7×24 受理时段表"),
    orders: bool = typer.Option(False, "--orders", help="列出 --cell 所指格的工单"),
    cell: str | None = typer.Option(None, "--cell", help="格：分类代码,区划代码（无则用 -）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    as_csv: bool = typer.Option(False, "--csv", help="输出 CSV（UTF-8 带 BOM，防公式注入）"),
) -> None:
    """热点：分类 × 区划的受理量、每万人、超出基线、本周上升与受理时段，以及格背后的工单。"""
    st = state(ctx)
    kpi = KpiQuery(
        period=period, first=_day(first), last=_day(last), dept=dept, category=category,
        area=area, request_type=request_type, channel=channel, caller_kind=caller_kind,
    )  # fmt: skip
    query = HotspotQuery(kpi, level, area_level, movers or 10)
    if orders or cell is not None:
        found = cell_orders(st.hl, st.actor, query, *_cell(cell))
        if as_json:
            emit_json(orders_json(found))
        elif as_csv:
            sys.stdout.write(csv_text(ORDERS_HEADER, orders_rows(found)))
        else:
            line(orders_heading(found))
            if found.orders:
                table(ORDERS_HEADER, orders_rows(found))
        return
    if by_hour:
        counts = hours(st.hl, st.actor, query)
        if as_json:
            emit_json(hours_json(counts))
        elif as_csv:
            sys.stdout.write(hours_csv(counts))
        else:
            for text in hours_lines(counts):
                line(text)
        return
    report = hotspot(st.hl, st.actor, query)
    if as_json:
        emit_json(report_json(report))
    elif as_csv:
        sys.stdout.write(report_csv(report))
    else:
        words = (
            movers_lines(report) if movers else
            excess_lines(report) if excess else matrix_lines(report, rate)
        )  # fmt: skip
        for text in words:
            line(text)
