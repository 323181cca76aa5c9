"""``hotline user add/list/disable/enable/reset-password``."""

from __future__ import annotations

import typer

from hotline_tui.cli.choices import choice, choice_help
from hotline_tui.cli.output import emit_json, line, table
from hotline_tui.cli.state import state
from hotline_tui.services.admin import users

app = typer.Typer(help="用户管理。", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    username: str,
    role: str = typer.Option(
        ..., "--role", help=choice_help("角色", "user_role"), **choice("user_role")
    ),
    name: str = typer.Option("", "--name"),
    dept: str | None = typer.Option(None, "--dept"),
    os_account: str | None = typer.Option(None, "--os-account"),
    password: str | None = typer.Option(None, "--password", envvar="HOTLINE_NEW_PASSWORD"),
) -> None:
    """新增用户（密码在提示时输入，或取自 HOTLINE_NEW_PASSWORD）。"""
    st = state(ctx)
    password = password if password is not None else new_password()
    view = users.add_user(
        st.hl,
        st.actor,
        username,
        name or username,
        role,
        password=password,
        dept=dept,
        os_account=os_account,
    )
    line(f"已添加用户 {view.username}（{view.role}）")


@app.command("list")
def list_(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    st = state(ctx)
    rows = users.list_users(st.hl, st.actor)
    if as_json:
        emit_json(rows)
        return
    table(
        ["用户", "姓名", "角色", "单位", "系统账号", "停用", "锁定"],
        [
            (u.username, u.display_name, u.role, u.dept, u.os_account, u.disabled, u.locked)
            for u in rows
        ],
    )


@app.command("disable")
def disable(ctx: typer.Context, username: str) -> None:
    st = state(ctx)
    users.set_disabled(st.hl, st.actor, username, True)
    line(f"已停用 {username}")


@app.command("enable")
def enable(ctx: typer.Context, username: str) -> None:
    st = state(ctx)
    users.set_disabled(st.hl, st.actor, username, False)
    line(f"已启用 {username}")


@app.command("reset-password")
def reset_password(
    ctx: typer.Context,
    username: str,
    password: str | None = typer.Option(None, "--password", envvar="HOTLINE_NEW_PASSWORD"),
) -> None:
    """重置密码并解除锁定（密码在提示时输入，或取自 HOTLINE_NEW_PASSWORD）。"""
    st = state(ctx)
    users.reset_password(
        st.hl, st.actor, username, password if password is not None else new_password()
    )
    line(f"已重置 {username} 的密码")


def new_password() -> str:
    """Ask for the new password twice, hidden, once the user may set it (a prompt before the
    permission check would ask someone for a password only to refuse them)."""
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
