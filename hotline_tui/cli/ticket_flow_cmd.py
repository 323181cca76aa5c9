"""``hotline ticket <action>``: every lifecycle action of the closed loop, each its catalogue
entry's typed input run through the catalogue (:mod:`hotline_tui.cli.ticket_act`).

``--if-version N`` carries the version the user saw (the order's for order actions, the
assignment's for a department's actions); without it the version read in the same transaction
is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from hotline_tui.cli.choices import choice, choice_help
from hotline_tui.cli.inputs import ID_MAX
from hotline_tui.cli.output import line
from hotline_tui.cli.state import state
from hotline_tui.cli.ticket_act import act
from hotline_tui.cli.ticket_lines import done, extension_line
from hotline_tui.cli.ticket_options import DEPT, IF_VERSION, JSON, NOTE
from hotline_tui.services.tickets.actions import inputs as i

if TYPE_CHECKING:
    from hotline_tui.services.tickets.part_windows import ExtensionOutcome

# The action commands of the ``ticket`` group (joined to it by ``ticket_group``).
app = typer.Typer()


@app.command("answer")
def answer(
    ctx: typer.Context,
    number: str,
    text: str = typer.Option(..., "--text"),
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """直接答复：答复已受理或待派单的工单并办结。"""
    st = state(ctx)
    done(act(st, "answer", i.AnswerInput(number=number, text=text, if_version=if_version)), as_json)


@app.command("dispatch")
def dispatch_(
    ctx: typer.Context,
    number: str,
    lead: str = typer.Option(..., "--lead", help="主办单位代码"),
    co: list[str] = typer.Option([], "--co", help="协办单位代码（可重复）"),
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """派单：派给主办单位，可另派协办单位。"""
    st = state(ctx)
    data = i.DispatchInput(number=number, lead=lead, co=tuple(co), note=note, if_version=if_version)
    done(act(st, "dispatch", data), as_json)


@app.command("sign")
def sign(
    ctx: typer.Context,
    number: str,
    dept: str | None = DEPT,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """签收（承办单位）。"""
    st = state(ctx)
    done(act(st, "sign", i.PartInput(number=number, dept=dept, if_version=if_version)), as_json)


@app.command("return")
def return_(
    ctx: typer.Context,
    number: str,
    reason: str = typer.Option(
        ...,
        "--reason",
        help=choice_help("退单原因", "return_reason"),
        **choice("return_reason"),
    ),
    basis: str = typer.Option(..., "--basis", help="依据"),
    dept: str | None = DEPT,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """退单：写明原因与依据。"""
    st = state(ctx)
    data = i.ReturnInput(
        number=number, reason=reason, basis=basis, dept=dept, if_version=if_version
    )
    done(act(st, "return", data), as_json)


@app.command("review-return")
def review_return(
    ctx: typer.Context,
    number: str,
    accept: bool = typer.Option(..., "--accept/--reject"),
    to: str | None = typer.Option(None, "--to", help="改派给此单位"),
    approve_late: bool = typer.Option(
        False, "--approve-late", help="批准超时退单（退单时限已过的退单）"
    ),
    dept: str | None = DEPT,
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """退单审核：同意（可加 --to 改派）或驳回；超时退单须加 --approve-late 才能同意。"""
    st = state(ctx)
    if accept:
        data: i.PartNoteInput = i.ReturnAcceptInput(
            number=number,
            to=to,
            approve_late=approve_late,
            dept=dept,
            note=note,
            if_version=if_version,
        )
    else:
        data = i.PartNoteInput(number=number, dept=dept, note=note, if_version=if_version)
    done(act(st, "return_accept" if accept else "return_reject", data), as_json)


@app.command("extend")
def extend(
    ctx: typer.Context,
    number: str,
    days: int = typer.Option(..., "--days", min=-ID_MAX, max=ID_MAX),
    reason: str = typer.Option(..., "--reason"),
    dept: str | None = DEPT,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """延期申请（承办单位）：以工作日计，须在办结期限前申请；累计批准不超过规则的延期上限。"""
    st = state(ctx)
    data = i.ExtendInput(number=number, days=days, reason=reason, dept=dept, if_version=if_version)
    result: ExtensionOutcome = act(st, "extend", data)
    done(result, as_json)
    if not as_json:
        line(extension_line(result, asked=True))


@app.command("decide-extension")
def decide_extension(
    ctx: typer.Context,
    number: str,
    approve: bool = typer.Option(..., "--approve/--deny"),
    days: int | None = typer.Option(None, "--days", min=-ID_MAX, max=ID_MAX, help="批准的工作日数"),
    dept: str | None = DEPT,
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """延期审批：批准（天数不超过申请的与上限剩余的）或不批准；并说明累计已批准与剩余天数。"""
    st = state(ctx)
    if approve:
        data: i.PartNoteInput = i.ExtensionApproveInput(
            number=number, days=days, dept=dept, note=note, if_version=if_version
        )
    else:
        data = i.PartNoteInput(number=number, dept=dept, note=note, if_version=if_version)
    result: ExtensionOutcome = act(st, "extension_approve" if approve else "extension_deny", data)
    done(result, as_json)
    if not as_json:
        line(extension_line(result, asked=False))


@app.command("reply")
def reply(
    ctx: typer.Context,
    number: str,
    text: str = typer.Option(..., "--text"),
    dept: str | None = DEPT,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """答复（承办单位）；主办单位须待各协办单位答复后答复。"""
    st = state(ctx)
    data = i.ReplyInput(number=number, text=text, dept=dept, if_version=if_version)
    done(act(st, "reply", data), as_json)


@app.command("review")
def review(
    ctx: typer.Context,
    number: str,
    passed: bool = typer.Option(..., "--pass/--fail"),
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """审核主办单位的答复：通过 → 待回访，不通过 → 退回承办单位。"""
    st = state(ctx)
    data = i.NoteInput(number=number, note=note, if_version=if_version)
    done(act(st, "review_pass" if passed else "review_fail", data), as_json)


@app.command("visit")
def visit(
    ctx: typer.Context,
    number: str,
    contact: str = typer.Option(
        "reached",
        "--contact",
        help=choice_help("联系结果", "visit_contact"),
        **choice("visit_contact"),
    ),
    resolution: str | None = typer.Option(
        None, "--resolution", help=choice_help("是否解决", "resolution"), **choice("resolution")
    ),
    satisfaction: str | None = typer.Option(
        None,
        "--satisfaction",
        help=choice_help("是否满意", "satisfaction"),
        **choice("satisfaction"),
    ),
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """回访：登记是否联系上来电人、是否解决、是否满意。"""
    st = state(ctx)
    data = i.VisitInput(
        number=number,
        contact=contact,
        resolution=resolution,
        satisfaction=satisfaction,
        note=note,
        if_version=if_version,
    )
    done(act(st, "visit", data), as_json)


@app.command("redo")
def redo(
    ctx: typer.Context,
    number: str,
    co: list[str] = typer.Option([], "--co", help="一并重办的协办单位"),
    note: str = typer.Option(..., "--note", "-n"),
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """重办：回访不满意后退回主办单位（及所选协办单位）。"""
    st = state(ctx)
    data = i.RedoInput(number=number, co=tuple(co), note=note, if_version=if_version)
    done(act(st, "redo", data), as_json)


@app.command("close")
def close(
    ctx: typer.Context,
    number: str,
    note: str = typer.Option(..., "--note", "-n"),
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """办结：回访不满意后不重办，直接办结。"""
    st = state(ctx)
    done(act(st, "close", i.NoteInput(number=number, note=note, if_version=if_version)), as_json)


@app.command("merge")
def merge(
    ctx: typer.Context,
    number: str,
    into: str = typer.Option(..., "--into"),
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """并单：把重复件并入主件。"""
    st = state(ctx)
    data = i.MergeInput(number=number, into=into, note=note, if_version=if_version)
    done(act(st, "merge", data), as_json)


@app.command("unmerge")
def unmerge(
    ctx: typer.Context,
    number: str,
    note: str = typer.Option(..., "--note", "-n", help="为什么取消并单"),
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """取消并单：误并的重复件退回派单队列。"""
    st = state(ctx)
    done(act(st, "unmerge", i.NoteInput(number=number, note=note, if_version=if_version)), as_json)


@app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    number: str,
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """撤单：来电人撤回诉求（已派出的工单须派单员确认）。"""
    st = state(ctx)
    result = act(st, "withdraw", i.NoteInput(number=number, note=note, if_version=if_version))
    done(result, as_json)
    if "withdraw_requested" in result.warnings and not as_json:
        line("工单已派出：撤单申请已提交，待派单员确认（hotline ticket withdrawals）")


@app.command("invalid")
def invalid(
    ctx: typer.Context,
    number: str,
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """无效来电：办结，不计入任何单位的考核。"""
    st = state(ctx)
    done(act(st, "invalid", i.NoteInput(number=number, note=note, if_version=if_version)), as_json)


@app.command("reopen")
def reopen(
    ctx: typer.Context,
    number: str,
    note: str = typer.Option(..., "--note", "-n"),
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """重启已办结的工单（计入统计）。"""
    st = state(ctx)
    done(act(st, "reopen", i.NoteInput(number=number, note=note, if_version=if_version)), as_json)


@app.command("archive")
def archive(
    ctx: typer.Context, number: str, if_version: int | None = IF_VERSION, as_json: bool = JSON
) -> None:
    """归档已办结的工单。"""
    st = state(ctx)
    done(act(st, "archive", i.OrderInput(number=number, if_version=if_version)), as_json)


@app.command("release")
def release(
    ctx: typer.Context,
    number: str,
    dept: str = typer.Option(..., "--dept"),
    note: str = NOTE,
    if_version: int | None = IF_VERSION,
    as_json: bool = JSON,
) -> None:
    """释放协办单位。"""
    st = state(ctx)
    data = i.ReleaseInput(number=number, dept=dept, note=note, if_version=if_version)
    done(act(st, "release", data), as_json)
