"""The words for the domain's codes, each code worded once: code → (Chinese, English).

A vocabulary per kind of code (:data:`VOCABULARIES` names them): the states of an order and of a
department's part, request types, urgencies, caller kinds, roles, the values a user picks in a
dialog or an option (return reasons, visit contact, resolution, satisfaction), the queues and
boards, the knowledge base's statuses and feedback, the scheduler's steps and jobs.
``tests/labels/test_catalogue.py`` walks the domain's enumerations and fails on a code without
a Chinese text here.
"""

from __future__ import annotations

Vocabulary = dict[str, tuple[str, str]]

STATES: Vocabulary = {
    # The order (domain.states.TicketState).
    "registered": ("已受理", "registered"),
    "pending_dispatch": ("待派单", "to dispatch"),
    "pending_sign": ("待签收", "to sign"),
    "in_progress": ("办理中", "in progress"),
    "return_review": ("退单审核中", "return review"),
    "extension_review": ("延期审批中", "extension review"),
    "pending_review": ("待审核", "reply review"),
    "pending_visit": ("待回访", "to visit"),
    "unsatisfied": ("回访不满意", "unsatisfied"),
    "merged": ("已并单", "merged"),
    "closed": ("已办结", "closed"),
    "archived": ("已归档", "archived"),
    # A department's part (domain.states.AssignmentState), beside the shared ones above.
    "replied": ("已答复", "replied"),
    "done": ("已完成", "done"),
    "returned": ("已退回", "returned"),
    "released": ("已释放", "released"),
    "cancelled": ("已取消", "cancelled"),
}

REQUEST_TYPES: Vocabulary = {
    "consult": ("咨询", "Consult"),
    "help": ("求助", "Help"),
    "complaint": ("投诉", "Complaint"),
    "report": ("举报", "Report"),
    "suggestion": ("建议", "Suggestion"),
    "praise": ("表扬", "Praise"),
    "other": ("其他", "Other"),
}

URGENCIES: Vocabulary = {
    "normal": ("一般", "Normal"),
    "urgent": ("紧急", "Urgent"),
    "critical": ("特急", "Critical"),
}

CALLER_KINDS: Vocabulary = {
    "person": ("个人", "Person"),
    "enterprise": ("企业", "Enterprise"),
    "anonymous": ("匿名", "Anonymous"),
}

# An enterprise caller's size (domain.intake: the national classification of enterprises).
ENTERPRISE_SIZES: Vocabulary = {
    "micro": ("微型", "Micro"),
    "small": ("小型", "Small"),
    "medium": ("中型", "Medium"),
    "large": ("大型", "Large"),
}

# A department's role on an order (domain.states.AssignmentRole).
PART_ROLES: Vocabulary = {"lead": ("主办", "Lead"), "co": ("协办", "Co")}

# A user's role (domain.states.Role).
USER_ROLES: Vocabulary = {
    "operator": ("话务员", "Operator"),
    "dispatcher": ("派单员", "Dispatcher"),
    "handler": ("承办单位", "Handler"),
    "supervisor": ("督办", "Supervisor"),
    "admin": ("管理员", "Administrator"),
    "channel": ("渠道账号", "Channel"),
}

# What intake does with a call at once (services.tickets.intake.Disposition.kind).
DISPOSITIONS: Vocabulary = {
    "dispatch": ("派单", "Dispatch"),
    "answer": ("直接答复", "Answer now"),
    "queue": ("转派单队列", "To dispatch queue"),
    "withdraw": ("撤单", "Withdrawn"),
    "invalid": ("无效来电", "Invalid call"),
}

# How a closed order ended (domain.states.Ending).
ENDINGS: Vocabulary = {
    "answered": ("直接答复", "Answered"),
    "visited": ("回访后办结", "Visited"),
    "unsatisfied_closed": ("不满意办结", "Closed unsatisfied"),
    "unreachable": ("回访联系不上", "Unreachable"),
    "declined": ("拒绝回访", "Declined"),
    "withdrawn": ("撤单", "Withdrawn"),
    "invalid": ("无效来电", "Invalid"),
    "merged": ("并单", "Merged"),
}

# The values a user picks: a return's reason, a visit's contact, resolution and satisfaction.
RETURN_REASONS: Vocabulary = {
    "wrong_area": ("属地不符", "Wrong area"),
    "not_our_duty": ("非职责范围", "Not our duty"),
    "ownership_unclear": ("权属不清", "Ownership unclear"),
    "overlapping_duty": ("职能交叉", "Overlapping duty"),
    "incomplete_info": ("信息不全", "Incomplete information"),
}
VISIT_CONTACTS: Vocabulary = {
    "reached": ("已联系", "Reached"),
    "unreachable": ("未接通", "Unreachable"),
    "declined": ("拒绝回访", "Declined"),
}
RESOLUTIONS: Vocabulary = {
    "resolved": ("已解决", "Resolved"),
    "partly": ("部分解决", "Partly"),
    "unresolved": ("未解决", "Unresolved"),
}
SATISFACTIONS: Vocabulary = {
    "satisfied": ("满意", "Satisfied"),
    "basic": ("基本满意", "Fairly satisfied"),
    "unsatisfied": ("不满意", "Unsatisfied"),
}
# What became of the order after a return-visit call (its audit action).
VISIT_OUTCOMES: Vocabulary = {
    "visit_give_up": ("未接通办结", "closed unreachable"),
    "visit_unreachable": ("待再次回访", "to call again"),
    "visit_declined": ("拒访办结", "closed, declined"),
    "visit_satisfied": ("办结", "closed"),
    "visit_unsatisfied": ("不满意", "unsatisfied"),
}
YES_NO: Vocabulary = {"yes": ("是", "Yes"), "no": ("否", "No")}

# The work queues (services.tickets.worklists.QUEUE_NAMES): a department's, then the hotline's.
QUEUES: Vocabulary = {
    "to_sign": ("待签收", "To sign"),
    "in_progress": ("办理中", "In progress"),
    "due_soon": ("临期", "Due soon"),
    "overdue": ("超期", "Overdue"),
    "returned": ("退单中", "Returned"),
    "supervised": ("督办", "Supervised"),
    "to_dispatch": ("待派单", "To dispatch"),
    "returns": ("退单审核", "Returns"),
    "extensions": ("延期审批", "Extensions"),
    "replies": ("答复审核", "Replies"),
    "visits": ("待回访", "To visit"),
    "unsatisfied": ("不满意", "Unsatisfied"),
    "withdrawals": ("撤单申请", "Withdrawals"),
}
# A row's due flag (services.tickets.worklists.due_status).
DUE_FLAGS: Vocabulary = {"near": ("临期", "Near"), "overdue": ("超期", "Overdue")}
# The deadline boards (services.tickets.deadlines.Board).
BOARDS: Vocabulary = {
    "overdue": ("超期", "Overdue"),
    "near_due": ("临期", "Near due"),
    "sign_overdue": ("签收超时", "Sign late"),
    "visit_due": ("待回访到期", "Visit due"),
}

# The knowledge base: an article's status, a reader's feedback.
KB_STATUSES: Vocabulary = {
    "draft": ("草稿", "Draft"),
    "review": ("待审核", "In review"),
    "published": ("已发布", "Published"),
    "retired": ("已停用", "Retired"),
}
FEEDBACK: Vocabulary = {
    "helpful": ("有用", "Helpful"),
    "outdated": ("已过时", "Outdated"),
    "wrong": ("有错误", "Wrong"),
}

# The scheduler's steps (deadline flags, the escalation ladder, the hotline's own late steps)
# and the supervision kinds, as notices, ``hotline scheduler`` and ``hotline status`` name them.
STEPS: Vocabulary = {
    "near_due": ("黄灯临期", "Due soon"),
    "overdue": ("红灯超期", "Overdue"),
    "sign_overdue": ("签收超时", "Sign late"),
    "visit_due": ("回访到期", "Visit due"),
    "urge": ("催办", "Urged"),
    "supervise": ("督办", "Supervised"),
    "notice": ("通报", "Noted"),
    "dispatch_late": ("派单超时", "Dispatch late"),
    "return_review_late": ("退单审核超时", "Return review late"),
    "extension_late": ("延期审批超时", "Extension late"),
    "limit_change": ("时限变更", "Limits changed"),
    "escalate": ("提级", "Escalated"),
    "consult": ("会商", "Consultation"),
}
JOBS: Vocabulary = {
    "scan": ("时限扫描", "Deadline scan"),
    "stats": ("指标汇总", "Measures roll-up"),
    "kpi_snapshot": ("指标快照", "KPI snapshot"),
    "kb_expiry": ("知识过期检查", "Knowledge expiry check"),
    "calendar_coverage": ("节假日覆盖检查", "Holiday calendar check"),
    "audit_checkpoint": ("审计检查点", "Audit checkpoint"),
    "audit_deep": ("审计深度抽查", "Deep audit check"),
}

# Why the audit chain or its checkpoint file does not verify (domain.audit_chain,
# domain.audit_checkpoints, services.admin.audit_deep).
AUDIT_PROBLEMS: Vocabulary = {
    "wrong_key": ("密钥错误（事件由另一把密钥签名）", "wrong key"),
    "gap": ("事件缺失（被删除）", "events missing"),
    "sequence": ("序号错乱", "sequence out of order"),
    "chain": ("链接断裂（插入或重排）", "chain broken"),
    "mac": ("内容被篡改", "content altered"),
    "checkpoint": ("与检查点不符（事件被删除或改写）", "differs from a checkpoint"),
    "head": ("链头记录与事件不符", "head record differs"),
    "checkpoint_file": (
        "检查点文件校验失败（被改动、删行，或属于另一把密钥）",
        "checkpoint file does not verify",
    ),
    "orders": ("有工单没有受理事件（工单在程序之外插入，或事件被清除）", "orders without events"),
    "orders_gone": ("有已受理的工单不在数据库中（被删除）", "registered orders missing"),
    # The checkpoint file's own lines.
    "syntax": ("格式错误", "syntax"),
    "legacy": ("链式记录之后出现未签名的记录", "unsigned record after chained ones"),
    "number": ("记录编号不连续", "record number out of order"),
    "backwards": ("链头倒退", "head went backwards"),
}

# Reference data: an area's level, a department's kind, what an import wrote.
AREA_LEVELS: Vocabulary = {
    "city": ("市", "City"),
    "district": ("区县", "District"),
    "street": ("街道乡镇", "Street"),
    "community": ("社区", "Community"),
}
DEPT_KINDS: Vocabulary = {
    "municipal": ("市直部门", "Municipal"),
    "district": ("区县部门", "District"),
    "street": ("街道乡镇", "Street"),
    "utility": ("公用企业", "Utility"),
    "other": ("其他", "Other"),
}
REFERENCE_ENTITIES: Vocabulary = {
    "area": ("行政区划", "Areas"),
    "department": ("单位", "Departments"),
    "category": ("分类", "Categories"),
    "catalogue": ("派单目录", "Dispatch catalogue"),
}
# The time limits of a rule (domain.sla_rules).
LIMIT_KINDS: Vocabulary = {
    "dispatch": ("派单", "Dispatch"),
    "sign": ("签收", "Sign"),
    "return_window": ("退单", "Return window"),
    "complete": ("办结", "Complete"),
    "extension_max": ("延期上限", "Extension cap"),
    "visit": ("回访", "Visit"),
}

VOCABULARIES: dict[str, Vocabulary] = {
    "state": STATES,
    "request_type": REQUEST_TYPES,
    "urgency": URGENCIES,
    "caller_kind": CALLER_KINDS,
    "enterprise_size": ENTERPRISE_SIZES,
    "part_role": PART_ROLES,
    "user_role": USER_ROLES,
    "disposition": DISPOSITIONS,
    "ending": ENDINGS,
    "return_reason": RETURN_REASONS,
    "visit_contact": VISIT_CONTACTS,
    "resolution": RESOLUTIONS,
    "satisfaction": SATISFACTIONS,
    "visit_outcome": VISIT_OUTCOMES,
    "yes_no": YES_NO,
    "queue": QUEUES,
    "due_flag": DUE_FLAGS,
    "board": BOARDS,
    "kb_status": KB_STATUSES,
    "feedback": FEEDBACK,
    "step": STEPS,
    "job": JOBS,
    "audit_problem": AUDIT_PROBLEMS,
    "area_level": AREA_LEVELS,
    "dept_kind": DEPT_KINDS,
    "reference_entity": REFERENCE_ENTITIES,
    "limit_kind": LIMIT_KINDS,
}
