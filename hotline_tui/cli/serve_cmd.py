"""``hotline serve`` and ``hotline apikey add|list|revoke``: the public channels' server and
the partner systems' keys of its Open311 API.

``serve`` runs the web front end in the foreground (handed over by the entry point,
:mod:`hotline_tui.cli.handoffs`): several worker processes over PostgreSQL, one over SQLite
(one writer at a time: more processes would only wait for the lock). It makes the channel
accounts the database lacks first.
"""

from __future__ import annotations

import typer

from hotline_tui.cli.handoffs import WebRun, handoffs
from hotline_tui.cli.output import emit_json, error, line, table
from hotline_tui.cli.state import state
from hotline_tui.domain.errors import ConfigError
from hotline_tui.services.public import apikeys
from hotline_tui.services.public.accounts import ensure_channel_accounts

apikey_app = typer.Typer(help="接口密钥：Open311 合作系统的密钥。", no_args_is_help=True)


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只在本机）"),
    port: int = typer.Option(8311, "--port", min=1, max=65535, help="监听端口"),
    workers: int = typer.Option(
        0, "--workers", min=0, max=64, help="工作进程数（0：按处理器数；SQLite 只能为 1）"
    ),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        "--forwarded-allow-ips",
        help="信任其转发的客户地址的反向代理（逗号分隔）",
    ),
    questions_per_minute: float | None = typer.Option(
        None, "--questions-per-minute", min=0.1, help="每个地址每分钟可提问次数（每个进程）"
    ),
    requests_per_minute: float | None = typer.Option(
        None, "--requests-per-minute", min=0.1, help="每个地址每分钟可提交诉求次数（每个进程）"
    ),
) -> None:
    """网站：市民自助页面与 Open311 接口（HTTP 服务）。"""
    import os

    st = state(ctx)
    hl = st.hl
    sqlite = hl.dialect == "sqlite"
    if sqlite and workers > 1:
        raise ConfigError("config.serve_sqlite_workers", workers=workers)
    made = ensure_channel_accounts(hl)
    if made:
        line(f"已创建渠道账号：{'、'.join(made)}")
    count = workers or (1 if sqlite else max(2, os.cpu_count() or 1))
    run_web = handoffs().run_web
    if run_web is None:
        raise ConfigError("config.entry_point", command="hotline serve")
    run_web(
        WebRun(
            settings=st.settings,
            host=host,
            port=port,
            workers=count,
            forwarded_allow_ips=forwarded_allow_ips,
            announce=lambda where: line(f"网站已启动：{where}（{count} 个工作进程）"),
            questions_per_minute=questions_per_minute,
            requests_per_minute=requests_per_minute,
        )
    )


@apikey_app.command("add")
def add(
    ctx: typer.Context,
    partner: str = typer.Argument(..., help="合作系统名称（小写字母、数字、-_.）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """为合作系统新建密钥（密钥只显示这一次）。"""
    st = state(ctx)
    view, key = apikeys.add_key(st.hl, st.actor, partner)
    if as_json:
        emit_json({"partner": view.partner, "api_key": key})
        return
    line(f"合作系统 {view.partner} 的密钥（只显示这一次，请妥善保存）：")
    line(key)


@apikey_app.command("list")
def list_(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="以 JSON 输出")
) -> None:
    """列出合作系统的密钥（只显示前几位）。"""
    st = state(ctx)
    keys = apikeys.list_keys(st.hl, st.actor)
    rows = [
        {
            "partner": k.partner,
            "prefix": k.prefix + "…",
            "created_at": k.created_at.isoformat(timespec="seconds"),
            "revoked_at": k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
        }
        for k in keys
    ]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        error("没有密钥。")
        return
    table(["合作系统", "密钥前缀", "创建时间", "吊销时间"], [list(r.values()) for r in rows])


@apikey_app.command("revoke")
def revoke(ctx: typer.Context, partner: str = typer.Argument(..., help="合作系统名称")) -> None:
    """吊销合作系统的密钥（立即生效）。"""
    st = state(ctx)
    view = apikeys.revoke_key(st.hl, st.actor, partner)
    line(f"已吊销 {view.partner} 的密钥。")
