"""The words of the return visit (回访) list and call dialog, merged into
:mod:`hotline_tui.ui.i18n`'s catalogue; key: (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "col.caller": ("来电人", "Caller"),
    "col.dial": ("回访电话", "Call"),
    "col.reply_summary": ("答复摘要", "Reply"),
    "visit.anonymous": ("匿名", "anonymous"),
    "visit.hidden": ("保密件", "confidential"),
    "visit.confidential": ("保密", "confidential"),
    "visit.caller": ("来电人：{name}", "Caller: {name}"),
    "visit.dial": ("回访电话：{phone}", "Call: {phone}"),
    "visit.dial_callback": (
        "回访电话：{phone}（回拨号码；来电 {contact}）",
        "Call: {phone} (call-back number; called from {contact})",
    ),
    "visit.no_phone": ("（无电话）", "(no number)"),
    "visit.hidden_line": (
        "（保密件：来电人信息不向本单位显示）",
        "(confidential: the caller is not shown to you)",
    ),
    "visit.attempts": ("已回访 {n} 次未接通", "{n} call(s) not answered"),
    "visit.reply_of": (
        "{dept} 的答复（请向来电人宣读）：",
        "{dept}'s reply (read it to the caller):",
    ),
    "visit.no_reply": ("（无答复内容）", "(no reply text)"),
    "visit.note": ("回访记录", "Visit note"),
    "visit.choose_first": ("请先按数字键选择回访结果", "Pick the outcome with a digit first"),
    "visit.then_note": (
        "{outcome}　请填写回访记录（可空），Ctrl+S 记录，Esc 重选",
        "{outcome}  Write the note (optional), Ctrl+S records, Esc picks again",
    ),
    "visit.hint": (
        "数字键选择结果 · Tab 回访记录 · Ctrl+S 记录 · Esc 取消",
        "Digits pick · Tab note · Ctrl+S records · Esc cancels",
    ),
    "visit.unreachable_nth": ("未接通（第 {n} 次）", "Unreachable (call {n})"),
    "visit.recorded": ("已记录回访 · {number}", "Visit recorded · {number}"),
    "visit.recorded_outcome": ("结果：{outcome}", "Outcome: {outcome}"),
    "visit.recorded_note": ("回访记录：{note}", "Note: {note}"),
    "visit.recorded_no_note": ("回访记录：（无）", "Note: (none)"),
    "visit.after.closed": ("工单已办结", "The order is closed"),
    "visit.after.pending_visit": ("工单仍待回访，稍后再拨", "Still to call back: try again later"),
    "visit.after.unsatisfied": (
        "工单待重办或办结",
        "the order waits for a redo or closing",
    ),
    "visit.after.other": ("工单现为：{state}", "The order is now: {state}"),
    "visit.close_hint": ("按 Enter 返回", "Enter returns"),
    "visit.last": (
        "上次回访：{number} {outcome}，{after}",
        "Last visit: {number} {outcome}, {after}",
    ),
}
