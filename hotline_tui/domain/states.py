"""The vocabularies of the work order: states, endings, request types, urgencies, reasons, roles.

Stored as strings (with CHECK constraints in the database) rather than native enums, so that a new
value is a migration of a constraint, not of a type.
"""

from __future__ import annotations

from enum import StrEnum


class TicketState(StrEnum):
    """The order's state (DESIGN.md §3). While dispatched it follows the lead assignment."""

    REGISTERED = "registered"  # 已受理
    PENDING_DISPATCH = "pending_dispatch"  # 待派单
    PENDING_SIGN = "pending_sign"  # 待签收
    IN_PROGRESS = "in_progress"  # 办理中
    RETURN_REVIEW = "return_review"  # 退单审核中
    EXTENSION_REVIEW = "extension_review"  # 延期审批中
    PENDING_REVIEW = "pending_review"  # 待审核
    PENDING_VISIT = "pending_visit"  # 待回访
    UNSATISFIED = "unsatisfied"  # 回访不满意, waiting for 重办 or 办结
    MERGED = "merged"  # 已并单: waits for its lead order's reply, then is called back
    CLOSED = "closed"  # 已办结
    ARCHIVED = "archived"  # 已归档


class AssignmentState(StrEnum):
    """One department's part of an order (lead or co-handler)."""

    PENDING_SIGN = "pending_sign"  # 待签收
    IN_PROGRESS = "in_progress"  # 办理中
    RETURN_REVIEW = "return_review"  # 退单审核中
    EXTENSION_REVIEW = "extension_review"  # 延期审批中
    REPLIED = "replied"  # 已答复 (the lead's reply waits for review)
    DONE = "done"  # 已完成
    RETURNED = "returned"  # 已退回 (return accepted; ended)
    RELEASED = "released"  # 已释放 (co-handler released by the dispatcher; ended)
    CANCELLED = "cancelled"  # 已取消 (the order ended otherwise)


class Ending(StrEnum):
    """How a closed order ended."""

    ANSWERED = "answered"  # 直接答复
    VISITED = "visited"  # 回访后办结 (satisfaction is on the order)
    UNSATISFIED = "unsatisfied_closed"  # 回访不满意, closed without redo
    UNREACHABLE = "unreachable"  # 回访联系不上
    DECLINED = "declined"  # 拒绝回访
    WITHDRAWN = "withdrawn"  # 撤单
    INVALID = "invalid"  # 无效来电
    MERGED = "merged"  # 并单 (closed with its lead order)


class AssignmentRole(StrEnum):
    LEAD = "lead"  # 主办
    CO = "co"  # 协办


class RequestType(StrEnum):
    CONSULT = "consult"  # 咨询
    HELP = "help"  # 求助
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报
    SUGGESTION = "suggestion"  # 建议
    PRAISE = "praise"  # 表扬
    OTHER = "other"  # 其他


class Urgency(StrEnum):
    NORMAL = "normal"  # 一般
    URGENT = "urgent"  # 紧急
    CRITICAL = "critical"  # 特急


class ReturnReason(StrEnum):
    WRONG_AREA = "wrong_area"  # 属地不符
    NOT_OUR_DUTY = "not_our_duty"  # 非职责范围
    OWNERSHIP_UNCLEAR = "ownership_unclear"  # 权属不清
    OVERLAPPING_DUTY = "overlapping_duty"  # 职能交叉
    INCOMPLETE_INFO = "incomplete_info"  # 信息不全


class Resolution(StrEnum):
    RESOLVED = "resolved"  # 已解决
    PARTLY = "partly"  # 部分解决
    UNRESOLVED = "unresolved"  # 未解决


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASIC = "basic"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


class VisitContact(StrEnum):
    """Whether the return visit reached the caller."""

    REACHED = "reached"
    UNREACHABLE = "unreachable"
    DECLINED = "declined"


class CallerKind(StrEnum):
    PERSON = "person"
    ENTERPRISE = "enterprise"
    ANONYMOUS = "anonymous"


class Role(StrEnum):
    OPERATOR = "operator"  # 话务员
    DISPATCHER = "dispatcher"  # 派单员
    HANDLER = "handler"  # 承办单位
    SUPERVISOR = "supervisor"  # 督办/班长
    ADMIN = "admin"  # 管理员
    # 渠道账号: a public channel (the web page, a partner system over Open311) acting through
    # the services; it registers requests and reads only what the public may read.
    CHANNEL = "channel"


class SupervisionKind(StrEnum):
    """Flags and events beside the state (DESIGN.md §3)."""

    URGE = "urge"  # 催办
    SUPERVISE = "supervise"  # 督办
    ESCALATE = "escalate"  # 提级
    CONSULT = "consult"  # 会商


OPEN_ASSIGNMENT_STATES = frozenset(
    {
        AssignmentState.PENDING_SIGN,
        AssignmentState.IN_PROGRESS,
        AssignmentState.RETURN_REVIEW,
        AssignmentState.EXTENSION_REVIEW,
        AssignmentState.REPLIED,
    }
)
ENDED_ASSIGNMENT_STATES = frozenset(
    {AssignmentState.RETURNED, AssignmentState.RELEASED, AssignmentState.CANCELLED}
)
# While the order is in one of these states its state is the lead assignment's (mapped).
FOLLOWS_LEAD = {
    AssignmentState.PENDING_SIGN: TicketState.PENDING_SIGN,
    AssignmentState.IN_PROGRESS: TicketState.IN_PROGRESS,
    AssignmentState.RETURN_REVIEW: TicketState.RETURN_REVIEW,
    AssignmentState.EXTENSION_REVIEW: TicketState.EXTENSION_REVIEW,
    AssignmentState.REPLIED: TicketState.PENDING_REVIEW,
}
DISPATCHED_STATES = frozenset(FOLLOWS_LEAD.values())
OPEN_TICKET_STATES = frozenset(TicketState) - {TicketState.CLOSED, TicketState.ARCHIVED}


def values(enum: type[StrEnum]) -> list[str]:
    """The stored strings of an enum, for CHECK constraints and CLI choices."""
    return [member.value for member in enum]
