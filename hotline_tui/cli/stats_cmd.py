"""``hotline stats rebuild``: the measures' roll-up recomputed from the orders and their events.

Without ``--from``/``--to`` every cell is recomputed (the scheduler's minute update takes in
what changes meanwhile); with them, the orders registered on those days, wherever their figures
fall. Changing the excluded categories or the targets needs no rebuild: they apply when the
figures are read.
"""

from __future__ import annotations

from datetime import datetime

import typer

from hotline_tui.cli.output import emit_json, line
from hotline_tui.cli.state import state
from hotline_tui.services.stats import rollup

app = typer.Typer(help="指标汇总：从工单与审计事件重算每日指标汇总。", no_args_is_help=True)
DATE = ["%Y-%m-%d"]


@app.command("rebuild")
def rebuild(
    ctx: typer.Context,
    first: datetime | None = typer.Option(
        None, "--from", formats=DATE, help="只重算此日起受理的工单"
    ),
    last: datetime | None = typer.Option(
        None, "--to", formats=DATE, help="只重算此日前（含）受理的工单"
    ),
    batch: int = typer.Option(rollup.ORDER_BATCH, "--batch", min=1, max=10_000, help="每批工单数"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """重算指标汇总：按批从工单及其审计事件重算，显示进度。"""
    st = state(ctx)
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if not as_json and (percent // 10 != shown[0] or done == total):
            shown[0] = percent // 10
            typer.echo(f"已重算 {done}/{total} 件工单（{percent}%）", err=True)

    report = rollup.rebuild(
        st.hl,
        first=first.date() if first else None,
        last=last.date() if last else None,
        batch=batch,
        progress=progress,
    )
    if as_json:
        emit_json(report)
    else:
        line(
            f"指标汇总已重算：{report.orders} 件工单，{report.batches} 批，"
            f"现有 {report.cells} 个汇总格"
        )
