"""What ``hotline kpi`` prints: the measures in words, as JSON, or as CSV for a spreadsheet.

Every rate is printed with its numerator and denominator, and with its Wilson 95% interval when
counted on fewer than 100. CSV is UTF-8 with a byte-order mark (so that a spreadsheet reads the
Chinese), and a text cell that begins with ``= + - @``, a tab or NUL is prefixed with ``'`` so
that it is never taken for a formula; the numbers are ours and written plainly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from rich.cells import cell_len

from hotline_tui.cli.output import local_time
from hotline_tui.domain.kpi import Kind, period_label
from hotline_tui.labels import label
from hotline_tui.services.stats.behind import OrdersBehind
from hotline_tui.services.stats.figures import Figure, KpiReport, KpiRow, Value

BY_ZH = {
    "dept": "单位",
    "category": "分类",
    "area": "区划",
    "type": "诉求类型",
    "channel": "渠道",
    "period": "周期",
}
PERIOD_ZH = {"day": "日", "week": "周", "month": "月", "quarter": "季度", "year": "年"}
NONE_ZH = {"dept": "（未派单）", "category": "（未分类）", "area": "（未填区划）"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\0")


def group_label(by: str | None, row: KpiRow, channels: Mapping[str, str]) -> str:
    if by in NONE_ZH and row.key == "0":
        return NONE_ZH[by]
    if by == "type":
        return label("request_type", row.key)
    if by == "channel":
        return channels.get(row.key, row.key)
    if by == "dept":
        return f"{row.key} {row.label}"
    return row.label


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def shown(value: Value) -> str:
    """A value with what it is counted from: ``62.5%（25/40，95%区间 47.0%–75.9%）``."""
    if value.kind is Kind.MEAN:
        mean = value.value
        return f"{'—' if mean is None else f'{mean:.2f}'}（{value.numerator}/{value.denominator}）"
    text = f"{_pct(value.value)}（{value.numerator}/{value.denominator}"
    interval = value.interval
    if interval is not None:
        text += f"，95%区间 {_pct(interval[0])}–{_pct(interval[1])}"
    return text + "）"


def difference(figure: Figure, other: Value) -> str:
    """The change against an earlier value: percentage points for rates."""
    now, before = figure.current.value, other.value
    if now is None or before is None:
        return "—"
    if figure.measure.kind is Kind.MEAN:
        return f"{now - before:+.2f}"
    return f"{(now - before) * 100:+.1f}个百分点"


def _target(figure: Figure) -> str:
    if figure.target is None:
        return ""
    sign = "≥" if figure.measure.higher_better else "≤"
    value = f"{figure.target:.2f}" if figure.measure.kind is Kind.MEAN else _pct(figure.target)
    return f"目标{sign}{value}"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def report_lines(report: KpiReport, channels: Mapping[str, str]) -> list[str]:
    period = PERIOD_ZH[report.period.value]
    by = f"，按{BY_ZH[report.by]}" if report.by else ""
    as_of = "尚未汇总（请运行调度程序或 hotline stats rebuild）" if report.as_of is None else (
        f"汇总至 {local_time(report.as_of)}"
    )  # fmt: skip
    out = [
        f"指标 {period_label(report.first, report.period)}（{report.first} 至 {report.last}，"
        f"按{period}{by}）；{as_of}",
        "环比：与上一周期比；同比：与上年同期比。",
    ]
    width = max(cell_len(f.measure.zh) for f in report.rows[0].figures) if report.rows else 0
    for row in report.rows:
        out.append("")
        out.append(f"【{group_label(report.by, row, channels)}】")
        for figure in row.figures:
            mom = difference(figure, figure.before)
            yoy = difference(figure, figure.last_year)
            out.append(
                f"  {_pad(figure.measure.zh, width)}  {shown(figure.current)}  "
                f"环比 {mom}  同比 {yoy}  {_target(figure)}".rstrip()
            )
        histogram = " ".join(
            f"{i if i < len(row.handovers) - 1 else f'{i}+'}:{n}"
            for i, n in enumerate(row.handovers)
            if n
        )
        out.append(f"  流转环节分布（办结工单数）：{histogram or '—'}")
    if not report.rows:
        out.append("（该区间没有数据）")
    return out


def value_json(value: Value) -> dict[str, Any]:
    return {
        "numerator": value.numerator,
        "denominator": value.denominator,
        "value": value.value,
        "interval": list(value.interval) if value.interval else None,
    }


def report_json(report: KpiReport, channels: Mapping[str, str]) -> dict[str, Any]:
    return {
        "period": report.period.value,
        "from": report.first.isoformat(),
        "to": report.last.isoformat(),
        "by": report.by,
        "as_of": report.as_of,
        "rows": [
            {
                "key": row.key,
                "label": group_label(report.by, row, channels),
                "handovers": list(row.handovers),
                "measures": [
                    {
                        "id": f.measure.id,
                        "name": f.measure.zh,
                        "name_en": f.measure.en,
                        "kind": f.measure.kind.value,
                        "higher_better": f.measure.higher_better,
                        "target": f.target,
                        **value_json(f.current),
                        "previous": value_json(f.before),
                        "last_year": value_json(f.last_year),
                    }
                    for f in row.figures
                ],
            }
            for row in report.rows
        ],
    }


def safe_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would take for a formula, made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a byte-order mark; text cells escaped (:func:`safe_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return "\ufeff" + buffer.getvalue()


REPORT_HEADER = (
    "分组", "名称", "起", "止", "指标代码", "指标", "分子", "分母", "值", "区间下限", "区间上限",
    "环比分子", "环比分母", "环比值", "同比分子", "同比分母", "同比值", "目标",
)  # fmt: skip


def report_csv(report: KpiReport, channels: Mapping[str, str]) -> str:
    rows = []
    for row in report.rows:
        for f in row.figures:
            low, high = f.current.interval or (None, None)
            first, last = row.days or (report.first, report.last)
            rows.append([
                row.key, group_label(report.by, row, channels), first.isoformat(),
                last.isoformat(), f.measure.id, f.measure.zh,
                f.current.numerator, f.current.denominator, _num(f.current.value), _num(low),
                _num(high), f.before.numerator, f.before.denominator, _num(f.before.value),
                f.last_year.numerator, f.last_year.denominator, _num(f.last_year.value),
                _num(f.target),
            ])  # fmt: skip
    return csv_text(REPORT_HEADER, rows)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


ORDERS_HEADER = ("工单号", "状态", "计入日期", "计数", "标题")


def orders_rows(behind: OrdersBehind) -> list[list[Any]]:
    return [
        [
            o.number,
            label("state", o.state),
            "、".join(d.isoformat() for d in o.days),
            o.count,
            o.title,
        ]
        for o in behind.orders
    ]


def orders_json(behind: OrdersBehind) -> dict[str, Any]:
    return {
        "measure": behind.measure.id,
        "name": behind.measure.zh,
        "side": behind.side,
        "from": behind.first.isoformat(),
        "to": behind.last.isoformat(),
        "total": behind.total,
        "orders": [
            {
                "number": o.number,
                "title": o.title,
                "state": o.state,
                "days": [d.isoformat() for d in o.days],
                "count": o.count,
            }
            for o in behind.orders
        ],
    }


def orders_heading(behind: OrdersBehind) -> str:
    m = behind.measure
    side = "分子" if behind.side == "numerator" else "分母"
    what = m.numerator_zh if behind.side == "numerator" else m.denominator_zh
    return (
        f"{m.zh}的{side}（{what}），{behind.first} 至 {behind.last}："
        f"{len(behind.orders)} 件工单，合计 {behind.total}"
    )
