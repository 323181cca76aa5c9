"""The console's words: Simplified Chinese by default, English with ``--lang en``.

The console's own phrasing (key captions, screen texts, column heads) is here and in the
``i18n_*`` modules beside it; every domain code's words (states, request types, urgencies,
actions, audit codes, choices, queues, steps) and the error catalogue are the product's, in
:mod:`hotline_tui.labels`, shared with the command line and the scheduler.
"""

from __future__ import annotations

from typing import Any

from hotline_tui import labels
from hotline_tui.domain.errors import HotlineError
from hotline_tui.ui import (
    i18n_dedup,
    i18n_nlp,
    i18n_records,
    i18n_stats,
    i18n_supervision,
    i18n_tools,
    i18n_visits,
)
from hotline_tui.ui.i18n_kb import KB_MESSAGES

__all__ = ["LANGS", "error_text", "key_name", "label", "set_lang", "state_name", "tr", "type_name"]

LANGS = ("zh", "en")
_lang = "zh"

# key: (Chinese, English)
_MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("12345 热线工单系统", "12345 Hotline Console"),
    "mode.intake": ("受理", "Intake"),
    "mode.orders": ("工单", "Orders"),
    "mode.queues": ("队列", "Queues"),
    "mode.visits": ("回访", "Visits"),
    "mode.board": ("督办", "Supervision"),
    "key.help": ("帮助", "Help"),
    "key.lock": ("锁屏", "Lock"),
    "key.quit": ("退出", "Quit"),
    "key.palette": ("跳转", "Jump"),
    "key.save": ("保存", "Save"),
    "key.clear": ("新来电", "New call"),
    "key.find": ("查询", "Find"),
    "key.open": ("详情", "Open"),
    "key.refresh": ("刷新", "Refresh"),
    "key.sort": ("排序", "Sort"),
    "key.next_queue": ("下一队列", "Next queue"),
    "key.prev_queue": ("上一队列", "Prev queue"),
    "key.back": ("返回", "Back"),
    "key.cancel": ("取消", "Cancel"),
    "key.confirm": ("确定", "OK"),
    "login.title": ("登录", "Log in"),
    "login.user": ("用户名", "User"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.busy": ("正在登录…", "Logging in…"),
    "login.opening": ("正在连接数据库…", "Opening the database…"),
    "lock.title": ("控制台已锁定", "Console locked"),
    "lock.prompt": ("用户 {user} 请输入密码解锁", "{user}: enter your password to unlock"),
    "lock.trusted": ("按回车解锁（系统账号登录）", "Press Enter to unlock (OS account login)"),
    "status.connecting": ("正在连接…", "Connecting…"),
    "status.ready": ("就绪", "Ready"),
    "status.changes": ("{n} 项他人更新已刷新", "{n} changes from elsewhere"),
    "error.worker": ("操作失败：{message}", "Failed: {message}"),
    "error.unexpected": ("内部错误（已记录日志）：{kind}", "Internal error (logged): {kind}"),
    "draft.offer": ("发现未保存的受理草稿（{at} 保存）", "An unsaved intake draft (saved {at})"),
    "draft.question": ("恢复到受理表单？", "Restore it to the intake form?"),
    "draft.restore": ("恢复", "Restore"),
    "newcall.title": ("本次来电尚未保存", "This call is not saved"),
    "newcall.warning": (
        "清空后以上内容将丢失。要保留：回到表单，按 F10 保存。",
        "Clearing loses what is above. To keep it: back to the form, F10 saves.",
    ),
    "newcall.keep": ("继续受理", "Keep working"),
    "newcall.clear": ("清空", "Clear"),
    "draft.discard": ("丢弃", "Discard"),
    "draft.restored": ("已恢复草稿", "Draft restored"),
    "intake.phone": ("来电号码", "Phone"),
    "intake.name": ("姓名/单位", "Name"),
    "intake.caller_kind": ("来电人", "Caller"),
    "intake.credit": ("信用代码", "Credit code"),
    "intake.type": ("诉求类型", "Type"),
    "intake.category": ("分类", "Category"),
    "intake.area": ("区划", "Area"),
    "intake.address": ("地址", "Address"),
    "intake.description": ("来电内容", "Description"),
    "intake.urgency": ("紧急程度", "Urgency"),
    "intake.confidential": ("保密", "Confidential"),
    "intake.channel": ("受理渠道", "Channel"),
    "intake.callback": ("回拨号码", "Call back"),
    "detail.channel": ("渠道", "Channel"),
    "detail.callback": ("回拨", "Call back on"),
    "detail.withdraw_requested": (
        "撤单申请待派单员确认：{note}",
        "Withdrawal asked for, waiting for a dispatcher: {note}",
    ),
    "intake.disposition": ("处理方式", "Disposition"),
    "intake.answer": ("答复内容", "Answer"),
    "intake.lead": ("主办单位", "Lead"),
    "intake.co": ("协办单位", "Co-handlers"),
    "intake.note": ("备注", "Note"),
    "intake.suggested": ("派单目录建议：{name}", "Catalogue suggests: {name}"),
    "intake.no_suggestion": ("派单目录无对应规则", "No catalogue rule"),
    "intake.saved": ("已保存工单 {number}（{state}）", "Saved order {number} ({state})"),
    "intake.history_none": ("无历史来电", "No previous calls"),
    "intake.history": (
        "历史来电 {n} 件，未办结 {open} 件",
        "{n} previous orders, {open} open",
    ),
    "intake.caller_orders": ("来电人工单", "Caller's orders"),
    "intake.repeat": ("重复来电", "Repeat caller"),
    "intake.abusive": ("已标记恶意来电", "Marked abusive"),
    "intake.enterprise_found": ("企业：{name} {code}", "Enterprise: {name} {code}"),
    "intake.enterprise_pick": ("回车填入第一家", "Enter fills in the first"),
    "intake.required": ("必填", "Required"),
    "intake.bad_phone": ("号码无效：{reason}", "Invalid number: {reason}"),
    "orders.number": ("工单号", "Number"),
    "orders.phone": ("电话", "Phone"),
    "orders.words": ("内容", "Words"),
    "orders.state": ("状态", "State"),
    "orders.dept": ("单位", "Dept"),
    "orders.since": ("起始日期", "From"),
    "orders.until": ("截止日期", "Until"),
    "orders.found": ("找到 {n} 件", "{n} found"),
    "orders.bad_date": ("日期应为 YYYY-MM-DD", "Dates are YYYY-MM-DD"),
    "col.number": ("工单号", "Number"),
    "col.state": ("状态", "State"),
    "col.type": ("类型", "Type"),
    "col.created": ("受理时间", "Registered"),
    "col.phone": ("电话", "Phone"),
    "col.title": ("标题/内容", "Title"),
    "col.due": ("期限", "Due"),
    "col.dept": ("单位", "Dept"),
    "col.part": ("办理状态", "Part"),
    "col.role": ("角色", "Role"),
    "col.near": ("临期", "Near"),
    "col.sign_overdue": ("签收超时", "Sign late"),
    "col.overdue": ("超期", "Overdue"),
    "col.time": ("时间", "Time"),
    "col.actor": ("操作人", "By"),
    "col.action": ("动作", "Action"),
    "col.note": ("说明", "Note"),
    "col.signed": ("签收", "Signed"),
    "col.version": ("版本", "Ver"),
    "queue.supervised_mark": ("督", "S "),
    "queue.late_mark": ("超", "Late "),  # a late return (超时退单) under review
    # Before a due time, so that a near or overdue row reads without colour (monochrome).
    "queue.overdue_mark": ("超", "!"),
    "queue.near_mark": ("临", "~"),
    "queue.count": ("{name}：{n} 件", "{name}: {n}"),
    "queue.sorted": ("按{column}排序", "Sorted by {column}"),
    "detail.caller": ("来电人", "Caller"),
    "detail.assignments": ("承办单位", "Departments"),
    "detail.materials": ("材料", "Materials"),
    "detail.timeline": ("流转记录", "Timeline"),
    "detail.answer": ("直接答复", "Answer"),
    "detail.hidden": ("（保密件：来电人信息不向承办单位显示）", "(confidential: caller hidden)"),
    "detail.provisional": ("（暂定）", " (provisional)"),
    "detail.none": ("无", "none"),
    "visit.reply": ("承办单位答复（请向来电人宣读）", "Department's reply (read it to the caller)"),
    "board.title": ("临期与超期（按单位）", "Near due and overdue (by department)"),
    "board.at": ("统计时间 {at}", "As of {at}"),
    "board.hotline": ("热线（派单/审核）", "Hotline (dispatch/review)"),
    # Notices (ui/notices.py): the scheduler's flags and escalation steps.
    "key.notices": ("提醒", "Notices"),
    "notice.title": ("新提醒", "New notices"),
    # A department's own windows, as a return review and an extension decision show them.
    "part.extension_room": (
        "延期：已批准 {granted} 个工作日，上限 {cap}，还可批准 {left} 个工作日",
        "Extension: {granted} working days granted, cap {cap}, {left} left",
    ),
    "part.late_return": (
        "超时退单：退单时限 {at} 已过，同意须明确批准",
        "Late return: the return window ended {at}; accepting needs an explicit approval",
    ),
    "notice.due": ("时限 {at}", "due {at}"),
    "notice.more": ("另有 {n} 件（Ctrl+T 查看）", "{n} more (Ctrl+T)"),
    "notice.line": ("提醒{n}（Ctrl+T）：{text}", "Notices {n} (Ctrl+T): {text}"),
    "notice.list_title": ("提醒（最近 {n} 条，回车打开工单）", "Notices ({n}; Enter opens)"),
    "notice.col_step": ("事项", "Step"),
    "detail.supervision": ("督办", "Supervision"),
    "detail.supervision_open": ("待答复", "awaiting answer"),
    "detail.supervision_answered": ("已答复", "answered"),
    "help.title": ("按键帮助", "Keys"),
    "help.global": ("全局", "Everywhere"),
    "help.screen": ("当前界面", "This screen"),
    "confirm.title": ("确认", "Confirm"),
    "action.done": ("{action}：工单 {number} → {state}", "{action}: {number} → {state}"),
    "action.part_done": (
        "{action}：工单 {number} {dept}（{role}）→ {part}；{ticket}",
        "{action}: {number} {dept} ({role}) → {part}; {ticket}",
    ),
    "action.ticket_same": ("工单仍为{state}", "the order is still {state}"),
    "action.ticket_moved": ("工单 → {state}", "the order → {state}"),
    "action.enter_hint": (
        "确定：Enter / Ctrl+S / F10   取消：Esc",
        "OK: Enter / Ctrl+S / F10   Cancel: Esc",
    ),
    "palette.jump": ("打开工单 {number}", "Open order {number}"),
    "palette.phone": ("查询来电 {phone} 的历史工单", "Orders of caller {phone}"),
    "palette.hint": ("输入工单号或电话", "Type an order number or phone"),
    "palette.placeholder": (
        "输入工单号、电话或命令（如 队列、锁屏）…",
        "Order number, phone or command…",
    ),
    "palette.none": ("没有匹配的工单号、电话或命令", "No order number, phone or command matches"),
    "palette.command": ("命令（{keys}）", "Command ({keys})"),
}

_MESSAGES.update(KB_MESSAGES)
# The order tools', 提级 and 会商's, the return visits' and the records' own phrasing.
_MESSAGES |= i18n_tools.MESSAGES
_MESSAGES |= i18n_supervision.MESSAGES
_MESSAGES |= i18n_visits.MESSAGES
_MESSAGES |= i18n_records.MESSAGES
_MESSAGES |= i18n_stats.MESSAGES
_MESSAGES |= i18n_dedup.MESSAGES
_MESSAGES |= i18n_nlp.MESSAGES

# A message key ``<prefix><code>`` is the label of ``code`` in the catalogue's vocabulary: the
# screens build such keys (``tr(f"queue.{name}")``), the words live in hotline_tui.labels.
_VOCABULARY_KEYS = {
    "urgency.": "urgency",
    "kind.": "caller_kind",
    "disp.": "disposition",
    "role.": "part_role",
    "queue.": "queue",
    "fb.": "feedback",
    "kbs.": "kb_status",
}

# What a dialog offers to pick, one vocabulary after another (a code picked in two means the
# same in both: ``unsatisfied`` is 不满意 as a satisfaction and as a visit's outcome).
_CHOICES = {
    code: pair
    for kind in (
        "return_reason",
        "visit_contact",
        "resolution",
        "satisfaction",
        "urgency",
        "request_type",
        "yes_no",
        "visit_outcome",
    )
    for code, pair in labels.vocabulary(kind).items()
}


def set_lang(lang: str) -> None:
    global _lang
    _lang = lang if lang in LANGS else "zh"


def current_lang() -> str:
    return _lang


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if _lang == "en" else pair[0]


def label(kind: str, code: str | None) -> str:
    """A domain code in the current language, from the product's catalogue."""
    return labels.label(kind, code, _lang)


def tr(key: str, **params: Any) -> str:
    """The label ``key`` in the current language, formatted with ``params``."""
    pair = _MESSAGES.get(key)
    if pair is not None:
        text = _pick(pair)
    else:
        prefix, _, code = key.partition(".")
        kind = _VOCABULARY_KEYS.get(prefix + ".") if code else None
        if kind is not None and code in labels.vocabulary(kind):
            text = label(kind, code)
        else:
            pair = labels.ACTIONS.get(key) or labels.FIELDS.get(key) or _CHOICES.get(key)
            text = _pick(pair) if pair else key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def action_name(action: str) -> str:
    return label("action", action)


def field_name(name: str) -> str:
    return label("field", name)


def choice_name(value: str) -> str:
    pair = _CHOICES.get(value)
    return _pick(pair) if pair else value


def event_name(action: str) -> str:
    """An audit trail's action code in words (``follow_lead`` → 随主办变更)."""
    return label("event", action)


def state_name(state: str | None) -> str:
    return label("state", state)


def type_name(request_type: str) -> str:
    return label("request_type", request_type)


def _local_times(error: HotlineError) -> HotlineError:
    """ISO 8601 instants in an error's parameters, shown in the hotline's local time, and an
    audit action code (``conflict.version``'s last change) in words."""
    from datetime import datetime

    from hotline_tui.ui.text import local_time

    params = dict(error.params)
    action = params.get("action")
    changed = isinstance(action, str) and action in labels.EVENTS
    if changed:
        params["action"] = event_name(str(action))
    for key in ("at", "until"):
        value = params.get(key)
        if isinstance(value, str) and "T" in value:
            try:
                params[key] = local_time(datetime.fromisoformat(value))
                changed = True
            except ValueError:
                pass
    if not changed:
        return error
    copy = type(error)(error.code, **params)
    return copy


def error_text(error: BaseException) -> str:
    """A structured error in words (the code kept for the log), or the kind of an unexpected one."""
    if isinstance(error, HotlineError):
        return labels.describe(_local_times(error), lang=_lang)
    return tr("error.unexpected", kind=type(error).__name__)


def key_name(shown: str) -> str:
    """A key as the help and the palette name it: ``^p`` → ``Ctrl+P``, ``f1`` → ``F1``."""
    if shown.startswith("^") and len(shown) > 1:
        return "Ctrl+" + shown[1:].upper()
    if shown[:1] == "f" and shown[1:].isdigit():
        return shown.upper()
    return shown
