"""``hotline ticket withdrawals`` and ``confirm-withdraw``: a dispatched order's 撤单 waits for a
dispatcher (:mod:`hotline_tui.services.tickets.withdrawal`); these list the requests and
confirm or reject one."""

from __future__ import annotations

import typer

from hotline_tui.cli.output import emit_json, line, table
from hotline_tui.cli.state import state
from hotline_tui.cli.ticket_act import act
from hotline_tui.cli.ticket_lines import done
from hotline_tui.cli.ticket_options import IF_VERSION, JSON, NOTE
from hotline_tui.labels import label
from hotline_tui.services.tickets import worklists
from hotline_tui.services.tickets.actions import inputs as i

# Commands of the ``ticket`` group (joined to it by ``ticket_group``).
app = typer.Typer()


@app.command("withdrawals")
def withdrawals(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", min=1, max=200),
    as_json: bool = JSON,
) -> None:
    """撤单申请：话务员申请撤单的已派出工单，最早的申请在前。"""
    st = state(ctx)
    items = worklists.work_queue(st.hl, st.actor, "withdrawals", limit=limit)
    if as_json:
        emit_json(items)
        return
    table(
        ["工单号", "状态", "主办单位", "撤单理由", "标题"],
        [
            (
                i.number,
                label("state", i.state),
                i.dept_name or i.dept or "",
                i.detail or "",
                i.title,
            )
            for i in items
        ],
        title=f"待确认的撤单申请（{len(items)} 件）",
    )
    if items:
        line("确认：hotline ticket confirm-withdraw 工单号 --confirm；驳回：--reject")


@app.command("confirm-withdraw")
def confirm_withdraw(
    ctx: typer.Context,
    number: str,
    accept: bool = typer.Option(..., "--confirm/--reject", help="确认撤单，或驳回（工单继续办理）"),
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """撤单确认：确认或驳回话务员对已派出工单的撤单申请。"""
    st = state(ctx)
    data = i.NoteInput(number=number, note=note, if_version=if_version)
    done(act(st, "withdraw_confirm" if accept else "withdraw_reject", data), as_json)
