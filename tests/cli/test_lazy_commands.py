"""The root group loads each command's module on first use, yet looks complete to everyone."""

from __future__ import annotations

from typing import Any

import typer
from typer.testing import CliRunner

from hotline_tui.cli.lazy import LazyCommands
from hotline_tui.cli.main import COMMANDS, app


def walk(command: Any, ctx: Any, prefix: str = "") -> list[str]:
    """Every command path of the tree, the way a reader of click's API walks it."""
    names = []
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        assert sub is not None, f"{prefix}{name} listed but not found"
        path = f"{prefix}{name}"
        names.append(path)
        if hasattr(sub, "list_commands"):
            names += walk(sub, typer.Context(sub, parent=ctx), f"{path} ")
    return names


def root() -> tuple[Any, Any]:
    group = typer.main.get_command(app)
    return group, typer.Context(group)


def test_each_stand_in_says_what_its_command_says():
    """``hotline --help`` lists the help written in COMMANDS: it must be the command's own."""
    for name, entry in COMMANDS.items():
        real = entry.load(name)
        assert real.name == name
        assert real.help == entry.help, name


def test_walking_the_tree_finds_every_command():
    group, ctx = root()
    paths = walk(group, ctx)
    top = [p for p in paths if " " not in p]
    assert top == [
        "status",
        "demo",
        "kpi",
        "hotspot",
        "serve",
        "console",
        *[n for n, e in COMMANDS.items() if e.kind == "group"],
    ]
    for expected in (
        "ticket show",
        "ticket find",
        "ticket answer",
        "ticket urge",
        "kb search",
        "db upgrade",
        "area list",
        "scheduler run",
        "audit verify",
        "user list",
        "stats rebuild",
    ):
        assert expected in paths
    for name, entry in COMMANDS.items():
        if entry.kind == "group":
            assert any(p.startswith(f"{name} ") for p in paths), name


def test_the_commands_mapping_is_complete_too():
    group, _ctx = root()
    assert isinstance(group.commands, LazyCommands)
    assert set(group.commands) == {*COMMANDS, "console"}
    loaded = dict(group.commands.items())
    assert all(command.name == name for name, command in loaded.items())
    assert "nonexistent" not in group.commands and group.commands.get("nonexistent") is None


def help_of(group: Any) -> str:
    with CliRunner().isolation(env={"COLUMNS": "100"}) as (stdout, _stderr, _output):
        try:
            group.main(["--help"], prog_name="hotline")
        except SystemExit as done:
            assert done.code == 0
        return stdout.getvalue().decode()


def test_help_before_and_after_loading_is_the_same():
    """The stand-ins list exactly what the loaded commands would."""
    fresh, _ctx = root()
    before = help_of(fresh)
    loaded, ctx = root()
    for name in loaded.list_commands(ctx):
        loaded.get_command(ctx, name)
    assert help_of(loaded) == before
    for name in COMMANDS:
        assert f" {name} " in before


def test_a_mistyped_command_is_still_corrected():
    result = CliRunner().invoke(app, ["tiket"])
    assert result.exit_code == 2
    assert "ticket" in result.stderr


def test_ticket_members_name_exactly_their_modules_commands():
    """The ticket group's list of lazily loaded actions is the modules' own, no more, no less."""
    from hotline_tui.cli import ticket_extra_cmd, ticket_flow_cmd
    from hotline_tui.cli.ticket_group import MEMBERS

    for module in (ticket_flow_cmd, ticket_extra_cmd):
        own = set(typer.main.get_group(module.app).commands)
        listed = {n for n, e in MEMBERS.items() if e.module == module.__name__}
        assert listed == own, module.__name__
