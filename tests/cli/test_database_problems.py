"""A database that is missing, unreachable or not initialised is a configuration error (exit 9)
in words, never a traceback, and a mistyped path leaves no empty database behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hotline_tui.cli.main import app

CONFIG_ERROR = 9


@pytest.fixture
def run(key_file: Path, tmp_path: Path):
    env = {
        "HOTLINE_AUDIT_KEY_FILE": str(key_file),
        "HOTLINE_DATA_DIR": str(tmp_path),
        "HOTLINE_LOG_FILE": str(tmp_path / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(tmp_path / "cache"),
        "HOTLINE_CONFIG": str(tmp_path / "absent.toml"),
    }

    def invoke(url: str, *args: str):
        # catch_exceptions=False: a traceback fails the test instead of becoming exit code 1.
        return CliRunner().invoke(app, ["--db", url, *args], env=env, catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("command", [("status",), ("ticket", "show", "1"), ("audit", "verify")])
def test_a_missing_sqlite_file_is_refused_and_not_created(run, tmp_path, command):
    path = tmp_path / "typo" / "hotline.db"
    result = run(f"sqlite:///{path}", *command)
    assert result.exit_code == CONFIG_ERROR, result.output
    assert "config.database_missing" in result.stderr and str(path) in result.stderr
    assert not path.exists() and not path.parent.exists()


def test_an_empty_database_asks_for_db_upgrade(run, tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    result = run(f"sqlite:///{path}", "status")
    assert result.exit_code == CONFIG_ERROR
    assert "config.schema_missing" in result.stderr and "hotline db upgrade" in result.stderr
    created = run(f"sqlite:///{tmp_path / 'new.db'}", "db", "upgrade")
    assert created.exit_code == 0, created.output  # upgrade is the command that creates it


def test_an_unreachable_postgresql_server_is_a_configuration_error(run):
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    result = run("postgresql://hotline:secret@127.0.0.1:1/hotline", "status")
    assert result.exit_code == CONFIG_ERROR
    assert "config.database_unreachable" in result.stderr
    assert "secret" not in result.stderr  # the password is never printed


@pytest.mark.pg
def test_a_postgresql_database_that_does_not_exist_is_a_configuration_error(run, pg_template):
    from tests.conftest import pg_admin_url

    result = run(pg_admin_url("hotline_no_such_database"), "ticket", "find", "--limit", "1")
    assert result.exit_code == CONFIG_ERROR
    assert "config.database_unreachable" in result.stderr
