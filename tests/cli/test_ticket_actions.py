"""The ``hotline ticket`` action commands are the catalogue's: every order action has its
command, and each command's gate names its actions' permissions (one table of who may)."""

from __future__ import annotations

from hotline_tui.cli.gates import GATES
from hotline_tui.cli.ticket_act import COMMANDS
from hotline_tui.cli.ticket_group import MEMBERS
from hotline_tui.services.tickets.actions.catalogue import ACTIONS


def test_every_action_of_the_catalogue_has_its_command():
    behind = [name for names in COMMANDS.values() for name in names]
    assert sorted(behind) == sorted(ACTIONS)


def test_every_action_command_is_a_ticket_command_gated_by_its_actions():
    for command, names in COMMANDS.items():
        if command == "show":  # reading, with --reveal: the service checks caller.reveal
            continue
        assert command in MEMBERS, command
        gate = GATES[f"ticket {command}"]
        assert {ACTIONS[n].permission for n in names} <= set(gate.actions), command
