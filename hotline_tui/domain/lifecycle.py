"""The closed loop as explicit transition tables, per order and per assignment.

Pure data and pure functions: the services look up the next state here and nothing else decides
it. An action that is not in the table for the current state is refused with an
:class:`IllegalTransition` naming the order, the state and the action. Each transition also says
whether it hands the order over from one party to another (流转环节), which the services count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from hotline_tui.domain.errors import IllegalTransition
from hotline_tui.domain.states import (
    DISPATCHED_STATES,
    AssignmentState,
    Resolution,
    Satisfaction,
    TicketState,
    VisitContact,
)

A = AssignmentState
T = TicketState


class TicketAction(StrEnum):
    """Actions on the order as a whole."""

    QUEUE = "queue"  # 提交派单 (registered → waits for a dispatcher)
    ANSWER = "answer"  # 直接答复
    DISPATCH = "dispatch"  # 派单
    REDISPATCH = "redispatch"  # 改派 of the lead after an accepted return
    REQUEUE = "requeue"  # the lead's return accepted, new department not yet chosen
    REVIEW_PASS = "review_pass"  # noqa: S105  审核通过
    REVIEW_FAIL = "review_fail"  # 审核不通过 → 补办
    VISIT_SATISFIED = "visit_satisfied"  # 回访: 满意 / 基本满意
    VISIT_UNSATISFIED = "visit_unsatisfied"  # 回访: 不满意
    VISIT_UNREACHABLE = "visit_unreachable"  # 回访未接通, attempts remain
    VISIT_GIVE_UP = "visit_give_up"  # 回访未接通, last attempt
    VISIT_DECLINED = "visit_declined"  # 拒绝回访
    REDO = "redo"  # 重办
    CLOSE = "close"  # 办结 (after an unsatisfied visit, without redo)
    MERGE = "merge"  # 并单 into a lead order
    LEAD_REPLIED = "lead_replied"  # system: a merged order's lead passed review
    UNMERGE = "unmerge"  # system: the lead was withdrawn or invalid; back to the queue
    WITHDRAW = "withdraw"  # 撤单
    # 撤单申请: an operator asks to withdraw a dispatched order; a dispatcher confirms it (the
    # WITHDRAW above) or rejects it (the order carries on). Beside the state, like a flag.
    WITHDRAW_REQUEST = "withdraw_request"
    WITHDRAW_REJECT = "withdraw_reject"
    INVALID = "invalid"  # 无效来电
    REOPEN = "reopen"  # 重启
    ARCHIVE = "archive"  # 归档
    EDIT = "edit"  # 修改工单字段
    # Flags and events beside the state.
    ESCALATE = "escalate"  # 提级
    CONSULT = "consult"  # 会商
    ESCALATE_RESULT = "escalate_result"  # 提级结果
    CONSULT_RESULT = "consult_result"  # 会商结果


class AssignmentAction(StrEnum):
    """Actions on one department's assignment."""

    SIGN = "sign"  # 签收
    RETURN = "return"  # 退单
    RETURN_ACCEPT = "return_accept"  # 退单审核: 同意 (改派)
    RETURN_REJECT = "return_reject"  # 退单审核: 驳回
    REQUEST_EXTENSION = "request_extension"  # 延期申请
    EXTENSION_APPROVE = "extension_approve"
    EXTENSION_DENY = "extension_deny"
    REPLY = "reply"  # 答复
    REVIEW_PASS = "review_pass"  # noqa: S105  the order's reply review passed
    REVIEW_FAIL = "review_fail"  # the order's reply review failed (lead only)
    REDO = "redo"  # 重办
    RELEASE = "release"  # 释放协办
    CANCEL = "cancel"  # the order ended (withdrawn, merged)
    # Flags and events beside the state.
    URGE = "urge"  # 催办
    SUPERVISE = "supervise"  # 督办
    SUPERVISE_REPLY = "supervise_reply"  # 督办回复


@dataclass(frozen=True)
class Step:
    """One row of a transition table: from ``source`` the action leads to ``target``."""

    target: str
    handover: bool = False


_OPEN_BEFORE_DISPATCH = (T.REGISTERED, T.PENDING_DISPATCH)
_ACTIVE_ORDER = (*_OPEN_BEFORE_DISPATCH, *sorted(DISPATCHED_STATES), T.UNSATISFIED)
_WITHDRAWABLE = (*_ACTIVE_ORDER, T.MERGED, T.PENDING_VISIT)
_OPEN_ASSIGNMENT = (A.PENDING_SIGN, A.IN_PROGRESS, A.RETURN_REVIEW, A.EXTENSION_REVIEW, A.REPLIED)


def _rows(sources: Iterable[str], target: str, *, handover: bool = False) -> dict[str, Step]:
    return {source: Step(target, handover) for source in sources}


def _same(sources: Iterable[str]) -> dict[str, Step]:
    """Flag-like actions: allowed in these states, the state does not change."""
    return {source: Step(source) for source in sources}


TICKET_TRANSITIONS: Mapping[TicketAction, Mapping[str, Step]] = {
    TicketAction.QUEUE: _rows([T.REGISTERED], T.PENDING_DISPATCH),
    TicketAction.ANSWER: _rows(_OPEN_BEFORE_DISPATCH, T.CLOSED),
    TicketAction.DISPATCH: _rows(_OPEN_BEFORE_DISPATCH, T.PENDING_SIGN, handover=True),
    TicketAction.REDISPATCH: _rows([T.RETURN_REVIEW], T.PENDING_SIGN, handover=True),
    TicketAction.REQUEUE: _rows([T.RETURN_REVIEW], T.PENDING_DISPATCH),
    TicketAction.REVIEW_PASS: _rows([T.PENDING_REVIEW], T.PENDING_VISIT),
    TicketAction.REVIEW_FAIL: _rows([T.PENDING_REVIEW], T.IN_PROGRESS, handover=True),
    TicketAction.VISIT_SATISFIED: _rows([T.PENDING_VISIT], T.CLOSED),
    TicketAction.VISIT_UNSATISFIED: _rows([T.PENDING_VISIT], T.UNSATISFIED),
    TicketAction.VISIT_UNREACHABLE: _rows([T.PENDING_VISIT], T.PENDING_VISIT),
    TicketAction.VISIT_GIVE_UP: _rows([T.PENDING_VISIT], T.CLOSED),
    TicketAction.VISIT_DECLINED: _rows([T.PENDING_VISIT], T.CLOSED),
    TicketAction.REDO: _rows([T.UNSATISFIED], T.IN_PROGRESS, handover=True),
    TicketAction.CLOSE: _rows([T.UNSATISFIED], T.CLOSED),
    TicketAction.MERGE: _rows([*_OPEN_BEFORE_DISPATCH, T.PENDING_SIGN], T.MERGED),
    TicketAction.LEAD_REPLIED: _rows([T.MERGED], T.PENDING_VISIT),
    TicketAction.UNMERGE: _rows([T.MERGED], T.PENDING_DISPATCH),
    TicketAction.WITHDRAW: _rows(_WITHDRAWABLE, T.CLOSED),
    TicketAction.WITHDRAW_REQUEST: _same(_WITHDRAWABLE),
    TicketAction.WITHDRAW_REJECT: _same(_WITHDRAWABLE),
    TicketAction.INVALID: _rows(_OPEN_BEFORE_DISPATCH, T.CLOSED),
    TicketAction.REOPEN: _rows([T.CLOSED], T.PENDING_DISPATCH, handover=True),
    TicketAction.ARCHIVE: _rows([T.CLOSED], T.ARCHIVED),
    TicketAction.EDIT: _same([*_ACTIVE_ORDER, T.PENDING_VISIT]),
    TicketAction.ESCALATE: _same(_ACTIVE_ORDER),
    TicketAction.CONSULT: _same(_ACTIVE_ORDER),
    # The outcome may come after the order moved on, while it is open.
    TicketAction.ESCALATE_RESULT: _same([*_ACTIVE_ORDER, T.PENDING_VISIT, T.MERGED]),
    TicketAction.CONSULT_RESULT: _same([*_ACTIVE_ORDER, T.PENDING_VISIT, T.MERGED]),
}

ASSIGNMENT_TRANSITIONS: Mapping[AssignmentAction, Mapping[str, Step]] = {
    AssignmentAction.SIGN: _rows([A.PENDING_SIGN], A.IN_PROGRESS),
    AssignmentAction.RETURN: _rows([A.PENDING_SIGN, A.IN_PROGRESS], A.RETURN_REVIEW, handover=True),
    AssignmentAction.RETURN_ACCEPT: _rows([A.RETURN_REVIEW], A.RETURNED),
    # A rejected return goes back to the department: to handling if it had signed, else to sign.
    AssignmentAction.RETURN_REJECT: _rows([A.RETURN_REVIEW], A.IN_PROGRESS, handover=True),
    AssignmentAction.REQUEST_EXTENSION: _rows([A.IN_PROGRESS], A.EXTENSION_REVIEW),
    AssignmentAction.EXTENSION_APPROVE: _rows([A.EXTENSION_REVIEW], A.IN_PROGRESS),
    AssignmentAction.EXTENSION_DENY: _rows([A.EXTENSION_REVIEW], A.IN_PROGRESS),
    AssignmentAction.REPLY: _rows([A.IN_PROGRESS], A.REPLIED, handover=True),
    AssignmentAction.REVIEW_PASS: _rows([A.REPLIED], A.DONE),
    AssignmentAction.REVIEW_FAIL: _rows([A.REPLIED], A.IN_PROGRESS),
    AssignmentAction.REDO: _rows([A.DONE], A.IN_PROGRESS),
    AssignmentAction.RELEASE: _rows(_OPEN_ASSIGNMENT, A.RELEASED),
    AssignmentAction.CANCEL: _rows(_OPEN_ASSIGNMENT, A.CANCELLED),
    AssignmentAction.URGE: _same([A.PENDING_SIGN, A.IN_PROGRESS, A.EXTENSION_REVIEW]),
    AssignmentAction.SUPERVISE: _same(
        [A.PENDING_SIGN, A.IN_PROGRESS, A.EXTENSION_REVIEW, A.RETURN_REVIEW]
    ),
    AssignmentAction.SUPERVISE_REPLY: _same((*_OPEN_ASSIGNMENT, A.DONE)),
}


def ticket_step(number: str, state: str, action: TicketAction) -> Step:
    """The order's next state for ``action``, or :class:`IllegalTransition`."""
    step = TICKET_TRANSITIONS[action].get(state)
    if step is None:
        raise IllegalTransition(
            "transition.ticket", ticket=number, state=state, action=action.value
        )
    return step


def assignment_step(
    number: str, dept: str, state: str, action: AssignmentAction, *, signed: bool = True
) -> Step:
    """The assignment's next state for ``action``, or :class:`IllegalTransition`.

    ``signed`` tells a rejected return where to go back to: handling if the department had
    signed before returning, otherwise signing.
    """
    step = ASSIGNMENT_TRANSITIONS[action].get(state)
    if step is None:
        raise IllegalTransition(
            "transition.assignment",
            ticket=number,
            dept=dept,
            state=state,
            action=action.value,
        )
    if action is AssignmentAction.RETURN_REJECT and not signed:
        return Step(A.PENDING_SIGN, step.handover)
    return step


def ticket_actions_allowed(state: str) -> list[TicketAction]:
    """Order actions the table allows in ``state`` (for menus and key bindings)."""
    return [action for action, rows in TICKET_TRANSITIONS.items() if state in rows]


def assignment_actions_allowed(state: str) -> list[AssignmentAction]:
    """Assignment actions the table allows in ``state``."""
    return [action for action, rows in ASSIGNMENT_TRANSITIONS.items() if state in rows]


def visit_action(
    contact: VisitContact,
    satisfaction: Satisfaction | None,
    attempts_so_far: int,
    max_attempts: int,
) -> TicketAction:
    """Which visit transition a return-visit result is (DESIGN.md §3 endings)."""
    if contact is VisitContact.DECLINED:
        return TicketAction.VISIT_DECLINED
    if contact is VisitContact.UNREACHABLE:
        if attempts_so_far + 1 >= max_attempts:
            return TicketAction.VISIT_GIVE_UP
        return TicketAction.VISIT_UNREACHABLE
    if satisfaction is Satisfaction.UNSATISFIED:
        return TicketAction.VISIT_UNSATISFIED
    return TicketAction.VISIT_SATISFIED


def visit_retry_at(last_unreachable_at: datetime | None, gap_minutes: int) -> datetime | None:
    """When an unreachable return visit may be tried again (None: now): ``gap_minutes`` after
    the last unreachable one, so that the attempts before giving up are spread out."""
    if last_unreachable_at is None or gap_minutes <= 0:
        return None
    return last_unreachable_at + timedelta(minutes=gap_minutes)


def visit_is_valid(contact: VisitContact, resolution: Resolution | None) -> bool:
    """A reached visit must say whether the matter was resolved (for 解决率)."""
    return contact is not VisitContact.REACHED or resolution is not None
