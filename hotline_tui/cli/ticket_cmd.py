"""``hotline ticket new/show/find/queue``: intake and reading orders."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from hotline_tui.cli.choices import choice, choice_help
from hotline_tui.cli.output import emit_json, line, table
from hotline_tui.cli.state import state
from hotline_tui.cli.ticket_lines import (
    channel_label,
    done,
    due_label,
    parse_day,
    part_lines,
    print_all,
    results_table,
)
from hotline_tui.cli.ticket_records import print_supervisions, print_visits
from hotline_tui.domain.hotline_steps import HOTLINE
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.states import RequestType, TicketState
from hotline_tui.labels import label
from hotline_tui.services.tickets import deadlines, queries, worklists

if TYPE_CHECKING:
    from hotline_tui.services.tickets.views import TicketDetail

app = typer.Typer(help="工单：受理、办理与查阅。", no_args_is_help=True)

TICKET_STATES = [s.value for s in TicketState]


@app.command("new")
def new(
    ctx: typer.Context,
    description: str = typer.Option(..., "--description", "-d", help="来电内容"),
    request_type: str = typer.Option(
        "consult",
        "--type",
        "-t",
        help=choice_help("诉求类型", "request_type"),
        **choice("request_type"),
    ),
    phone: str | None = typer.Option(None, "--phone", "-p"),
    name: str = typer.Option("", "--name"),
    caller_kind: str = typer.Option(
        "person", "--caller", help=choice_help("来电人", "caller_kind"), **choice("caller_kind")
    ),
    id_number: str | None = typer.Option(None, "--id-number"),
    credit_code: str | None = typer.Option(None, "--credit-code"),
    industry: str | None = typer.Option(None, "--industry"),
    size: str | None = typer.Option(
        None, "--size", help=choice_help("企业规模", "enterprise_size"), **choice("enterprise_size")
    ),
    title: str = typer.Option("", "--title"),
    category: str | None = typer.Option(None, "--category", help="分类代码"),
    area: str | None = typer.Option(None, "--area", help="区划代码"),
    address: str = typer.Option("", "--address"),
    urgency: str = typer.Option(
        "normal", "--urgency", help=choice_help("紧急程度", "urgency"), **choice("urgency")
    ),
    confidential: bool = typer.Option(False, "--confidential"),
    channel: str = typer.Option(
        "phone",
        "--channel",
        help="受理渠道：电话、网站、微信……或其代码（设置 intake_channels）",
    ),
    callback: str | None = typer.Option(None, "--callback", help="回拨号码（与来电号码不同时）"),
    answer: str | None = typer.Option(None, "--answer", help="直接答复并办结"),
    lead_dept: str | None = typer.Option(None, "--dispatch", help="派给此主办单位"),
    co: list[str] = typer.Option([], "--co", help="协办单位（可重复）"),
    withdraw: bool = typer.Option(False, "--withdraw"),
    invalid: bool = typer.Option(False, "--invalid"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """受理：登记来电；可同时直接答复、派单、撤单或标为无效来电。"""
    st = state(ctx)
    kind = _ending(
        answer=bool(answer), dispatch=bool(lead_dept), withdraw=withdraw, invalid=invalid
    )
    # Registering loads its own services (time limits, the catalogue) only when it is used.
    from hotline_tui.services.tickets import intake
    from hotline_tui.services.tickets.intake import Disposition

    record = IntakeInput(
        request_type=request_type,
        urgency=urgency,
        description=description,
        title=title,
        category=category,
        area=area,
        address=address,
        confidential=confidential,
        channel=channel,
        callback_phone=callback,
        caller=CallerInput(
            kind=caller_kind,
            name=name,
            phone=phone,
            id_number=id_number,
            credit_code=credit_code,
            industry=industry,
            size=size,
        ),
    )
    result = intake.register(
        st.hl,
        st.actor,
        record,
        Disposition(kind=kind, answer_text=answer or "", lead_dept=lead_dept, co_depts=tuple(co)),
    )
    done(result, as_json)


def _ending(*, answer: bool, dispatch: bool, withdraw: bool, invalid: bool) -> str:
    """What becomes of a call registered by ``ticket new``: the first option given, else the
    dispatch queue."""
    for kind, given in (
        ("answer", answer),
        ("dispatch", dispatch),
        ("withdraw", withdraw),
        ("invalid", invalid),
    ):
        if given:
            return kind
    return "queue"


@app.command("show")
def show(
    ctx: typer.Context,
    number: str,
    reveal: str | None = typer.Option(
        None, "--reveal", help="显示完整号码（须写明原因，记入审计）"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """工单详情：承办单位与全部流转记录。"""
    st = state(ctx)
    if reveal:
        # Revealing is an action (audited, through the catalogue); reading is not, and does not
        # load the catalogue of every action.
        from hotline_tui.cli.ticket_act import act
        from hotline_tui.services.tickets.actions.inputs import RevealInput

        detail: TicketDetail = act(st, "reveal", RevealInput(number=number, why=reveal))
    else:
        detail = queries.show(st.hl, st.actor, number)
    if as_json:
        emit_json(detail)
        return
    line(
        f"工单 {detail.number}  {label('state', detail.state)}  版本 {detail.version}  "
        f"{label('request_type', detail.request_type)}/{label('urgency', detail.urgency)}  "
        f"{detail.category_path or ''}"
    )
    line(f"受理渠道 {channel_label(st.settings.intake_channels, detail.channel)}")
    if detail.caller:
        line(f"来电人 {detail.caller.name} {detail.caller.phone or ''}")
        if detail.caller.callback_phone:
            line(f"回拨号码 {detail.caller.callback_phone}")
    line(detail.description)
    for caption, key in (("派单期限", "dispatch_due_at"), ("回访期限", "visit_due_at")):
        if detail.due.get(key) is not None:
            line(f"{caption} {due_label(detail.due[key], False, st.settings.timezone)}")
    table(
        ["单位", "角色", "状态", "版本", "签收期限", "办结期限", "时限", "签收", "答复"],
        [
            (
                a.dept,
                label("part_role", a.role),
                label("state", a.state),
                a.version,
                a.sign_due_at,
                due_label(a.due_at, a.provisional, st.settings.timezone),
                a.time_limit,
                a.signed_at,
                a.reply_text or "",
            )
            for a in detail.assignments
        ],
        title="承办",
    )
    for text in part_lines(detail, st.settings.timezone, st.settings.extension_max_requests):
        line(text)
    print_supervisions(detail)
    print_visits(detail)
    table(
        ["#", "时间", "操作人", "动作", "从", "到", "单位", "说明"],
        [
            (
                e.seq,
                e.at,
                e.actor,
                label("event", e.action),
                label("state", e.from_state),
                label("state", e.to_state),
                e.dept,
                e.note,
            )
            for e in detail.timeline
        ],
        title="流转记录",
    )


@app.command("find")
def find(
    ctx: typer.Context,
    words: str | None = typer.Argument(None, help="来电内容中的词（任意两个字以上）"),
    number: str | None = typer.Option(None, "--number"),
    phone: str | None = typer.Option(None, "--phone"),
    ticket_state: str | None = typer.Option(
        None,
        "--state",
        help=choice_help("状态", "state", TICKET_STATES),
        **choice("state", TICKET_STATES),
    ),
    dept: str | None = typer.Option(None, "--dept"),
    since: str | None = typer.Option(None, "--since", help="起始日期 YYYY-MM-DD"),
    until: str | None = typer.Option(None, "--until", help="截止日期 YYYY-MM-DD（不含当日）"),
    limit: int = typer.Option(
        20, "--limit", min=1, max=100_000, help=f"每页条数（至多 {queries.MAX_RESULTS}）"
    ),
    page: int = typer.Option(1, "--page", min=1, max=100_000_000, help="页码，从 1 开始"),
    everything: bool = typer.Option(False, "--all", help="列出全部匹配的工单，不分页"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """查询工单：按工单号、电话、内容、状态、单位或日期（新的在前），逐页列出（注明总数与是否还有），
    或加 --all 列出全部。"""
    st = state(ctx)
    tz = st.settings.timezone
    query = queries.FindQuery(
        number=number,
        phone=phone,
        words=words,
        state=ticket_state,
        dept=dept,
        since=parse_day(since, tz, "since"),
        until=parse_day(until, tz, "until"),
        limit=limit,
        page=page,
    )
    if everything:
        print_all(st, query, as_json)
        return
    found = queries.find_page(st.hl, st.actor, query)
    if as_json:
        emit_json(found)
        return
    results_table(found.results, st.settings.intake_channels, tz)
    first = (found.page - 1) * found.limit + 1
    shown = f"第 {first}–{first + len(found.results) - 1} 条" if found.results else "本页无结果"
    line(f"共 {found.total} 条，第 {found.page} 页（每页 {found.limit} 条，{shown}）")
    if found.more:
        line(f"列表未完：下一页加 --page {found.page + 1}，或加 --all 列出全部")


# The due time a queue's rows are measured by (work_items.WorkItem.deadline), as its header.
DEADLINE_ZH = {
    "to_sign": "签收期限",
    "to_dispatch": "派单期限",
    "returns": "退单审核期限",
    "extensions": "延期审批期限",
    "visits": "回访期限",
    "replies": "期限",
    "unsatisfied": "期限",
}


def deadline_cell(at: datetime | None, due: str, provisional: bool, tz: str) -> str:
    """A row's due time, short (month-day time), marked * when provisional and 临期/超期."""
    if at is None:
        return ""
    text = f"{at.astimezone(ZoneInfo(tz)):%m-%d %H:%M}" + ("*" if provisional else "")
    flag = label("due_flag", due)
    return f"{text} {flag}" if flag else text


@app.command("queue")
def queue(
    ctx: typer.Context,
    queue: str = typer.Argument(
        ...,
        help=choice_help("队列", "queue", worklists.QUEUE_NAMES),
        **choice("queue", worklists.QUEUE_NAMES, name="队列"),
    ),
    dept: str | None = typer.Option(None, "--dept"),
    limit: int = typer.Option(50, "--limit", min=1, max=100_000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """工作队列：单位的（待签收、办理中、临期、超期、退单中、督办）或热线的（待派单、退单审核、
    延期审批、答复审核、待回访、不满意），与控制台相同；每行的期限是它所等待的环节的，标出临期/超期。"""
    st = state(ctx)
    items = worklists.work_queue(st.hl, st.actor, queue, dept=dept, limit=limit)
    if as_json:
        emit_json(items)
        return
    tz = st.settings.timezone
    # A part under review is in that state by definition: its role tells more (a co-handler's
    # return holds up the lead's reply), and 80 columns have no room for both.
    reviewing = queue in ("returns", "extensions")
    by_part = queue in worklists.DEPT_QUEUE_NAMES
    table(
        [
            "工单号",
            "角色" if reviewing else "状态",
            "部门",
            DEADLINE_ZH.get(queue, "办结期限"),
            "标题",
        ],
        [
            (
                i.number,
                label("part_role", i.role)
                if reviewing
                else ("督" if i.supervised else "")
                + label("state", i.assignment_state if by_part else i.state),
                i.dept_name or i.dept,
                deadline_cell(
                    i.deadline, i.due, i.provisional and i.deadline_kind in ("sign", "complete"), tz
                ),
                i.title,
            )
            for i in items
        ],
    )


HOTLINE_ZH = "热线（派单/审核）"


def hotline_label(part_dept: str | None) -> str:
    """The hotline's own row on a board, with the department whose part it decides (the state
    column says which step: 待派单, 退单审核中, 延期审批中)."""
    return f"热线({part_dept})" if part_dept else "热线"


@app.command("deadlines")
def deadline_board(
    ctx: typer.Context,
    board: str | None = typer.Argument(
        None,
        help=choice_help("看板（不给：各单位的件数）", "board"),
        **choice("board", name="看板"),
    ),
    dept: str | None = typer.Option(None, "--dept", help="单位代码，或 hotline：热线自己的环节"),
    limit: int = typer.Option(50, "--limit", min=1, max=100_000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """时限看板：临期（黄灯）、超期（红灯）、签收超时、回访到期；热线自己超时的派单、退单审核
    和延期审批计为 hotline 一行。"""
    st = state(ctx)
    if board is None:
        found = deadlines.counts(st.hl, st.actor, dept=dept)
        if as_json:
            emit_json(found)
            return
        table(
            ["看板", "部门", "部门名称", "数量"],
            [
                (
                    label("board", c.board),
                    c.dept,
                    HOTLINE_ZH if c.dept == HOTLINE else c.dept_name,
                    c.count,
                )
                for c in found
            ],
        )
        return
    items = deadlines.rows(st.hl, st.actor, board, dept=dept, limit=limit)
    if as_json:
        emit_json(items)
        return
    table(
        ["工单号", "部门", "期限", "暂定", "办理状态", "督办", "标题"],
        [
            (
                i.number,
                hotline_label(i.part_dept) if i.dept == HOTLINE else i.dept,
                i.deadline,
                "是" if i.provisional else "",
                label("state", i.assignment_state or i.ticket_state),
                "是" if i.supervised else "",
                i.title,
            )
            for i in items
        ],
    )


__all__ = ["RequestType", "app"]
