"""The words for reading an order's records, merged into the console's one catalogue by
:mod:`hotline_tui.ui.i18n`:

- :data:`EVENTS` - the audit trail's action codes (an order's timeline), worded by
  ``event_name``. Every code the services write has one, so the console never shows
  ``follow_lead`` or ``assign``: ``tests/ui/test_event_names.py`` reads every place the services
  record an event and fails on a code without a label.
- :data:`MESSAGES` - the order view's record viewer (Enter on a part or an event), the
  co-handlers' opinions, and the key line's pointer to F1 for the keys it has no room for.
"""

from __future__ import annotations

__all__ = ["EVENTS", "MESSAGES"]

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


# code: (Chinese, English)
EVENTS: dict[str, tuple[str, str]] = {
    # The order as a whole (domain.lifecycle.TicketAction).
    "register": ("受理", "Registered"),
    "queue": ("转派单队列", "To dispatch queue"),
    "answer": ("直接答复", "Answered directly"),
    "dispatch": ("派单", "Dispatched"),
    "redispatch": ("改派", "Re-dispatched"),
    "requeue": ("退回待派单", "Back to dispatch"),
    "review_pass": ("审核通过", "Reply passed"),
    "review_fail": ("审核不通过", "Reply failed"),
    "visit_satisfied": ("回访办结", "Visited, closed"),
    "visit_unsatisfied": ("回访不满意", "Visited, unsatisfied"),
    "visit_unreachable": ("回访未接通", "Visit: unreachable"),
    "visit_give_up": ("回访未接通办结", "Visit: closed unreachable"),
    "visit_declined": ("拒绝回访", "Visit declined"),
    "redo": ("重办", "Redo"),
    "close": ("办结", "Closed"),
    "merge": ("并单", "Merged"),
    "lead_replied": ("主件已答复", "Lead order replied"),
    "unmerge": ("取消并单", "Unmerged"),
    "withdraw": ("撤单", "Withdrawn"),
    "withdraw_request": ("撤单申请", "Withdrawal asked"),
    "withdraw_reject": ("驳回撤单", "Withdrawal rejected"),
    "invalid": ("无效来电", "Invalid call"),
    "reopen": ("重启", "Reopened"),
    "archive": ("归档", "Archived"),
    "edit": ("修改工单", "Edited"),
    "escalate": ("提级", "Escalated"),
    "consult": ("会商", "Consultation"),
    "escalate_result": ("提级结果", "Escalation outcome"),
    "consult_result": ("会商结果", "Consultation outcome"),
    # One department's part (domain.lifecycle.AssignmentAction).
    "assign": ("分派单位", "Assigned"),
    "sign": ("签收", "Signed"),
    "return": ("退单", "Returned"),
    "return_accept": ("同意退单", "Return accepted"),
    "return_reject": ("驳回退单", "Return rejected"),
    "request_extension": ("申请延期", "Extension asked"),
    "extension_approve": ("批准延期", "Extension approved"),
    "extension_deny": ("不批准延期", "Extension denied"),
    "reply": ("答复", "Replied"),
    "release": ("释放协办", "Co-handler released"),
    "cancel": ("随工单终止", "Ended with the order"),
    "urge": ("催办", "Urged"),
    "supervise": ("督办", "Supervised"),
    "supervise_reply": ("督办回复", "Supervision answered"),
    # The system's own steps on an order.
    "follow_lead": ("工单随主办变更", "Order follows the lead"),
    "merged_in": ("并入重复件", "Duplicate merged in"),
    "merged_out": ("重复件移出", "Duplicate taken out"),
    "merge_moved": ("转并至新主件", "Moved to the new lead"),
    "limit_change": ("时限变更", "Limits changed"),
    "deadline.near_due": ("黄灯临期", "Due soon"),
    "deadline.overdue": ("红灯超期", "Overdue"),
    "deadline.sign_overdue": ("签收超时", "Sign late"),
    "deadline.visit_due": ("回访到期", "Visit due"),
    "deadline.hotline_late": ("热线环节超时", "Hotline step late"),
    "public_notice": ("通报", "Public notice"),
    "caller.reveal": ("查看完整号码", "Caller revealed"),
    "caller.mark_abusive": ("标记恶意来电", "Marked abusive"),
    "material.add": ("添加材料", "Material added"),
    # Outside any order (users, reference data, the knowledge base, the database).
    "user.add": ("新增用户", "User added"),
    "user.disable": ("停用用户", "User disabled"),
    "user.enable": ("启用用户", "User enabled"),
    "user.map_os_account": ("绑定系统账号", "OS account mapped"),
    "user.reset_password": ("重置密码", "Password reset"),
    "user.locked": ("账号锁定", "Account locked"),
    "user.login_failed": ("登录失败", "Login failed"),
    "user.login": ("登录", "Logged in"),
    "reference.import": ("导入基础数据", "Reference imported"),
    "reference.seed": ("初始化基础数据", "Reference seeded"),
    "calendar.import": ("导入节假日", "Calendar imported"),
    "sla.set": ("设置时限规则", "Time limit set"),
    "sla.delete": ("删除时限规则", "Time limit deleted"),
    "db.mark_copy": ("标记数据库副本", "Database marked a copy"),
    "kb.create": ("新建知识", "Article created"),
    "kb.import": ("导入知识", "Article imported"),
    "kb.edit": ("修改知识", "Article edited"),
    "kb.submit": ("提交审核", "Article submitted"),
    "kb.approve": ("知识审核通过", "Article approved"),
    "kb.reject": ("知识退回修改", "Article rejected"),
    "kb.publish": ("发布知识", "Article published"),
    "kb.retire": ("停用知识", "Article retired"),
    "kb.use": ("引用知识", "Article used"),
    "kb.feedback": ("知识反馈", "Article feedback"),
    "kb.expired": ("知识到期", "Article expired"),
    "kb.import_file": ("导入知识文件", "Articles file imported"),
    "kb.synonyms": ("修改同义词", "Synonyms changed"),
}
