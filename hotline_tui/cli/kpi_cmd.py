"""``hotline kpi``: the measures of DESIGN.md §5 for a period and a filter, from the roll-up.

Each rate with its numerator and denominator (and a Wilson 95% interval under 100), 环比 and
同比 beside it; grouped by department, category, area, request type, channel or period; as
words, ``--json`` or ``--csv``. ``--orders MEASURE`` lists the orders behind the numerator (or
``--side denominator``) for the same period and filter.
"""

from __future__ import annotations

import sys

import typer

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
from hotline_tui.domain.kpi import Period
from hotline_tui.services.stats.behind import orders_behind
from hotline_tui.services.stats.figures import KpiQuery, figures


def kpi(
    ctx: typer.Context,
    period: PeriodOption = Period.MONTH,
    first: FromOption = None,
    last: ToOption = None,
    dept: str | None = typer.Option(
        None, "--dept", help="单位代码（主办单位；签收、退单按承办单位）"
    ),
    category: CategoryOption = None,
    area: AreaOption = None,
    request_type: TypeOption = None,
    channel: ChannelOption = None,
    caller_kind: CallerKindOption = None,
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
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """指标：各项指标的分子、分母、同比与环比，以及数字背后的工单。"""
    st = state(ctx)
    query = KpiQuery(
        period=period, first=day(first), last=day(last), dept=dept, category=category,
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
