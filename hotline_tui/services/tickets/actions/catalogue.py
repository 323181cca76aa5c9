"""The order actions, each defined once: its name, its typed input, who may (the permission of
:mod:`hotline_tui.domain.permissions`), in which states (the transition it takes in
:mod:`hotline_tui.domain.lifecycle`), the service call and — by that call's type — its result.

The front ends are views of this table: the console binds a key and builds a dialog per entry
and dispatches through :func:`run`; the ``hotline ticket`` commands build the same inputs and
call the same :func:`run`. Adding an action is one entry here (and its key or command there).

:func:`allows` answers "may this user do this to the order as it stands?" from the permission,
the department rule and the transition tables alone; the service, run, checks the same tables
against the stored order.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from hotline_tui.domain.lifecycle import (
    ASSIGNMENT_TRANSITIONS,
    TICKET_TRANSITIONS,
    AssignmentAction,
    TicketAction,
)
from hotline_tui.domain.permissions import allowed, own_department_only
from hotline_tui.domain.states import Role
from hotline_tui.services.tickets.actions import calls
from hotline_tui.services.tickets.actions import inputs as i

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor, Hotline

__all__ = ["ACTIONS", "Action", "Standing", "allows", "role_may", "run"]

In = TypeVar("In", bound=i.OrderInput)
Out = TypeVar("Out")


@dataclass(frozen=True)
class Standing:
    """Where an order stands as the user saw it, and the department part under the cursor."""

    ticket_state: str
    part_state: str | None = None
    part_dept: str | None = None
    part_role: str | None = None  # lead or co
    supervised: bool = False  # a 督办 waits for this part's answer
    caller_masked: bool = False
    # The kinds of 提级/会商 waiting for their outcome (``escalate``, ``consult``).
    awaiting: frozenset[str] = frozenset()
    withdraw_requested: bool = False  # an operator's 撤单申请 waits for a dispatcher


@dataclass(frozen=True)
class Action(Generic[In, Out]):
    """One order action. ``ticket_action`` / ``part_action``: the transition that makes it
    legal (an action with neither is legal in any state its ``check`` allows)."""

    name: str
    input: type[In]
    call: Callable[[Hotline, Actor, In], Out]
    permission: str
    ticket_action: TicketAction | None = None
    part_action: AssignmentAction | None = None
    needs_supervision: bool = False
    # A further condition on the order (a co-handler's part, a masked caller).
    check: Callable[[Standing], bool] | None = None

    @property
    def on_part(self) -> bool:
        """Whether it acts on one department's part (its version is the part's)."""
        return self.part_action is not None

    def result(self) -> Any:
        """The action's result type: its service call's (this imports the services)."""
        from hotline_tui.services import context
        from hotline_tui.services.tickets import intake, part_windows, views

        names = {**vars(context), **vars(intake), **vars(part_windows), **vars(views), **vars(i)}
        return typing.get_type_hints(self.call, names)["return"]


A, T = AssignmentAction, TicketAction

_ENTRIES: tuple[Action[Any, Any], ...] = (
    # The department's side.
    Action("sign", i.PartInput, calls.sign, "sign", part_action=A.SIGN),
    Action("return", i.ReturnInput, calls.return_order, "return", part_action=A.RETURN),
    Action(
        "extend", i.ExtendInput, calls.extend, "request_extension", part_action=A.REQUEST_EXTENSION
    ),
    Action("reply", i.ReplyInput, calls.reply, "reply", part_action=A.REPLY),
    Action(
        "supervise_reply",
        i.SuperviseReplyInput,
        calls.supervise_reply,
        "supervise_reply",
        part_action=A.SUPERVISE_REPLY,
        needs_supervision=True,
    ),
    # The hotline's side.
    Action("dispatch", i.DispatchInput, calls.dispatch, "dispatch", ticket_action=T.DISPATCH),
    Action(
        "return_accept",
        i.ReturnAcceptInput,
        calls.return_accept,
        "return_accept",
        part_action=A.RETURN_ACCEPT,
    ),
    Action(
        "return_reject",
        i.PartNoteInput,
        calls.return_reject,
        "return_reject",
        part_action=A.RETURN_REJECT,
    ),
    Action(
        "extension_approve",
        i.ExtensionApproveInput,
        calls.extension_approve,
        "extension_approve",
        part_action=A.EXTENSION_APPROVE,
    ),
    Action(
        "extension_deny",
        i.PartNoteInput,
        calls.extension_deny,
        "extension_deny",
        part_action=A.EXTENSION_DENY,
    ),
    Action(
        "review_pass", i.NoteInput, calls.review_pass, "review_pass", ticket_action=T.REVIEW_PASS
    ),
    Action(
        "review_fail", i.NoteInput, calls.review_fail, "review_fail", ticket_action=T.REVIEW_FAIL
    ),
    Action("visit", i.VisitInput, calls.visit, "visit", ticket_action=T.VISIT_SATISFIED),
    Action("redo", i.RedoInput, calls.redo, "redo", ticket_action=T.REDO),
    Action("close", i.NoteInput, calls.close, "close", ticket_action=T.CLOSE),
    Action("archive", i.OrderInput, calls.archive, "archive", ticket_action=T.ARCHIVE),
    # Intake's own, settling an order not dispatched.
    Action("answer", i.AnswerInput, calls.answer, "answer", ticket_action=T.ANSWER),
    Action("invalid", i.NoteInput, calls.invalid, "invalid", ticket_action=T.INVALID),
    # Flags beside the state.
    Action("urge", i.PartNoteInput, calls.urge, "urge", part_action=A.URGE),
    Action("supervise", i.PartNoteInput, calls.supervise, "supervise", part_action=A.SUPERVISE),
    Action("escalate", i.EscalateInput, calls.escalate, "escalate", ticket_action=T.ESCALATE),
    Action(
        "escalate_result",
        i.ResultInput,
        calls.escalate_result,
        "escalate_result",
        ticket_action=T.ESCALATE_RESULT,
        check=lambda s: "escalate" in s.awaiting,
    ),
    Action("withdraw", i.NoteInput, calls.withdraw, "withdraw", ticket_action=T.WITHDRAW),
    # 撤单申请 of a dispatched order: a dispatcher confirms or rejects it.
    Action(
        "withdraw_confirm",
        i.NoteInput,
        calls.withdraw_confirm,
        "withdraw_confirm",
        ticket_action=T.WITHDRAW,
        check=lambda s: s.withdraw_requested,
    ),
    Action(
        "withdraw_reject",
        i.NoteInput,
        calls.withdraw_reject,
        "withdraw_confirm",
        ticket_action=T.WITHDRAW_REJECT,
        check=lambda s: s.withdraw_requested,
    ),
    Action("reopen", i.NoteInput, calls.reopen, "reopen", ticket_action=T.REOPEN),
    # The order's tools beside its lifecycle.
    Action("merge", i.MergeInput, calls.merge, "merge", ticket_action=T.MERGE),
    Action("unmerge", i.NoteInput, calls.unmerge, "unmerge", ticket_action=T.UNMERGE),
    Action("consult", i.ConsultInput, calls.consult, "consult", ticket_action=T.CONSULT),
    Action(
        "consult_result",
        i.ResultInput,
        calls.consult_result,
        "consult_result",
        ticket_action=T.CONSULT_RESULT,
        check=lambda s: "consult" in s.awaiting,
    ),
    Action(
        "release",
        i.ReleaseInput,
        calls.release,
        "release",
        part_action=A.RELEASE,
        check=lambda s: s.part_role == "co",
    ),
    Action(
        "reveal",
        i.RevealInput,
        calls.reveal,
        "caller.reveal",
        check=lambda s: s.caller_masked,
    ),
    Action("edit", i.EditInput, calls.edit, "edit", ticket_action=T.EDIT),
    Action("mark_abusive", i.NoteInput, calls.mark_abusive, "caller.mark_abusive"),
    Action(
        "attach",
        i.AttachInput,
        calls.attach,
        "material.add",
        check=lambda s: s.ticket_state != "archived",
    ),
)
ACTIONS: Mapping[str, Action[Any, Any]] = {action.name: action for action in _ENTRIES}


def role_may(action: Action[Any, Any], role: Role) -> bool:
    """Whether ``role`` may ever do ``action`` (the role table alone, whatever the order)."""
    return allowed(role, action.permission)


def allows(
    action: Action[Any, Any], role: Role, own_dept: str | None, standing: Standing | None
) -> bool:
    """Whether a user of ``role`` (of department ``own_dept``) may do ``action`` to the order as
    it ``standing``s now: the role table, the department rule, the action's own condition and
    the transition table of the order or of the part."""
    if standing is None or not role_may(action, role):
        return False
    if action.check is not None and not action.check(standing):
        return False
    if action.ticket_action is not None:
        return standing.ticket_state in TICKET_TRANSITIONS[action.ticket_action]
    if action.part_action is None:
        return True
    if standing.part_state is None:
        return False
    if own_department_only(role) and standing.part_dept != own_dept:
        return False  # a department acts on its own part, never on another's
    if action.needs_supervision and not standing.supervised:
        return False
    return standing.part_state in ASSIGNMENT_TRANSITIONS[action.part_action]


def run(hl: Hotline, actor: Actor, action: Action[In, Out], data: In) -> Out:
    """Run ``action`` with its input as ``actor``: one service call (which checks again)."""
    if not isinstance(data, action.input):
        raise TypeError(f"{action.name} takes {action.input.__name__}, not {type(data).__name__}")
    return action.call(hl, actor, data)
