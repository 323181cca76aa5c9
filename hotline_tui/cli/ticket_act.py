"""How the ``hotline ticket`` action commands reach the services: each builds its action's
typed input and runs it through the catalogue
(:mod:`hotline_tui.services.tickets.actions.catalogue`), as the console does.

:data:`COMMANDS` names the catalogue actions behind each command (a switch such as
``--accept/--reject`` chooses between two); a test holds it equal to the catalogue, so that
every action has its command, and each command's gate to its actions' permissions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hotline_tui.cli.state import CliState
from hotline_tui.services.tickets.actions.catalogue import ACTIONS, run
from hotline_tui.services.tickets.actions.inputs import OrderInput

__all__ = ["COMMANDS", "act"]

COMMANDS: Mapping[str, tuple[str, ...]] = {
    "answer": ("answer",),
    "dispatch": ("dispatch",),
    "sign": ("sign",),
    "return": ("return",),
    "review-return": ("return_accept", "return_reject"),
    "extend": ("extend",),
    "decide-extension": ("extension_approve", "extension_deny"),
    "reply": ("reply",),
    "review": ("review_pass", "review_fail"),
    "visit": ("visit",),
    "redo": ("redo",),
    "close": ("close",),
    "merge": ("merge",),
    "unmerge": ("unmerge",),
    "withdraw": ("withdraw",),
    "confirm-withdraw": ("withdraw_confirm", "withdraw_reject"),
    "invalid": ("invalid",),
    "reopen": ("reopen",),
    "archive": ("archive",),
    "release": ("release",),
    "urge": ("urge",),
    "supervise": ("supervise",),
    "supervise-reply": ("supervise_reply",),
    "escalate": ("escalate",),
    "consult": ("consult",),
    "escalate-result": ("escalate_result",),
    "consult-result": ("consult_result",),
    "edit": ("edit",),
    "mark-abusive": ("mark_abusive",),
    "attach": ("attach",),
    "show": ("reveal",),  # ``ticket show --reveal``
}


def act(st: CliState, name: str, data: OrderInput) -> Any:
    """Run the catalogue's action ``name`` with its input as the command's user; the result is
    the action's own (``ACTIONS[name].result()``)."""
    return run(st.hl, st.actor, ACTIONS[name], data)
