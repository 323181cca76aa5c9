"""A service's field is reported by the flags of the option the user typed."""

from __future__ import annotations

import typer

from hotline_tui.cli.fields import field_flags, flags_of, running_command
from tests.cli.test_option_fuzz import COMMANDS, ROOT


def command(*path: str):
    return COMMANDS[path]


def test_flags_put_the_short_one_first():
    new = command("ticket", "new")
    assert field_flags(new, ["description"]) == {"description": "-d/--description"}
    assert field_flags(new, ["request_type"]) == {"request_type": "-t/--type"}


def test_fields_match_by_option_name_and_by_their_last_part():
    new = command("ticket", "new")
    found = field_flags(new, ["caller.kind", "caller.name", "caller.size", "lead_dept", "x"])
    assert found == {
        "caller.kind": "--caller",
        "caller.name": "--name",
        "caller.size": "--size",
        "lead_dept": "--dispatch",
    }
    assert field_flags(command("sla", "set"), ["warn_fraction", "extension_max"]) == {
        "warn_fraction": "--warn",
        "extension_max": "--extension-max",
    }
    assert field_flags(command("ticket", "queue"), ["queue"]) == {"queue": "队列"}
    assert field_flags(command("kb", "new"), ["policy_refs"]) == {"policy_refs": "--policy"}


def test_every_parameter_of_every_command_is_found_by_its_own_name():
    for path, cmd in COMMANDS.items():
        for param in cmd.params:
            if param.name != "help":
                assert field_flags(cmd, [param.name]) == {param.name: flags_of(param)}, path


def test_the_running_command_is_found_under_groups():
    ctx = typer.Context(ROOT)
    ctx.invoked_subcommand = "ticket"
    assert running_command(ROOT, ctx, ["new", "-d", "x"]) is command("ticket", "new")
    ctx.invoked_subcommand = "status"
    assert running_command(ROOT, ctx, ["--json"]) is command("status")
    ctx.invoked_subcommand = "ticket"
    assert running_command(ROOT, ctx, []) is None
    assert field_flags(None, ["description"]) == {}
