"""Every ``hotline`` command × every role: the command's gate comes from the one role table.

Hole: ``hotline --as op1 audit checkpoint`` succeeded though the role table makes it
admin-only, because the command checked nothing. Now every command names its actions
(``hotline_tui.cli.gates``), the check runs before the command does anything, and this walk
proves, for each role, that a command whose actions the role lacks is refused with exit code 4
and changes nothing, and that a command it may run passes its gate.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import typer.main
from sqlalchemy import text
from sqlmodel import select

from db.models import AuditHead
from hotline_tui.cli.gates import GATES
from hotline_tui.cli.main import app
from hotline_tui.cli.state import CliState
from hotline_tui.domain.permissions import ACTIONS, allowed
from hotline_tui.domain.states import Role

USER_OF = {
    Role.OPERATOR: "op",
    Role.DISPATCHER: "disp",
    Role.HANDLER: "h1",
    Role.SUPERVISOR: "sup",
    Role.ADMIN: "adm",
}


def command_tree() -> dict[str, Any]:
    """Every leaf command of the real application, by its path."""
    found: dict[str, Any] = {}

    def walk(command: Any, path: list[str]) -> None:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                walk(command.get_command(None, name), [*path, name])
        else:
            found[" ".join(path)] = command

    walk(typer.main.get_command(app), [])
    return found


def minimal_args(command: Any, scratch: Path) -> list[str]:
    """Values for the required arguments and options, just enough to reach the gate."""
    args: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
        if annotation is bool:  # a required --accept/--reject switch: its first spelling
            args.append(param.opts[0])
            continue
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            value = str(next(iter(annotation)).value)
        elif annotation is Path:
            value = str(scratch / "input.txt")
        else:
            value = "1"
        if param.param_type_name == "option":
            args += [param.opts[0], value]
        else:
            args.append(value)
    return args


def gated(role: Role, path: str) -> bool:
    return any(allowed(role, action) for action in GATES[path].actions)


def test_every_command_is_listed_and_names_real_actions():
    tree = command_tree()
    assert sorted(tree) == sorted(GATES), "a command without a gate, or a gate without a command"
    for path, gate in GATES.items():
        assert gate.open or gate.actions, path
        assert set(gate.actions) <= ACTIONS, (path, set(gate.actions) - ACTIONS)


def test_a_command_outside_the_role_is_refused_before_it_does_anything(cli, hl, tmp_path):
    (tmp_path / "input.txt").write_text("x\n")
    tree = command_tree()

    def head() -> int:
        with hl.reading() as s:
            return int(s.exec(select(AuditHead.seq)).one())

    before = head()
    for role, user in USER_OF.items():
        refused = [p for p in tree if not GATES[p].open and not gated(role, p)]
        assert refused or role is Role.ADMIN
        for path in refused:
            args = [*path.split(), *minimal_args(tree[path], tmp_path)]
            result = cli(*args, user=user, ok=False)
            assert result.exit_code == 4, (role, path, result.output, result.stderr)
            assert "permission.role" in result.stderr, (role, path, result.stderr)
    assert head() == before  # nothing was written by any refused command
    assert not (tmp_path / "audit.checkpoint").exists()


def test_a_command_within_the_role_passes_its_gate(cli):
    for role, user in USER_OF.items():
        st = CliState(db_url=cli.db_url, as_user=user)
        try:
            for path in command_tree():
                if not GATES[path].open and gated(role, path):
                    st.authorise(path)  # PermissionDenied if the gate disagrees with the table
        finally:
            st.close()


def test_audit_checkpoint_is_for_administrators_only(cli, tmp_path):
    refused = cli("audit", "checkpoint", user="op", ok=False)
    assert refused.exit_code == 4 and "记录审计检查点" in refused.stderr
    assert not (tmp_path / "audit.checkpoint").exists()
    cli("audit", "checkpoint", user="adm")
    assert (tmp_path / "audit.checkpoint").exists()


def test_the_os_administrator_verifies_the_trail_whatever_the_users_table_says(cli, hl):
    with hl.engines.write.begin() as conn:  # the system user, disabled behind our back
        conn.execute(text("UPDATE user_account SET disabled = true WHERE username = 'system'"))
    assert cli("audit", "verify", user=None).exit_code == 0  # it ran, as root without --as
    assert cli("audit", "checkpoint", user=None, ok=False).exit_code == 8  # acting needs a user
    refused = cli("audit", "verify", user="op", ok=False)  # --as names whose rights count
    assert refused.exit_code == 4
