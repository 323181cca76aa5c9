"""The options ``hotline kpi`` and ``hotline hotspot`` share: the period and the filters of the
roll-up, declared once (typer's ``Annotated`` form), and the day a date option stands for."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from hotline_tui.cli.choices import choice, choice_help
from hotline_tui.domain.kpi import Period

__all__ = [
    "AreaOption",
    "CallerKindOption",
    "CategoryOption",
    "ChannelOption",
    "CsvOption",
    "FromOption",
    "JsonOption",
    "PeriodOption",
    "ToOption",
    "TypeOption",
    "day",
]

DATE = ["%Y-%m-%d"]

PeriodOption = Annotated[
    Period,
    typer.Option(
        "--period", help="统计周期：日(day)、周(week)、月(month)、季度(quarter)、年(year)"
    ),
]
FromOption = Annotated[
    datetime | None, typer.Option("--from", formats=DATE, help="起始日期（含），默认本周期")
]
ToOption = Annotated[
    datetime | None, typer.Option("--to", formats=DATE, help="结束日期（含），默认同起始")
]
CategoryOption = Annotated[str | None, typer.Option("--category", help="分类代码（含其下级）")]
AreaOption = Annotated[str | None, typer.Option("--area", help="区划代码（含其下级）")]
TypeOption = Annotated[
    str | None,
    typer.Option("--type", help=choice_help("诉求类型", "request_type"), **choice("request_type")),
]
ChannelOption = Annotated[str | None, typer.Option("--channel", help="受理渠道代码")]
CallerKindOption = Annotated[
    str | None,
    typer.Option(
        "--caller-kind", help=choice_help("来电人", "caller_kind"), **choice("caller_kind")
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON")]
CsvOption = Annotated[bool, typer.Option("--csv", help="输出 CSV（UTF-8 带 BOM，防公式注入）")]


def day(value: datetime | None) -> date | None:
    """The day a ``--from``/``--to`` option names."""
    return value.date() if value is not None else None
