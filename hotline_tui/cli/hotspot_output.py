"""What ``hotline hotspot`` prints: tables drawn by hand to fit 80 columns with Chinese labels
(every cell padded by its display width), JSON, or CSV through ``hotline kpi``'s writer (BOM,
formula-escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len

from hotline_tui.cli.kpi_output import PERIOD_ZH, csv_text
from hotline_tui.cli.output import local_time
from hotline_tui.domain.kpi import period_label
from hotline_tui.labels import label
from hotline_tui.services.stats.hotspot import HotCell, HotspotReport, Node
from hotline_tui.services.stats.hotspot_orders import CellOrders, HourTable

WIDTH = 80
LABEL = 12  # the row label's column (a category's short name)
COLUMN = 7  # one area's column
CODE_MAX = 12  # a category's code (the demo's are 11 characters); longer ones are cut
AREA_CODE_MAX = 8
PAIR_NAME = 16  # the lists of cells: a category's name, then an area's
PAIR_AREA = 12
CELL_HINT = "格内工单：hotline hotspot --orders --cell 分类代码,区划代码"
ROWS_MAX = 40
LIST_MAX = 20
LEVEL_ZH = {1: "一级分类", 2: "二级分类", 3: "三级分类"}
AREA_ZH = {"district": "区县", "street": "街道"}
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
DASH = "—"


def fit(text: str, width: int) -> str:
    """``text`` cut (with …) and padded to exactly ``width`` display cells."""
    if cell_len(text) > width:
        while text and cell_len(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - cell_len(text))


def right(text: str, width: int) -> str:
    return " " * max(0, width - cell_len(text)) + text


def _num(value: float | None, digits: int = 1) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def heading(report: HotspotReport) -> list[str]:
    period = PERIOD_ZH[report.period.value]
    as_of = "尚未汇总（请运行调度程序或 hotline stats rebuild）" if report.as_of is None else (
        f"汇总至 {local_time(report.as_of)}"
    )  # fmt: skip
    return [
        f"热点 {period_label(report.first, report.period)}（{report.first} 至 {report.last}，"
        f"按{period}）：{LEVEL_ZH[report.level]} × {AREA_ZH[report.area_level]}",
        as_of,
    ]


def _code_width(codes: Sequence[str], cap: int) -> int:
    return min(max((len(c) for c in codes), default=1), cap)


def matrix_lines(report: HotspotReport, rate: bool) -> list[str]:
    """Categories × the areas with the most intake: counts, or per 10,000 residents. The
    categories' codes lead the rows and the areas' codes stand under their names, so that
    ``--orders --cell CATEGORY,AREA`` can be typed from the table."""
    shown = report.categories[:ROWS_MAX]
    code = _code_width([c.code for c in shown], CODE_MAX)
    lead = code + 1 + LABEL
    room = (WIDTH - lead - 1 - COLUMN) // (COLUMN + 1)
    areas = report.areas[:room]
    out = heading(report)
    if rate:
        out.append("每万人工单数（区划无人口数的显示 —；合计列为工单数）")
    if len(report.areas) > len(areas):
        out.append(f"仅列出工单最多的 {len(areas)} 个区划（共 {len(report.areas)} 个）")
    if not report.cells:
        return [*out, "（该区间没有数据）"]
    by_cell = {(c.category.id, c.area.id): c for c in report.cells}
    out.append(
        fit("代码", code) + " " + fit("分类", LABEL) + " " + right("合计", COLUMN)
        + "".join(" " + right(fit(a.brief, COLUMN).rstrip(), COLUMN) for a in areas)
    )  # fmt: skip
    out.append(
        right("区划代码", lead + 1 + COLUMN)
        + "".join(" " + right(fit(a.code, COLUMN).rstrip(), COLUMN) for a in areas)
    )  # fmt: skip
    for category in shown:
        cells = [by_cell.get((category.id, a.id)) for a in areas]
        total = sum(c.count for c in report.cells if c.category.id == category.id)
        values = [_cell_text(c, a.population, rate) for c, a in zip(cells, areas, strict=True)]
        out.append(
            fit(category.code, code) + " " + fit(category.brief, LABEL) + " "
            + right(str(total), COLUMN) + "".join(" " + right(v, COLUMN) for v in values)
        )  # fmt: skip
    if len(report.categories) > ROWS_MAX:
        out.append(f"仅列出工单最多的 {ROWS_MAX} 个分类（共 {len(report.categories)} 个）")
    out.append(CELL_HINT)
    return out


def _cell_text(c: HotCell | None, population: int | None, rate: bool) -> str:
    if rate:
        if not population:
            return DASH
        return _num(c.rate if c is not None else 0.0, 2)
    return str(c.count) if c is not None and c.count else "·"


def _pair_widths(pairs: Sequence[tuple[Node, Node]]) -> tuple[int, int]:
    return (
        _code_width([c.code for c, _ in pairs], CODE_MAX),
        _code_width([a.code for _, a in pairs], AREA_CODE_MAX),
    )


def _pair(category: Node, area: Node, widths: tuple[int, int]) -> str:
    """A cell's category and area, each code before its name."""
    return (
        f"{fit(category.code, widths[0])} {fit(category.name, PAIR_NAME)} "
        f"{fit(area.code, widths[1])} {fit(area.name, PAIR_AREA)}"
    )


def _pair_head(widths: tuple[int, int]) -> str:
    return (
        f"{fit('代码', widths[0])} {fit('分类', PAIR_NAME)} "
        f"{fit('代码', widths[1])} {fit('区划', PAIR_AREA)}"
    )


def excess_lines(report: HotspotReport) -> list[str]:
    cells = sorted(report.cells, key=lambda c: (-c.excess, c.category.code, c.area.code))
    shown = cells[:LIST_MAX]
    widths = _pair_widths([(c.category, c.area) for c in shown])
    out = [*heading(report), "超出基线（基线：各日为前 8 周同一星期几的均值，区间内相加）"]
    out.append(f"{_pair_head(widths)} {right('工单', 6)} {right('基线', 8)} {right('超出', 8)}")
    for c in shown:
        out.append(
            f"{_pair(c.category, c.area, widths)} {right(str(c.count), 6)} "
            f"{right(_num(c.baseline), 8)} {right(f'{c.excess:+.1f}', 8)}"
        )
    if len(cells) > LIST_MAX:
        out.append(f"仅列出超出最多的 {LIST_MAX} 格（共 {len(cells)} 格）")
    if shown:
        out.append(CELL_HINT)
    return out


def movers_lines(report: HotspotReport) -> list[str]:
    first, last = report.week
    widths = _pair_widths([m.key for m in report.movers])
    out = [*heading(report), f"本周上升最多（{first} 至 {last}，与前 7 天比）"]
    out.append(f"{_pair_head(widths)} {right('本周', 5)} {right('前周', 5)} "
               f"{right('增加', 5)} {right('增幅', 6)}")  # fmt: skip
    for m in report.movers:
        category, area = m.key
        share = "新增" if m.relative is None else f"{m.relative * 100:+.0f}%"
        out.append(
            f"{_pair(category, area, widths)} {right(str(m.now), 5)} "
            f"{right(str(m.before), 5)} {right(f'{m.change:+d}', 5)} {right(share, 6)}"
        )
    if not report.movers:
        out.append("（没有上升的格）")
    else:
        out.append(CELL_HINT)
    return out


def hours_lines(table: HourTable) -> list[str]:
    """7 × 24: one row per weekday; two blocks of 12 hours when the counts are too wide."""
    top = max((max(r) for r in table.counts), default=0)
    width = max(2, len(str(top))) + 1
    blocks = [range(24)] if 4 + 24 * width <= WIDTH else [range(12), range(12, 24)]
    out = [f"受理时段（{table.first} 至 {table.last}，北京时间，共 {table.total} 件）"]
    for hours in blocks:
        out.append("    " + "".join(right(str(h), width) for h in hours))
        for day, row in zip(WEEKDAYS, table.counts, strict=True):
            out.append(day + "".join(right(str(row[h]) if row[h] else "·", width) for h in hours))
    return out


def _cell_json(c: HotCell) -> dict[str, Any]:
    return {
        "category": c.category.code, "category_name": c.category.name,
        "area": c.area.code, "area_name": c.area.name, "population": c.area.population,
        "count": c.count, "per_10k": c.rate, "baseline": round(c.baseline, 4),
        "excess": round(c.excess, 4),
    }  # fmt: skip


def report_json(report: HotspotReport) -> dict[str, Any]:
    return {
        "period": report.period.value,
        "from": report.first.isoformat(),
        "to": report.last.isoformat(),
        "level": report.level,
        "area_level": report.area_level,
        "as_of": report.as_of,
        "cells": [_cell_json(c) for c in report.cells],
        "week": [d.isoformat() for d in report.week],
        "movers": [
            {
                "category": m.key[0].code,
                "area": m.key[1].code,
                "now": m.now,
                "before": m.before,
                "change": m.change,
                "relative": m.relative,
            }
            for m in report.movers
        ],
    }


CELL_HEADER = ("分类代码", "分类", "区划代码", "区划", "人口", "工单数", "每万人", "基线", "超出")


def report_csv(report: HotspotReport) -> str:
    rows: list[Sequence[Any]] = [
        [c.category.code, c.category.name, c.area.code, c.area.name, c.area.population, c.count,
         _plain(c.rate), _plain(c.baseline), _plain(c.excess)]
        for c in report.cells
    ]  # fmt: skip
    return csv_text(CELL_HEADER, rows)


def _plain(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def hours_json(table: HourTable) -> dict[str, Any]:
    return {"from": table.first.isoformat(), "to": table.last.isoformat(),
            "weekdays": list(WEEKDAYS), "counts": [list(r) for r in table.counts]}  # fmt: skip


def hours_csv(table: HourTable) -> str:
    rows = [[day, *row] for day, row in zip(WEEKDAYS, table.counts, strict=True)]
    return csv_text(("星期", *(str(h) for h in range(24))), rows)


ORDERS_HEADER = ("工单号", "状态", "受理日期", "标题")


def orders_rows(found: CellOrders) -> list[list[Any]]:
    return [[o.number, label("state", o.state), o.day.isoformat(), o.title] for o in found.orders]


def orders_json(found: CellOrders) -> dict[str, Any]:
    return {
        "category": found.category.code, "area": found.area.code,
        "from": found.first.isoformat(), "to": found.last.isoformat(),
        "total": len(found.orders),
        "orders": [{"number": o.number, "title": o.title, "state": o.state,
                    "day": o.day.isoformat()} for o in found.orders],
    }  # fmt: skip


def orders_heading(found: CellOrders) -> str:
    return (
        f"{found.category.name} × {found.area.name}，{found.first} 至 {found.last} 受理："
        f"{len(found.orders)} 件工单"
    )
