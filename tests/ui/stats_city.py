"""A demo city for the 统计 mode's tests (SQLite, like the other console tests): generated once
per module with ``hotline demo``, and the console over it as any demo user."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import select
from typer.testing import CliRunner

from db.engine import make_engines
from db.models import User
from hotline_tui.cli.main import app as cli_app
from hotline_tui.services.admin.users import actor_of
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.settings import Settings
from hotline_tui.ui.app import HotlineApp, make_app
from hotline_tui.ui.backend import Backend
from hotline_tui.ui.options import ConsoleOptions

__all__ = ["City", "seed_city"]


@dataclass
class City:
    url: str
    env: dict[str, str]
    folder: Path

    def settings(self) -> Settings:
        return Settings(
            data_dir=self.folder,
            database_url=self.url,
            audit_key_file=self.folder / "audit.key",
            cache_dir=self.folder / "cache",
            log_file=self.folder / "hotline.log",
            kb_semantic=False,
        )

    def core(self) -> Hotline:
        settings = self.settings()
        return Hotline(settings, make_engines(settings.db_url))

    def actor(self, hl: Hotline, name: str) -> Actor:
        with hl.reading() as session:
            found = session.exec(select(User).where(User.username == name)).one()
            return actor_of(found, session=session)

    def console(self, hl: Hotline, user: str, *, low_bandwidth: bool = False) -> HotlineApp:
        options = ConsoleOptions(low_bandwidth=low_bandwidth, as_user=user, idle_lock_seconds=0)
        backend = Backend(hl.settings, drafts_dir=self.folder / "drafts", hl=hl)
        return make_app(backend, options, os_user="tester", may_act_as_others=True)

    def cli(self, *args: str, user: str = "sup1") -> Any:
        result = CliRunner().invoke(cli_app, ["--db", self.url, "--as", user, *args], env=self.env)
        assert result.exit_code == 0, (args, result.output, result.stderr)
        return result


def seed_city(folder: Path, orders: int = 300) -> City:
    url = f"sqlite:///{folder / 'demo.db'}"
    env = {
        "HOTLINE_AUDIT_KEY_FILE": str(folder / "audit.key"),
        "HOTLINE_DATA_DIR": str(folder),
        "HOTLINE_LOG_FILE": str(folder / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(folder / "cache"),
        "HOTLINE_CONFIG": str(folder / "absent.toml"),
        "HOTLINE_KB_SEMANTIC": "0",
    }
    seeded = CliRunner().invoke(
        cli_app, ["--db", url, "demo", "--orders", str(orders), "--json"], env=env
    )
    assert seeded.exit_code == 0, (seeded.output, seeded.stderr)
    return City(url, env, folder)
