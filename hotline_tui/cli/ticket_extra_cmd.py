"""``hotline ticket`` flags and edits beside the loop: 催办, 督办 and its answer, 提级 and 会商
with their outcomes, editing the order's fields, abusive-caller marks and attachments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from hotline_tui.cli.output import emit_json, line
from hotline_tui.cli.state import state
from hotline_tui.cli.ticket_act import act
from hotline_tui.cli.ticket_lines import done, due_lines
from hotline_tui.cli.ticket_options import DEPT, IF_VERSION, JSON, NOTE
from hotline_tui.services.tickets import queries, supervision
from hotline_tui.services.tickets.actions import inputs as i

if TYPE_CHECKING:
    from hotline_tui.services.tickets.views import MaterialView

# The flag and edit commands of the ``ticket`` group (joined to it by ``ticket_group``).
app = typer.Typer()


@app.command("urge")
def urge(
    ctx: typer.Context,
    number: str,
    note: str = NOTE,
    dept: str | None = DEPT,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """催办承办单位。"""
    st = state(ctx)
    data = i.PartNoteInput(number=number, note=note, dept=dept, if_version=if_version)
    done(act(st, "urge", data), as_json)


@app.command("supervise")
def supervise(
    ctx: typer.Context,
    number: str,
    note: str = typer.Option(..., "--note", "-n"),
    dept: str | None = DEPT,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """督办承办单位（须回复）。"""
    st = state(ctx)
    data = i.PartNoteInput(number=number, note=note, dept=dept, if_version=if_version)
    done(act(st, "supervise", data), as_json)


@app.command("supervise-reply")
def supervise_reply(
    ctx: typer.Context,
    number: str,
    answer: str = typer.Option(..., "--answer"),
    dept: str | None = DEPT,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """督办回复（承办单位）。"""
    st = state(ctx)
    data = i.SuperviseReplyInput(number=number, answer=answer, dept=dept, if_version=if_version)
    done(act(st, "supervise_reply", data), as_json)


DEPTS = typer.Option([], "--dept", help="参加单位（可重复；默认：正在办理的单位）")
DAYS = typer.Option(
    None,
    "--days",
    min=1,
    max=supervision.MAX_DUE_DAYS,
    help="结果反馈期限，工作日数（默认取设置 coordination_due_days）",
)


@app.command("escalate")
def escalate(
    ctx: typer.Context,
    number: str,
    note: str = typer.Option(..., "--note", "-n"),
    leader: str = typer.Option(..., "--leader", help="领导：督办或管理员的用户名"),
    depts: list[str] = DEPTS,
    days: int | None = DAYS,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """提级：提请领导协调，通知领导与各单位。"""
    st = state(ctx)
    data = i.EscalateInput(
        number=number,
        note=note,
        leader=leader,
        depts=tuple(depts),
        days=days,
        if_version=if_version,
    )
    done(act(st, "escalate", data), as_json)


@app.command("consult")
def consult(
    ctx: typer.Context,
    number: str,
    note: str = typer.Option(..., "--note", "-n"),
    depts: list[str] = DEPTS,
    leader: str | None = typer.Option(None, "--leader", help="参加的领导（可空）"),
    days: int | None = DAYS,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """会商：召集相关单位会商，并通知它们。"""
    st = state(ctx)
    data = i.ConsultInput(
        number=number,
        note=note,
        depts=tuple(depts),
        leader=leader,
        days=days,
        if_version=if_version,
    )
    done(act(st, "consult", data), as_json)


RESULT = typer.Option(..., "--result", "-r", help="决定的内容")


@app.command("escalate-result")
def escalate_result(
    ctx: typer.Context,
    number: str,
    result: str = RESULT,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """提级结果：登记最早一次待反馈的提级的结果。"""
    st = state(ctx)
    data = i.ResultInput(number=number, result=result, if_version=if_version)
    done(act(st, "escalate_result", data), as_json)


@app.command("consult-result")
def consult_result(
    ctx: typer.Context,
    number: str,
    result: str = RESULT,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """会商结果：登记最早一次待反馈的会商的结果。"""
    st = state(ctx)
    data = i.ResultInput(number=number, result=result, if_version=if_version)
    done(act(st, "consult_result", data), as_json)


@app.command("edit")
def edit(
    ctx: typer.Context,
    number: str,
    description: str | None = typer.Option(None, "--description"),
    title: str | None = typer.Option(None, "--title"),
    category: str | None = typer.Option(None, "--category"),
    area: str | None = typer.Option(None, "--area"),
    address: str | None = typer.Option(None, "--address"),
    urgency: str | None = typer.Option(None, "--urgency"),
    confidential: bool | None = typer.Option(None, "--confidential/--not-confidential"),
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """修改工单：改工单自身的字段；派单后改紧急程度或分类会重算未办结部分的时限（改后列出）。"""
    st = state(ctx)
    given = {
        "description": description,
        "title": title,
        "category": category,
        "area": area,
        "address": address,
        "urgency": urgency,
        "confidential": confidential,
    }
    changes: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    done(
        act(st, "edit", i.EditInput(number=number, changes=changes, if_version=if_version)), as_json
    )
    if not as_json and {"urgency", "category"} & set(changes):
        for text in due_lines(queries.show(st.hl, st.actor, number), st.settings.timezone):
            line(text)


@app.command("mark-abusive")
def mark_abusive(
    ctx: typer.Context,
    number: str,
    note: str = typer.Option(..., "--note", "-n"),
    as_json: bool = JSON,
) -> None:
    """标记恶意来电（记入审计；来电不会被悄悄拦截）。"""
    st = state(ctx)
    done(act(st, "mark_abusive", i.NoteInput(number=number, note=note)), as_json)


@app.command("attach")
def attach(
    ctx: typer.Context, number: str, file: Path, note: str = NOTE, as_json: bool = JSON
) -> None:
    """添加材料：文件只存一份，工单的各承办单位都能看到。"""
    st = state(ctx)
    view: MaterialView = act(st, "attach", i.AttachInput(number=number, path=file, note=note))
    if as_json:
        emit_json(view)
    else:
        line(f"已添加附件 {view.filename}（{view.size} 字节，{view.sha256[:12]}）")
