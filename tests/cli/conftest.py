"""CLI fixtures: a runner whose environment points the settings at the test database."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

from hotline_tui.cli.main import app


@pytest.fixture(autouse=True, scope="session")
def _command_tree_built_once() -> Iterator[None]:
    """typer builds the click command tree from the functions' signatures at every invocation
    (about 0.1 s for the whole tree, most of an in-process run): build it once per session."""
    original = typer.testing._get_command  # type: ignore[attr-defined]
    typer.testing._get_command = functools.cache(original)  # type: ignore[attr-defined]
    yield
    typer.testing._get_command = original  # type: ignore[attr-defined]


@dataclass
class Cli:
    runner: CliRunner
    env: dict[str, str]
    db_url: str

    def __call__(self, *args: str, user: str | None = "adm", ok: bool = True) -> Any:
        prefix = ["--db", self.db_url] + (["--as", user] if user else [])
        result = self.runner.invoke(app, [*prefix, *args], env=self.env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, (args, result.output, result.stderr)
        return result

    def json(self, *args: str, user: str | None = "adm") -> Any:
        return json.loads(self(*args, "--json", user=user).stdout)


@pytest.fixture
def cli(db_url: str, key_file: Path, tmp_path: Path) -> Cli:
    env = {
        "HOTLINE_AUDIT_KEY_FILE": str(key_file),
        "HOTLINE_DATA_DIR": str(tmp_path),
        "HOTLINE_LOG_FILE": str(tmp_path / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(tmp_path / "cache"),
        "HOTLINE_CONFIG": str(tmp_path / "absent.toml"),
    }
    return Cli(CliRunner(), env, db_url)
