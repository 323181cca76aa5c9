"""The words of 提级 and 会商 (participants, due time, outcome) and of the return-visit calls in
the order view, merged into :mod:`hotline_tui.ui.i18n`'s catalogue; key: (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "notice.escalate": ("提级", "Escalated"),
    "notice.consult": ("会商", "Consultation"),
    "detail.escalate": ("提级", "Escalated"),
    "detail.consult": ("会商", "Consultation"),
    "detail.parties": ("参加：{names}", "with {names}"),
    "detail.leader": ("领导 {name}", "leader {name}"),
    "detail.result_due": ("结果期限 {at}", "outcome due {at}"),
    "detail.result_open": ("待反馈结果", "awaiting outcome"),
    "detail.result": ("结果", "Outcome"),
    "detail.visits": ("回访记录", "Return visits"),
    "detail.visit_line": ("第{n}次 {at} {by} {contact}", "#{n} {at} {by} {contact}"),
}

ACTIONS: dict[str, tuple[str, str]] = {
    "escalate_result": ("提级结果", "Escalation outcome"),
    "consult_result": ("会商结果", "Consultation outcome"),
}

FIELDS: dict[str, tuple[str, str]] = {
    "leader": ("领导（用户名）", "Leader (user name)"),
    "depts": ("参加单位", "Departments"),
    "due_days": ("反馈期限（工作日，可空）", "Outcome due (working days, optional)"),
    "result": ("结果", "Outcome"),
}

CHOICES: dict[str, tuple[str, str]] = {
    "visit_give_up": ("未接通办结", "closed unreachable"),
    "visit_unreachable": ("待再次回访", "to call again"),
    "visit_declined": ("拒访办结", "closed, declined"),
    "visit_satisfied": ("办结", "closed"),
    "visit_unsatisfied": ("不满意", "unsatisfied"),
}
