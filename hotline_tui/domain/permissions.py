"""Who may do what: the role × action matrix (department scoping is checked by the services).

Actions are plain strings: lifecycle actions use their table names (``sign``, ``dispatch``…),
other actions a dotted name (``user.add``, ``caller.reveal``…).
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
    "reopen",
    "release",
    "urge",
    "escalate",
    "consult",
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
    "demo.seed",
    "archive",
    "caller.reveal",
}

# Every role reads the working-time calendar and the time-limit rules (and checks a due time).
_READ_ALL = {"calendar.read", "sla.read"}

ROLE_ACTIONS: Mapping[Role, frozenset[str]] = {
    Role.OPERATOR: frozenset(_INTAKE | _READ_ALL),
    Role.DISPATCHER: frozenset(_INTAKE | _DISPATCH | _READ_ALL),
    Role.HANDLER: frozenset(_HANDLER | _READ_ALL),
    Role.SUPERVISOR: frozenset(_INTAKE | _DISPATCH | _SUPERVISE | _READ_ALL),
    Role.ADMIN: frozenset(_INTAKE | _DISPATCH | _SUPERVISE | _ADMIN | _READ_ALL | {"user.list"}),
}


def allowed(role: Role, action: str) -> bool:
    """Whether the role may perform ``action`` at all (before department scoping)."""
    return action in ROLE_ACTIONS.get(role, frozenset())


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
