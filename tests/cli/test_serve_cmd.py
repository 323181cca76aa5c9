"""``hotline serve`` as a process (one worker over SQLite, two over PostgreSQL) and
``hotline apikey add|list|revoke``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tests.web.conftest import free_port, wait_for

HOTLINE = str(Path(sys.executable).with_name("hotline"))


def test_partner_keys_from_the_command_line(cli):
    made = cli.json("apikey", "add", "district-app")
    assert made["partner"] == "district-app" and len(made["api_key"]) >= 40
    [listed] = cli.json("apikey", "list")
    assert made["api_key"].startswith(listed["prefix"].rstrip("…"))
    assert listed["revoked_at"] == ""
    assert "已吊销" in cli("apikey", "revoke", "district-app").stdout
    assert cli.json("apikey", "list")[0]["revoked_at"]
    refused = cli("apikey", "list", user="op", ok=False)
    assert refused.exit_code == 4


def _serve(cli, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, **cli.env, "HOTLINE_KB_SEMANTIC": "0"}
    command = [HOTLINE, "--db", cli.db_url, "--as", "adm", "serve", *args]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_several_workers_over_sqlite_are_refused(sqlite_url, key_file, tmp_path):
    """One writer at a time: more processes would only queue for SQLite's lock."""
    from tests.cli.conftest import Cli

    cli = Cli(CliRunner(), _env(key_file, tmp_path), sqlite_url)
    refused = cli("serve", "--workers", "2", ok=False)
    assert refused.exit_code == 9
    assert "SQLite 数据库只能用 1 个工作进程" in refused.stderr


@pytest.mark.pg
@pytest.mark.slow
def test_serve_runs_several_workers_over_postgresql_until_stopped(pg_url, key_file, tmp_path):
    """The process as an administrator starts it: two uvicorn workers, each its own
    application over the same settings (a single worker runs in-process: tests/web)."""
    from tests.cli.conftest import Cli

    cli = Cli(CliRunner(), _env(key_file, tmp_path), pg_url)
    port = free_port()
    server = _serve(cli, "--port", str(port), "--workers", "2")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(url) or server.poll() is not None, "the server", 60)
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        pages = [httpx.get(url + "/") for _ in range(4)]
        assert all(p.status_code == 200 and "留下诉求" in p.text for p in pages)
        services = httpx.get(url + "/open311/v2/services.json").json()
        assert {s["service_name"] for s in services} >= {"物业管理"}
    finally:
        server.send_signal(signal.SIGTERM)
        out, _err = server.communicate(timeout=60)
    # uvicorn shuts down gracefully, then ends by the signal it caught (as systemd expects).
    assert server.returncode in (0, -signal.SIGTERM)
    assert "已创建渠道账号：web、open311" in out and "2 个工作进程" in out


def _env(key_file: Path, tmp_path: Path) -> dict[str, str]:
    return {
        "HOTLINE_AUDIT_KEY_FILE": str(key_file),
        "HOTLINE_DATA_DIR": str(tmp_path),
        "HOTLINE_LOG_FILE": str(tmp_path / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(tmp_path / "cache"),
        "HOTLINE_CONFIG": str(tmp_path / "absent.toml"),
    }
