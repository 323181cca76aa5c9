"""The whole ``hotline ticket`` group: reading orders (:mod:`ticket_cmd`), the loop's actions
(:mod:`ticket_flow_cmd`), the flags and edits beside it (:mod:`ticket_extra_cmd`) and the
dispatcher's answer to a withdrawal (:mod:`ticket_withdraw_cmd`).

The reading commands are built with the group; an action's module (and the services it calls)
is imported only when one of its commands is used, so ``hotline ticket show`` builds five
commands, not every one. :data:`MEMBERS` names the module of every action (a test holds it
equal to the modules' own commands); ``hotline ticket --help`` loads them all.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from hotline_tui.cli import ticket_cmd
from hotline_tui.cli.lazy import Lazy, LazyCommands

_FLOW = "hotline_tui.cli.ticket_flow_cmd"
_EXTRA = "hotline_tui.cli.ticket_extra_cmd"
_WITHDRAW = "hotline_tui.cli.ticket_withdraw_cmd"
_FLOW_COMMANDS = (
    "answer dispatch sign return review-return extend decide-extension reply review visit redo "
    "close merge unmerge withdraw invalid reopen archive release"
)
_EXTRA_COMMANDS = (
    "urge supervise supervise-reply escalate consult escalate-result consult-result edit "
    "mark-abusive attach"
)
MEMBERS: dict[str, Lazy] = {
    **{name: Lazy("member", _FLOW, "app", "") for name in _FLOW_COMMANDS.split()},
    **{name: Lazy("member", _EXTRA, "app", "") for name in _EXTRA_COMMANDS.split()},
    **{name: Lazy("member", _WITHDRAW, "app", "") for name in ("withdrawals", "confirm-withdraw")},
}


class TicketGroup(TyperGroup):
    """The ``ticket`` group, whose action commands load on first lookup."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.commands, MEMBERS)

    def list_commands(self, ctx: Any) -> list[str]:
        # Typer's own goes through ``commands.items()``; the names alone need no import. The
        # reading commands first, as before.
        names = list(self.commands)
        return [n for n in names if n not in MEMBERS] + [n for n in names if n in MEMBERS]


app = typer.Typer(
    cls=TicketGroup, help=ticket_cmd.app.info.help, no_args_is_help=True, add_completion=False
)
app.add_typer(ticket_cmd.app)  # no name: its commands join this group

__all__ = ["MEMBERS", "app"]
