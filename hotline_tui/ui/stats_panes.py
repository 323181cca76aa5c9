"""The 统计 mode's four panes as tables of cells (:mod:`hotline_tui.ui.stats_draw`), built from
the services' reports: the measures (tiles), the department league, the hotspot heat table and
the hour-of-week table. Every number a user can put the cursor on carries what Enter lists.
Pure: the reports come from a worker (:mod:`hotline_tui.ui.stats_gateway`)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hotline_tui.domain.kpi import MEASURES, Kind, Measure, change
from hotline_tui.ui.i18n import tr
from hotline_tui.ui.stats_draw import (
    BLOCKS,
    LEVEL_STYLES,
    Behind,
    Cell,
    Row,
    Table,
    level,
    level_ranges,
    line_width,
    sparkline,
)

if TYPE_CHECKING:
    from hotline_tui.services.stats.figures import Figure, KpiReport, KpiRow, Value
    from hotline_tui.services.stats.heat import Heat
    from hotline_tui.services.stats.hotspot_orders import HourTable

__all__ = ["LEAGUE_WINDOW", "heat_table", "hour_table", "league_table", "number", "tile_table"]

NAME, VALUE, MARK, COUNT, TARGET, BEFORE = 16, 7, 4, 6, 7, 7
DEPT, MEASURE_CELL = 12, 8
NO_DEPT = "0"  # the roll-up's department of orders not dispatched (answered directly)
LEAGUE_WINDOW = 7  # measures side by side in 80 columns; the window follows the cursor
HEAT_ROWS = HEAT_COLS = 8
CAT, HEAT_CELL = 10, 6
DAY, HOUR_CELL = 4, 2


def number(value: Value) -> str:
    """A measure's value: a percentage, or a mean with two decimals; — when nothing counted."""
    v = value.value
    if v is None:
        return "—"
    return f"{v * 100:.1f}%" if value.kind is Kind.RATE else f"{v:.2f}"


def _target(m: Measure, target: float | None) -> str:
    if target is None:
        return ""
    sign = "≥" if m.higher_better else "≤"
    return f"{sign}{target * 100:.1f}%" if m.kind is Kind.RATE else f"{sign}{target:.2f}"


def _mark(f: Figure) -> Cell:
    v = f.current.value
    if v is None or f.target is None:
        return Cell("", MARK)
    good = v >= f.target if f.measure.higher_better else v <= f.target
    return (
        Cell(tr("stats.better"), MARK, style="green")
        if good
        else Cell(tr("stats.worse"), MARK, style="bold red")
    )


def _before(f: Figure) -> str:
    delta = change(f.current.value, f.before.value)
    if delta is None:
        return "—"
    return f"{delta * 100:+.1f}" if f.measure.kind is Kind.RATE else f"{delta:+.2f}"


def _filled(cells: list[Cell], width: int) -> Row:
    """``cells`` with a blank cell at the end, so the row is ``width`` wide."""
    room = width - line_width(tuple(cells)) - 1
    return (*cells, Cell("", room)) if room >= 0 else tuple(cells)


def _empty(header: Row) -> Table:
    width = line_width(header)
    return Table((header,), ((Cell(tr("stats.empty"), width),),))


# ---------------------------------------------------------------- tiles


def tile_table(report: KpiReport, trend: KpiReport | None) -> Table:
    """One line per measure: value, mark against the target, numerator / denominator (each a
    number Enter opens), target, 环比, and the last 12 periods."""
    header: Row = (
        Cell(tr("stats.col.measure"), NAME), Cell(tr("stats.col.value"), VALUE, ">"),
        Cell(tr("stats.col.mark"), MARK), Cell(tr("stats.numerator"), COUNT, ">"), Cell("/", 1),
        Cell(tr("stats.denominator"), COUNT), Cell(tr("stats.col.target"), TARGET, ">"),
        Cell(tr("stats.col.before"), BEFORE, ">"), Cell(tr("stats.col.trend"), 12),
    )  # fmt: skip
    if not report.rows:
        return _empty(header)
    history: dict[str, list[float | None]] = defaultdict(list)
    for row in trend.rows if trend is not None else ():
        for f in row.figures:
            history[f.measure.id].append(f.current.value)
    body = tuple(_tile(f, history.get(f.measure.id, [])) for f in report.rows[0].figures)
    return Table((header,), body)


def _tile(f: Figure, history: Sequence[float | None]) -> Row:
    m = f.measure
    num, den = f.current.numerator, f.current.denominator
    detail = tr("stats.tile_detail", name=m.zh, numerator=m.numerator_zh, num=num,
                denominator=m.denominator_zh, den=den)  # fmt: skip
    return (
        Cell(m.zh, NAME),
        Cell(number(f.current), VALUE, ">", "bold"),
        _mark(f),
        Cell(str(num), COUNT, ">", behind=Behind("measure", m.zh, m.id, "numerator"),
             detail=detail),
        Cell("/", 1),
        Cell(str(den), COUNT, behind=Behind("measure", m.zh, m.id, "denominator"),
             detail=detail),
        Cell(_target(m, f.target), TARGET, ">"),
        Cell(_before(f), BEFORE, ">"),
        Cell(sparkline(history), 12),
    )  # fmt: skip


# ---------------------------------------------------------------- league


def _sort_value(row: KpiRow, index: int) -> float | None:
    return row.figures[index].current.value


def league_table(report: KpiReport, sort: int, reverse: bool, window: int) -> Table:
    """Departments × measures ``window`` … ``window + LEAGUE_WINDOW``; sorted by measure
    ``sort`` (largest first; ``reverse``: smallest first; -1: by name), a period with no value
    last."""
    shown = MEASURES[window : window + LEAGUE_WINDOW]
    arrow = "↑" if reverse else "↓"  # a measure: largest first unless reversed
    header: Row = (
        Cell(tr("stats.col.dept") + (("↓" if reverse else "↑") if sort < 0 else ""), DEPT),
        *(
            Cell(tr(f"stats.short.{m.id}") + (arrow if MEASURES.index(m) == sort else ""),
                 MEASURE_CELL, ">")
            for m in shown
        ),
    )  # fmt: skip
    rows = list(report.rows)
    if sort < 0:
        rows.sort(key=lambda r: r.label, reverse=reverse)
    else:
        present = [r for r in rows if _sort_value(r, sort) is not None]
        missing = [r for r in rows if _sort_value(r, sort) is None]
        present.sort(key=lambda r: _sort_value(r, sort) or 0.0, reverse=not reverse)
        rows = present + missing
    if not rows:
        return _empty(header)
    body = tuple(
        (
            Cell(_dept_label(row), DEPT),
            *(_league_cell(row, row.figures[MEASURES.index(m)]) for m in shown),
        )
        for row in rows
    )
    return Table((header,), body)


def _dept_label(row: KpiRow) -> str:
    return tr("stats.no_dept") if row.key == NO_DEPT else row.label


def _league_cell(row: KpiRow, f: Figure) -> Cell:
    m = f.measure
    if row.key == NO_DEPT:  # not dispatched: no department to list the orders of
        return Cell(number(f.current), MEASURE_CELL, ">", _mark(f).style)
    detail = tr("stats.league_detail", dept=row.label, name=m.zh, num=f.current.numerator,
                den=f.current.denominator)  # fmt: skip
    style = _mark(f).style
    behind = Behind("measure", f"{row.label} · {m.zh}", m.id, "numerator", dept=row.key)
    return Cell(number(f.current), MEASURE_CELL, ">", style, behind, detail)


# ---------------------------------------------------------------- heat


def _legend(label: str, label_width: int, top: int, width: int) -> Row:
    """The levels' chips, each in its level's colour with its range of counts, sharing the
    table's width (a narrow table cuts them with an ellipsis rather than grow)."""
    ranges = level_ranges(top)
    if not ranges:
        return (Cell(label, width),)
    share = (width - label_width) // len(ranges) - 1
    chips = [Cell(label, label_width)]
    for k, low, high in ranges:
        text = str(low) if low == high else f"{low}–{high}"
        chips.append(Cell(text, max(1, share), "^", LEVEL_STYLES[k]))
    while len(chips) > 1 and line_width(tuple(chips)) > width:
        chips.pop()
    return _filled(chips, width)


def heat_table(report: Heat) -> Table:
    """The top 8 level-1 categories × the top 8 areas by intake: each count printed, on its
    level's colour; a total per category; the levels' legend below."""
    cats = report.categories[:HEAT_ROWS]
    areas = report.areas[:HEAT_COLS]
    header: Row = (
        Cell(tr("stats.col.category"), CAT), Cell(tr("stats.col.total"), HEAT_CELL, ">"),
        *(Cell(a.brief, HEAT_CELL, ">") for a in areas),
    )  # fmt: skip
    if not cats:
        return _empty(header)
    counts = report.counts
    totals: dict[int, int] = defaultdict(int)
    for (cat_id, _area), n in counts.items():
        totals[cat_id] += n
    top = max((counts.get((c.id, a.id), 0) for c in cats for a in areas), default=0)
    body = []
    for cat in cats:
        cells = [Cell(cat.brief, CAT), Cell(str(totals[cat.id]), HEAT_CELL, ">")]
        for area in areas:
            n = counts.get((cat.id, area.id), 0)
            label = f"{cat.brief} × {area.brief}"
            detail = tr("stats.heat_detail", category=cat.name, area=area.name, n=n)
            behind = Behind("cell", label, category=cat.code, area=area.code,
                            area_level=report.area_level)  # fmt: skip
            cells.append(Cell(str(n) if n else "·", HEAT_CELL, ">",
                              LEVEL_STYLES[level(n, top)], behind, detail))  # fmt: skip
        body.append(tuple(cells))
    width = line_width(header)
    return Table((header,), tuple(body), (_legend(tr("stats.legend"), CAT, top, width),))


# ---------------------------------------------------------------- hours


def _hour_text(n: int, top: int) -> str:
    if not n:
        return "·"
    if top <= 99:
        return str(n)
    return BLOCKS[max(0, math.ceil(n * len(BLOCKS) / top) - 1)] * HOUR_CELL


def hour_table(table: HourTable) -> Table:
    """Weekday × hour: the count where every count has two digits at most, else a block of
    its height; the level's colour; the cell's number on the line below the table."""
    header: Row = (
        Cell(tr("stats.col.day"), DAY),
        *(Cell(str(h), HOUR_CELL, ">") for h in range(24)),
    )
    top = max((n for row in table.counts for n in row), default=0)
    body = []
    for day, counts in enumerate(table.counts):
        name = tr(f"stats.weekday.{day}")
        cells = [Cell(name, DAY)]
        for hour, n in enumerate(counts):
            detail = tr("stats.hour_detail", day=name, hour=hour, n=n, total=table.total)
            behind = Behind(
                "hour", tr("stats.hour_label", day=name, hour=hour), weekday=day, hour=hour
            )
            cells.append(Cell(_hour_text(n, top), HOUR_CELL, ">", LEVEL_STYLES[level(n, top)],
                              behind, detail))  # fmt: skip
        body.append(tuple(cells))
    width = line_width(header)
    return Table((header,), tuple(body), (_legend(tr("stats.legend"), DAY, top, width),))
