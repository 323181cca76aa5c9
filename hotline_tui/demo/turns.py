"""The turns of the demo's loop as data: who acts when, how long after the previous step, and
what they write (return reasons, decisions and notes).
"""

from __future__ import annotations

from hotline_tui.demo.simulation import DAY, HOUR, MINUTE
from hotline_tui.domain.states import AssignmentState, Ending, ReturnReason, TicketState

S = TicketState
A = AssignmentState
LIVE_CO = (
    A.PENDING_SIGN.value,
    A.IN_PROGRESS.value,
    A.RETURN_REVIEW.value,
    A.EXTENSION_REVIEW.value,
)
MERGEABLE_LEADS = frozenset(
    {
        S.REGISTERED,
        S.PENDING_DISPATCH,
        S.PENDING_SIGN,
        S.IN_PROGRESS,
        S.RETURN_REVIEW,
        S.EXTENSION_REVIEW,
        S.PENDING_REVIEW,
    }
)
MERGEABLE_DUPLICATES = frozenset({S.REGISTERED, S.PENDING_DISPATCH, S.PENDING_SIGN})
REOPENABLE = frozenset({Ending.ANSWERED, Ending.VISITED, Ending.UNSATISFIED})
REASONS = {
    "redispatch": (
        (ReturnReason.NOT_OUR_DUTY, ReturnReason.WRONG_AREA, ReturnReason.OVERLAPPING_DUTY),
        (5, 3, 2),
    ),
    "requeue": ((ReturnReason.OWNERSHIP_UNCLEAR, ReturnReason.OVERLAPPING_DUTY), (1, 1)),
    "reject": (
        (ReturnReason.NOT_OUR_DUTY, ReturnReason.INCOMPLETE_INFO, ReturnReason.OWNERSHIP_UNCLEAR),
        (4, 3, 2),
    ),
}
NOTES = {
    "reject": "经核实该事项属于贵单位职责，退单理由不成立，请继续办理。",
    "accept": "退单理由成立，同意改派。",
    "requeue": "退单理由成立，待明确责任单位后重新派单。",
    "approve": "同意延期。",
    "deny": "延期理由不充分，请在原时限内办结。",
    "review_fail": "答复未回应来电人的全部诉求，请补充办理情况后重新答复。",
    "redo": "来电人对办理结果不满意，请重新办理并与来电人当面沟通。",
    "close": "诉求超出政策规定，已做好解释，按规定办结。",
    "reopen": "来电人再次来电反映问题未解决，经核实重启工单。",
    "release": "协办单位长期未答复，经协调释放协办，由主办单位牵头答复。",
    "urge": "请加快办理进度，及时与来电人联系。",
    "supervise": "该诉求反复投诉，请单位负责人督办，三个工作日内书面回复。",
    "supervise_reply": "已由分管领导牵头督办，制定整改方案并于本周内落实。",
    "escalate": "涉及群体性诉求，提级至市领导协调。",
    "consult": "涉及多个部门职责，组织相关单位会商明确分工。",
    "merge": "与工单{number}反映同一问题，并单处理。",
}

ON_LEAD = frozenset(
    {
        "sign",
        "return",
        "return_review",
        "extension",
        "decide_extension",
        "urge",
        "supervise",
        "supervise_reply",
        "reply",
    }
)
HANDLER_TURNS = frozenset({"sign", "return", "extension", "supervise_reply", "reply"})
BY_STATE: dict[str, str] = {
    S.REGISTERED: "queue",
    S.PENDING_DISPATCH: "dispatch",
    S.RETURN_REVIEW: "return_review",
    S.EXTENSION_REVIEW: "decide_extension",
    S.PENDING_REVIEW: "review",
    S.PENDING_VISIT: "visit",
    S.UNSATISFIED: "unsatisfied",
}
# Delays from the previous step: departments work office hours, the hotline from 7 to 23.
OFFICE_DELAYS = {
    "sign": (30 * MINUTE, 20 * HOUR),
    "return": (1 * HOUR, 2 * DAY),
    "extension": (1 * DAY, 4 * DAY),
    "supervise_reply": (2 * HOUR, 2 * DAY),
    "reply": (1 * DAY, 8 * DAY),
}
HOTLINE_DELAYS = {
    "queue": (1 * MINUTE, 10 * MINUTE),
    "dispatch": (5 * MINUTE, 3 * HOUR),
    "return_review": (30 * MINUTE, 8 * HOUR),
    "decide_extension": (1 * HOUR, 24 * HOUR),
    "urge": (1 * DAY, 3 * DAY),
    "supervise": (1 * DAY, 3 * DAY),
    "escalate": (4 * HOUR, 2 * DAY),
    "consult": (4 * HOUR, 2 * DAY),
    "withdraw": (1 * DAY, 4 * DAY),
    "wait": (1 * DAY, 2 * DAY),
    "release": (1 * HOUR, 8 * HOUR),
    "review": (1 * HOUR, 24 * HOUR),
    "visit": (2 * HOUR, 48 * HOUR),
    "unsatisfied": (1 * HOUR, 24 * HOUR),
    "reopen": (1 * DAY, 10 * DAY),
}
