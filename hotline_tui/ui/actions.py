"""The console's view of the order actions: a key and a dialog per entry of the services'
catalogue (:mod:`hotline_tui.services.tickets.actions.catalogue`).

Each :class:`ActionSpec` names its catalogue entry (which says who may, in which states, and the
service call), its key, and the few fields its confirmation asks for. :func:`enabled` asks the
catalogue's :func:`~hotline_tui.services.tickets.actions.catalogue.allows` about the row under
the cursor, so a key is offered exactly where the service would accept it (the service still
checks: the tables are the same). The dialog's values become the entry's typed input
(:mod:`hotline_tui.ui.action_inputs`), run by :meth:`hotline_tui.ui.backend.Backend.run`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hotline_tui.domain.lifecycle import AssignmentAction
from hotline_tui.domain.states import Role
from hotline_tui.services.tickets.actions.catalogue import ACTIONS as CATALOGUE
from hotline_tui.services.tickets.actions.catalogue import Action, Standing, allows
from hotline_tui.services.tickets.actions.catalogue import role_may as catalogue_role_may

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor

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
    """One input of an action's modal: ``kind`` is line, text, int, number, choice, dept, depts,
    category or area; an input whose name is in the target's ``extra`` starts with that value.
    ``into`` names the field of the action's input it fills, when that is not ``name``."""

    name: str
    kind: str = "line"
    required: bool = False
    choices: tuple[str, ...] = ()
    when: tuple[str, str] | None = None  # shown only when field ``when[0]`` has value ``when[1]``
    only_if: str | None = None  # shown only when the target's ``extra`` has this key
    into: str | None = None


@dataclass(frozen=True)
class ActionSpec:
    """An action's key and dialog; what it is and who may is its catalogue entry."""

    name: str
    key: str
    fields: tuple[FieldSpec, ...] = ()

    @property
    def action(self) -> Action[Any, Any]:
        return CATALOGUE[self.name]

    @property
    def permission(self) -> str:
        return self.action.permission

    @property
    def part_action(self) -> AssignmentAction | None:
        return self.action.part_action


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

    def standing(self) -> Standing:
        """Where the order stands, as the catalogue's rules read it."""
        return Standing(
            ticket_state=self.ticket_state,
            part_state=self.part_state,
            part_dept=self.dept,
            part_role=self.part_role,
            supervised=self.supervised,
            caller_masked=self.caller_masked,
            awaiting=self.awaiting,
            withdraw_requested=self.extra.get(WITHDRAW_REQUESTED) == "1",
        )


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
_F = FieldSpec
ORDER_TOOLS = (
    ActionSpec("merge", "m", (_F("into", "number", True), NOTE)),
    ActionSpec("unmerge", "M", (NOTE_REQUIRED,)),
    ActionSpec(
        "consult", "j", (_F("depts", "depts"), _F("due_days", "int", into="days"), NOTE_REQUIRED)
    ),
    ActionSpec("consult_result", "J", (_F("result", "text", True),)),
    ActionSpec("release", "l", (NOTE,)),
    ActionSpec("reveal", "i", (_F("why", "line", True),)),
    ActionSpec("edit", "E", EDIT_FIELDS),
    ActionSpec("attach", "A", (_F("path", "line", True), _F("note", "line"))),
)
# The keys of the catalogue's actions, in the order the help lists them (``answer``,
# ``invalid``, ``archive`` and ``mark_abusive`` have none: the intake form and the command line).
ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        # The department's side.
        ActionSpec("sign", "s"),
        ActionSpec(
            "return", "b", (_F("reason", "choice", True, RETURN_REASONS), _F("basis", "text", True))
        ),
        ActionSpec(
            "extend", "e", (_F("days", "int", True), _F("note", "text", True, into="reason"))
        ),
        ActionSpec("reply", "a", (_F("text", "text", True),)),
        ActionSpec("supervise_reply", "h", (_F("answer", "text", True),)),
        # The hotline's side.
        ActionSpec("dispatch", "d", (_F("lead", "dept", True), _F("co", "depts"), NOTE)),
        ActionSpec(
            "return_accept",
            "y",
            (
                _F("to", "dept"),
                # A late return (超时退单) is accepted only with an explicit approval.
                _F("approve_late", "choice", True, ("no", "yes"), only_if="late_return"),
                NOTE,
            ),
        ),
        ActionSpec("return_reject", "x", (NOTE,)),
        ActionSpec("extension_approve", "p", (_F("days", "int", True), NOTE)),
        ActionSpec("extension_deny", "n", (NOTE,)),
        ActionSpec("review_pass", "g", (NOTE,)),
        ActionSpec("review_fail", "f", (NOTE_REQUIRED,)),
        ActionSpec(
            "visit",
            "v",
            (
                _F("contact", "choice", True, ("reached", "unreachable", "declined")),
                _F(
                    "resolution",
                    "choice",
                    True,
                    ("resolved", "partly", "unresolved"),
                    when=("contact", "reached"),
                ),
                _F(
                    "satisfaction",
                    "choice",
                    True,
                    ("satisfied", "basic", "unsatisfied"),
                    when=("contact", "reached"),
                ),
                NOTE,
            ),
        ),
        ActionSpec("redo", "r", (_F("co", "depts"), NOTE_REQUIRED)),
        ActionSpec("close", "c", (NOTE_REQUIRED,)),
        # Flags beside the state.
        ActionSpec("urge", "u", (NOTE,)),
        ActionSpec("supervise", "k", (NOTE_REQUIRED,)),
        ActionSpec(
            "escalate",
            "t",
            (
                _F("leader", "line", True),
                _F("depts", "depts"),
                _F("due_days", "int", into="days"),
                NOTE_REQUIRED,
            ),
        ),
        ActionSpec("escalate_result", "T", (_F("result", "text", True),)),
        ActionSpec("withdraw", "w", (NOTE,)),
        # 撤单申请 of a dispatched order: a dispatcher confirms or rejects it.
        ActionSpec("withdraw_confirm", "W", (NOTE,)),
        ActionSpec("withdraw_reject", "X", (NOTE,)),
        ActionSpec("reopen", "z", (NOTE_REQUIRED,)),
        *ORDER_TOOLS,
    )
}


def role_may(spec: ActionSpec, role: Role) -> bool:
    """Whether ``role`` may ever do ``spec`` (the role table alone, whatever the order)."""
    return catalogue_role_may(spec.action, role)


def enabled(spec: ActionSpec, actor: Actor, target: Target | None) -> bool:
    """Whether ``actor`` may do ``spec`` to ``target`` now (the catalogue's rule: role,
    department, state)."""
    standing = None if target is None else target.standing()
    return allows(spec.action, actor.role, actor.dept_code, standing)


def specs_for(names: tuple[str, ...]) -> list[ActionSpec]:
    return [ACTIONS[name] for name in names]
