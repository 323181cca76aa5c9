"""The console's phrasing for reading an order's records, merged into :mod:`hotline_tui.ui.i18n`:
the order view's record viewer (Enter on a part or an event), the co-handlers' opinions, and the
key line's pointer to F1 for the keys it has no room for. The audit trail's action codes are
worded by the product's catalogue (:data:`hotline_tui.labels.actions.EVENTS`).
"""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    "detail.co_opinions": ("协办意见", "Co-handlers' opinions"),
    "detail.co_waiting": ("尚未答复（{state}）", "no reply yet ({state})"),
    "detail.co_replied": ("{at} 答复", "replied {at}"),
    "detail.enter_reads": ("（回车查看全文）", " (Enter: read in full)"),
    "record.part_state": ("办理状态", "State"),
    "record.assigned_at": ("派单时间", "Assigned"),
    "record.sign_due": ("签收期限", "Sign by"),
    "record.signed_at": ("签收时间", "Signed"),
    "record.due": ("办理期限", "Due"),
    "record.replied_at": ("答复时间", "Replied"),
    "record.extension": ("申请延期 {n} 个工作日", "Extension asked: {n} working days"),
    "record.extension_granted": ("已批准延期 {n} 个工作日", "Extension granted: {n} working days"),
    "record.return_reason": ("退单原因", "Return reason"),
    "record.return_basis": ("退单依据", "Return basis"),
    "record.reply": ("答复内容", "Reply"),
    "record.no_reply": ("（尚未答复）", "(no reply yet)"),
    "record.actor": ("操作人", "By"),
    "record.action": ("动作", "Action"),
    "record.state": ("状态", "State"),
    "record.dept": ("单位", "Department"),
    "record.seq": ("审计序号", "Audit number"),
    "record.note": ("说明", "Note"),
    "record.hint": ("↑↓ PgUp PgDn 翻阅   Esc 关闭", "↑↓ PgUp PgDn scroll   Esc close"),
    "key.more": ("帮助（另{n}键）", "Help (+{n} keys)"),
}
