"""``hotline db upgrade/backup/restore/status``."""

from __future__ import annotations

from pathlib import Path

import typer

from db import migrate
from hotline_tui.cli.output import emit_json, line, local_time
from hotline_tui.cli.state import state
from hotline_tui.domain.errors import PermissionDenied
from hotline_tui.services.admin import copies
from hotline_tui.services.admin import install as admin
from hotline_tui.trust import may_act_as_others, os_user

app = typer.Typer(help="数据库：迁移、备份与恢复。", no_args_is_help=True)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """升级数据库：新建或迁移到最新结构；首次运行时生成审计密钥。"""
    st = state(ctx)
    result = admin.initialise(st.creating())
    line(
        f"数据库版本 {result.revision}；审计密钥 {result.key_path}"
        + ("（新建）" if result.key_created else "")
    )


@app.command("status")
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """数据库结构版本与最新迁移的对照。"""
    st = state(ctx)
    info: dict[str, object] = {
        "url": st.hl.engines.read.url.render_as_string(hide_password=True),
        "revision": migrate.current_revision(st.hl.engines.read),
        "head": migrate.head_revision(st.hl.engines.read),
        "orders": admin.count_orders(st.hl),
    }
    if as_json:
        emit_json(info)
    else:
        line(
            f"{info['url']}  revision {info['revision']}  head {info['head']}  "
            f"orders {info['orders']}"
        )


@app.command("backup")
def backup(ctx: typer.Context, target: Path) -> None:
    """备份：把数据库、审计密钥和检查点写入一个归档文件。"""
    st = state(ctx)
    path = admin.backup(st.hl, st.actor, target)
    line(f"备份完成：{path}")


@app.command("restore")
def restore(
    ctx: typer.Context,
    source: Path,
    force: bool = typer.Option(False, "--force", help="覆盖已有的数据与密钥"),
) -> None:
    """恢复：从 hotline db backup 生成的归档恢复（含密钥）。"""
    st = state(ctx)
    if admin.has_data(st.creating()):
        actor = st.actor  # over existing data: an administrator of that database
    elif may_act_as_others(st.settings.admin_group):
        actor = None  # into an empty database: the OS administrator
    else:
        raise PermissionDenied("permission.os_admin", os_user=os_user())
    manifest = admin.restore(st.hl, actor, source, force=force)
    line(f"恢复完成：{manifest.get('kind')} revision {manifest.get('revision')}")


@app.command("mark-copy")
def mark_copy(
    ctx: typer.Context,
    note: str = typer.Option(..., "--note", help="为何是副本：演练、测试、培训……"),
) -> None:
    """标记为副本（不可撤销）：只有副本可以按另一时间运行（hotline scheduler run --once --now）。"""
    st = state(ctx)
    mark = copies.mark_copy(st.hl, st.actor, note)
    line(f"本数据库已标记为副本（{mark.marked_by}，{local_time(mark.marked_at)}）：{mark.note}")
