"""The lifecycle actions a queue row or an order offers, as data.

Each :class:`ActionSpec` names its permission (``domain.permissions``), the transition that makes
it legal (``domain.lifecycle``: an order action or a department-part action), its key, and the
few fields its confirmation asks for. :func:`enabled` answers "may this user do this to this row
now?" from those two tables only, so a key is offered exactly where the service would accept it
(the service still checks: the tables are the same). The service call itself is
:meth:`hotline_tui.ui.backend.Backend.act`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from hotline_tui.domain.lifecycle import (
    ASSIGNMENT_TRANSITIONS,
    TICKET_TRANSITIONS,
    AssignmentAction,
    TicketAction,
)
from hotline_tui.domain.permissions import allowed
from hotline_tui.domain.states import Role

__all__ = [
    "ACTIONS",
    "EDIT_FIELDS",
    "WITHDRAW_REQUESTED",
    "ActionSpec",
    "FieldSpec",
    "Target",
    "enabled",
    "role_may",
    "specs_for",
]


@dataclass(frozen=True)
class FieldSpec:
    """One input of an action's modal: ``kind`` is line, text, int, choice, dept, depts,
    category or area; an input whose name is in the target's ``extra`` starts with that value."""

    name: str
    kind: str = "line"
    required: bool = False
    choices: tuple[str, ...] = ()
    when: tuple[str, str] | None = None  # shown only when field ``when[0]`` has value ``when[1]``
    only_if: str | None = None  # shown only when the target's ``extra`` has this key


@dataclass(frozen=True)
class ActionSpec:
    name: str
    key: str
    permission: str
    ticket_action: TicketAction | None = None
    part_action: AssignmentAction | None = None
    fields: tuple[FieldSpec, ...] = ()
    needs_supervision: bool = False
    # A further condition on the target (a co-handler's part, a masked caller).
    check: Callable[[Target], bool] | None = None


@dataclass(frozen=True)
class Target:
    """What an action acts on, with the versions the user saw."""

    number: str
    ticket_state: str
    ticket_version: int
    dept: str | None = None
    part_state: str | None = None
    part_version: int | None = None
    supervised: bool = False
    extension_days: int | None = None
    reply_text: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    part_role: str | None = None  # lead or co, of the part under the cursor
    caller_masked: bool = False
    # The kinds of 提级/会商 of the order waiting for their outcome (``escalate``, ``consult``).
    awaiting: frozenset[str] = frozenset()


# ``Target.extra`` key: "1" when an operator's 撤单申请 waits for a dispatcher.
WITHDRAW_REQUESTED = "withdraw_requested"

NOTE = FieldSpec("note", "text")
NOTE_REQUIRED = FieldSpec("note", "text", required=True)
RETURN_REASONS = (
    "wrong_area",
    "not_our_duty",
    "ownership_unclear",
    "overlapping_duty",
    "incomplete_info",
)

A, T = AssignmentAction, TicketAction

# Keys on an order beside its lifecycle (merge, consult, release, reveal, edit, attach).
EDIT_FIELDS = (
    FieldSpec("title"),
    FieldSpec("description", "text", True),
    FieldSpec("category", "category"),
    FieldSpec("area", "area"),
    FieldSpec("address"),
    FieldSpec("urgency", "choice", True, ("normal", "urgent", "critical")),
    FieldSpec(
        "request_type",
        "choice",
        True,
        ("consult", "help", "complaint", "report", "suggestion", "praise", "other"),
    ),
    FieldSpec("confidential", "choice", True, ("no", "yes")),
)
ORDER_TOOLS = (
    ActionSpec(
        "merge",
        "m",
        "merge",
        ticket_action=T.MERGE,
        fields=(FieldSpec("into", "number", True), NOTE),
    ),
    ActionSpec("unmerge", "M", "unmerge", ticket_action=T.UNMERGE, fields=(NOTE_REQUIRED,)),
    ActionSpec(
        "consult",
        "j",
        "consult",
        ticket_action=T.CONSULT,
        fields=(FieldSpec("depts", "depts"), FieldSpec("due_days", "int"), NOTE_REQUIRED),
    ),
    ActionSpec(
        "consult_result",
        "J",
        "consult_result",
        ticket_action=T.CONSULT_RESULT,
        fields=(FieldSpec("result", "text", True),),
        check=lambda t: "consult" in t.awaiting,
    ),
    ActionSpec(
        "release",
        "l",
        "release",
        part_action=A.RELEASE,
        fields=(NOTE,),
        check=lambda t: t.part_role == "co",
    ),
    ActionSpec(
        "reveal",
        "i",
        "caller.reveal",
        fields=(FieldSpec("why", "line", True),),
        check=lambda t: t.caller_masked,
    ),
    ActionSpec("edit", "E", "edit", ticket_action=T.EDIT, fields=EDIT_FIELDS),
    ActionSpec(
        "attach",
        "A",
        "material.add",
        fields=(FieldSpec("path", "line", True), FieldSpec("note", "line")),
        check=lambda t: t.ticket_state != "archived",
    ),
)
ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        # The department's side.
        ActionSpec("sign", "s", "sign", part_action=A.SIGN),
        ActionSpec(
            "return",
            "b",
            "return",
            part_action=A.RETURN,
            fields=(
                FieldSpec("reason", "choice", True, RETURN_REASONS),
                FieldSpec("basis", "text", True),
            ),
        ),
        ActionSpec(
            "extend",
            "e",
            "request_extension",
            part_action=A.REQUEST_EXTENSION,
            fields=(FieldSpec("days", "int", True), FieldSpec("note", "text", True)),
        ),
        ActionSpec(
            "reply", "a", "reply", part_action=A.REPLY, fields=(FieldSpec("text", "text", True),)
        ),
        ActionSpec(
            "supervise_reply",
            "h",
            "supervise_reply",
            part_action=A.SUPERVISE_REPLY,
            fields=(FieldSpec("answer", "text", True),),
            needs_supervision=True,
        ),
        # The hotline's side.
        ActionSpec(
            "dispatch",
            "d",
            "dispatch",
            ticket_action=T.DISPATCH,
            fields=(FieldSpec("lead", "dept", True), FieldSpec("co", "depts"), NOTE),
        ),
        ActionSpec(
            "return_accept",
            "y",
            "return_accept",
            part_action=A.RETURN_ACCEPT,
            fields=(
                FieldSpec("to", "dept"),
                # A late return (超时退单) is accepted only with an explicit approval.
                FieldSpec("approve_late", "choice", True, ("no", "yes"), only_if="late_return"),
                NOTE,
            ),
        ),
        ActionSpec(
            "return_reject", "x", "return_reject", part_action=A.RETURN_REJECT, fields=(NOTE,)
        ),
        ActionSpec(
            "extension_approve",
            "p",
            "extension_approve",
            part_action=A.EXTENSION_APPROVE,
            fields=(FieldSpec("days", "int", True), NOTE),
        ),
        ActionSpec(
            "extension_deny", "n", "extension_deny", part_action=A.EXTENSION_DENY, fields=(NOTE,)
        ),
        ActionSpec("review_pass", "g", "review_pass", ticket_action=T.REVIEW_PASS, fields=(NOTE,)),
        ActionSpec(
            "review_fail", "f", "review_fail", ticket_action=T.REVIEW_FAIL, fields=(NOTE_REQUIRED,)
        ),
        ActionSpec(
            "visit",
            "v",
            "visit",
            ticket_action=T.VISIT_SATISFIED,
            fields=(
                FieldSpec("contact", "choice", True, ("reached", "unreachable", "declined")),
                FieldSpec(
                    "resolution",
                    "choice",
                    True,
                    ("resolved", "partly", "unresolved"),
                    when=("contact", "reached"),
                ),
                FieldSpec(
                    "satisfaction",
                    "choice",
                    True,
                    ("satisfied", "basic", "unsatisfied"),
                    when=("contact", "reached"),
                ),
                NOTE,
            ),
        ),
        ActionSpec(
            "redo",
            "r",
            "redo",
            ticket_action=T.REDO,
            fields=(FieldSpec("co", "depts"), NOTE_REQUIRED),
        ),
        ActionSpec("close", "c", "close", ticket_action=T.CLOSE, fields=(NOTE_REQUIRED,)),
        # Flags beside the state.
        ActionSpec("urge", "u", "urge", part_action=A.URGE, fields=(NOTE,)),
        ActionSpec("supervise", "k", "supervise", part_action=A.SUPERVISE, fields=(NOTE_REQUIRED,)),
        ActionSpec(
            "escalate",
            "t",
            "escalate",
            ticket_action=T.ESCALATE,
            fields=(
                FieldSpec("leader", "line", True),
                FieldSpec("depts", "depts"),
                FieldSpec("due_days", "int"),
                NOTE_REQUIRED,
            ),
        ),
        ActionSpec(
            "escalate_result",
            "T",
            "escalate_result",
            ticket_action=T.ESCALATE_RESULT,
            fields=(FieldSpec("result", "text", True),),
            check=lambda t: "escalate" in t.awaiting,
        ),
        ActionSpec("withdraw", "w", "withdraw", ticket_action=T.WITHDRAW, fields=(NOTE,)),
        # 撤单申请 of a dispatched order: a dispatcher confirms or rejects it.
        ActionSpec(
            "withdraw_confirm",
            "W",
            "withdraw_confirm",
            ticket_action=T.WITHDRAW,
            fields=(NOTE,),
            check=lambda t: t.extra.get(WITHDRAW_REQUESTED) == "1",
        ),
        ActionSpec(
            "withdraw_reject",
            "X",
            "withdraw_confirm",
            ticket_action=T.WITHDRAW_REJECT,
            fields=(NOTE,),
            check=lambda t: t.extra.get(WITHDRAW_REQUESTED) == "1",
        ),
        ActionSpec("reopen", "z", "reopen", ticket_action=T.REOPEN, fields=(NOTE_REQUIRED,)),
        *ORDER_TOOLS,
    )
}


def role_may(spec: ActionSpec, role: Role) -> bool:
    """Whether ``role`` may ever do ``spec`` (the role table alone, whatever the order)."""
    return allowed(role, spec.permission)


def enabled(spec: ActionSpec, role: Role, target: Target | None) -> bool:
    """Whether ``role`` may do ``spec`` to ``target`` now (role matrix and transition tables)."""
    if target is None or not role_may(spec, role):
        return False
    if spec.check is not None and not spec.check(target):
        return False
    if spec.ticket_action is None and spec.part_action is None:
        return True
    if spec.ticket_action is not None:
        return target.ticket_state in TICKET_TRANSITIONS[spec.ticket_action]
    assert spec.part_action is not None
    if target.part_state is None:
        return False
    if spec.needs_supervision and not target.supervised:
        return False
    return target.part_state in ASSIGNMENT_TRANSITIONS[spec.part_action]


def specs_for(names: tuple[str, ...]) -> list[ActionSpec]:
    return [ACTIONS[name] for name in names]
