"""Who may do what: the one role × action table (department scoping is checked by the services).

Actions are plain strings: lifecycle actions use their table names (``sign``, ``dispatch``…),
other actions a dotted name (``user.add``, ``caller.reveal``, ``kb.publish``…). The services check
them, the console enables its keys by them, and every ``hotline`` command names the actions it
needs (``hotline_tui.cli.gates``): one table, so no front end has its own opinion.
"""

from __future__ import annotations

from collections.abc import Mapping

from hotline_tui.domain.errors import PermissionDenied
from hotline_tui.domain.states import Role

_INTAKE = {
    "register",
    "answer",
    "queue",
    "withdraw",
    "invalid",
    "edit",
    "ticket.read",
    "caller.mark_abusive",
    "material.add",
    "visit",
    "dispatch",
}
_DISPATCH = {
    "dispatch",
    "redispatch",
    "requeue",
    "return_accept",
    "return_reject",
    "extension_approve",
    "extension_deny",
    "review_pass",
    "review_fail",
    "redo",
    "close",
    "merge",
    "unmerge",
    "withdraw_confirm",  # 撤单确认: a dispatched order's withdrawal (issue 14)
    "reopen",
    "release",
    "urge",
    "escalate",
    "consult",
    "escalate_result",
    "consult_result",
}
_HANDLER = {
    "ticket.read",
    "sign",
    "return",
    "request_extension",
    "reply",
    "supervise_reply",
    "material.add",
    "caller.reveal",
    "kpi.read",  # the measures, of their own department only
}
_SUPERVISE = {
    "urge",
    "supervise",
    "escalate",
    "consult",
    "archive",
    "caller.reveal",
    "audit.verify",
    "report.read",
    "status.read",
    "kpi.read",
    "nlp.train",  # the intake classifiers: train from a file or the orders, evaluate
    "nlp.eval",
}
_ADMIN = {
    "user.add",
    "user.list",
    "user.disable",
    "user.reset_password",
    "reference.import",
    "calendar.import",
    "sla.set",
    "db.backup",
    "db.mark_copy",
    "db.restore",
    "audit.verify",
    "audit.checkpoint",
    "db.upgrade",
    "demo.seed",
    "archive",
    "caller.reveal",
    "scheduler.run",
    "status.read",
    "kpi.read",
    "stats.rebuild",
    "nlp.train",
    "nlp.eval",
}

# Every role reads the working-time calendar, the time-limit rules (and checks a due time) and
# the reference data (areas, departments, categories, the dispatch catalogue).
_READ_ALL = {"calendar.read", "sla.read", "reference.read"}

# The knowledge base: handlers maintain their own department's articles (checked by the
# services), supervisors review, administrators publish and keep the index.
_KB_EVERYONE = {"kb.read", "kb.feedback"}
_KB_AUTHOR = {"kb.edit", "kb.submit"}
_KB_REVIEWER = {
    "kb.approve",
    "kb.reject",
    "kb.retire",
    "kb.stats",
    "kb.gaps",
    "kb.edit_published",
}
_KB_ADMIN = {"kb.publish", "kb.import", "kb.reindex", "kb.synonyms"}

KB_ACTIONS: Mapping[Role, frozenset[str]] = {
    Role.OPERATOR: frozenset(_KB_EVERYONE),
    Role.DISPATCHER: frozenset(_KB_EVERYONE),
    Role.HANDLER: frozenset(_KB_EVERYONE | _KB_AUTHOR),
    Role.SUPERVISOR: frozenset(_KB_EVERYONE | _KB_AUTHOR | _KB_REVIEWER),
    Role.ADMIN: frozenset(_KB_EVERYONE | _KB_AUTHOR | _KB_REVIEWER | _KB_ADMIN),
}

ROLE_ACTIONS: Mapping[Role, frozenset[str]] = {
    Role.OPERATOR: frozenset(_INTAKE | _READ_ALL) | KB_ACTIONS[Role.OPERATOR],
    Role.DISPATCHER: frozenset(_INTAKE | _DISPATCH | _READ_ALL) | KB_ACTIONS[Role.DISPATCHER],
    Role.HANDLER: frozenset(_HANDLER | _READ_ALL) | KB_ACTIONS[Role.HANDLER],
    Role.SUPERVISOR: frozenset(_INTAKE | _DISPATCH | _SUPERVISE | _READ_ALL)
    | KB_ACTIONS[Role.SUPERVISOR],
    Role.ADMIN: frozenset(_INTAKE | _DISPATCH | _SUPERVISE | _ADMIN | _READ_ALL)
    | KB_ACTIONS[Role.ADMIN],
}

# Every action some role may take (a command naming any other action is a mistake).
ACTIONS: frozenset[str] = frozenset().union(*ROLE_ACTIONS.values())


def allowed(role: Role, action: str) -> bool:
    """Whether the role may perform ``action`` at all (before department scoping)."""
    return action in ROLE_ACTIONS.get(role, frozenset())


def own_department_only(role: Role) -> bool:
    """Whether the role acts only on its own department's part of an order (a handler: its
    department's part, never another's); the hotline's staff act on any department's part."""
    return role is Role.HANDLER


def sees_personal_data(role: Role) -> bool:
    """The hotline's own staff see callers' numbers in full; department handlers see them masked
    (revealing one is an audited action)."""
    return role is not Role.HANDLER


def may_see_caller(role: Role, *, confidential: bool) -> bool:
    """Whether the caller of an order may be shown, masked or not, or matched by their number.

    A confidential order's caller (a whistleblower) is hidden from the departments, not only
    masked: a department must not learn who reported it, not even by searching for a number.
    """
    return not confidential or role is not Role.HANDLER


def require(role: Role, action: str, *, username: str) -> None:
    """Raise :class:`PermissionDenied` unless the role may perform ``action``."""
    if not allowed(role, action):
        raise PermissionDenied("permission.role", user=username, role=role.value, action=action)
