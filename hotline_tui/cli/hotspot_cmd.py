"""``hotline hotspot``: where the calls come from — category × area tables of intake from the
roll-up (counts, ``--rate`` per 10,000 residents, ``--excess`` over the series' own baseline),
``--movers N`` (the week's largest increases), ``--hours`` (the 7 × 24 hour-of-week table, from
the orders' registration times), and ``--orders --cell CATEGORY,AREA`` (the orders behind a
cell). The filters and outputs are ``hotline kpi``'s.
"""

from __future__ import annotations

import sys

import typer

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
from hotline_tui.cli.stats_options import (
    AreaOption,
    CallerKindOption,
    CategoryOption,
    ChannelOption,
    CsvOption,
    FromOption,
    JsonOption,
    PeriodOption,
    ToOption,
    TypeOption,
    day,
)
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.kpi import Period
from hotline_tui.services.stats.figures import KpiQuery
from hotline_tui.services.stats.hotspot import HotspotQuery, hotspot
from hotline_tui.services.stats.hotspot_orders import cell_orders, hours


def _cell(value: str | None) -> tuple[str, str]:
    parts = [p.strip() for p in (value or "").split(",")]
    if len(parts) != 2 or not all(parts):
        raise ValidationError("validation.hotspot_cell", field="cell", value=value or "")
    return parts[0], parts[1]


def hotspot_command(
    ctx: typer.Context,
    period: PeriodOption = Period.WEEK,
    first: FromOption = None,
    last: ToOption = None,
    dept: str | None = typer.Option(None, "--dept", help="主办单位代码"),
    category: CategoryOption = None,
    area: AreaOption = None,
    request_type: TypeOption = None,
    channel: ChannelOption = None,
    caller_kind: CallerKindOption = None,
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
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """热点：分类 × 区划的受理量、每万人、超出基线、本周上升与受理时段，以及格背后的工单。"""
    st = state(ctx)
    kpi = KpiQuery(
        period=period, first=day(first), last=day(last), dept=dept, category=category,
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
