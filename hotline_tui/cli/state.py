"""Per-invocation state of the ``hotline`` command: settings, the core, the acting user."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from hotline_tui.cli.gates import GATES, Gate
from hotline_tui.domain.display_time import use_zone
from hotline_tui.domain.errors import PermissionDenied
from hotline_tui.domain.permissions import allowed
from hotline_tui.domain.text import configure_segmenter
from hotline_tui.services.admin.users import resolve_actor
from hotline_tui.services.context import Actor, Hotline, open_hotline
from hotline_tui.settings import Settings, load_settings
from hotline_tui.trust import may_act_as_others, os_user


@dataclass
class CliState:
    db_url: str | None = None
    as_user: str | None = None
    _settings: Settings | None = None
    _hl: Hotline | None = None
    _actor: Actor | None = field(default=None)
    _authorised: str | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(database_url=self.db_url)
            setup_logging(self._settings.log_file, self._settings.log_level)
            configure_segmenter(self._settings.cache_dir / "jieba")
            use_zone(self._settings.timezone)
        return self._settings

    @property
    def hl(self) -> Hotline:
        """The core over an existing database (a missing SQLite file is a configuration error)."""
        if self._hl is None:
            self._hl = open_hotline(self.settings)
        return self._hl

    def creating(self) -> Hotline:
        """The core for the commands that may create the database (upgrade, demo, restore)."""
        if self._hl is None:
            self._hl = open_hotline(self.settings, create=True)
        return self._hl

    @property
    def actor(self) -> Actor:
        """The hotline user this OS account acts as (``--as`` only for root/admin group)."""
        if self._actor is None:
            self._actor = resolve_actor(
                self.hl,
                os_user(),
                as_user=self.as_user,
                may_act_as_others=may_act_as_others(self.settings.admin_group),
            )
        return self._actor

    def authorise(self, command: str) -> None:
        """Refuse ``command`` (its path, ``"ticket show"``) unless the acting user's role allows
        one of the actions its gate names (:mod:`hotline_tui.cli.gates`), before it does
        anything."""
        if self._authorised == command:
            return
        gate = GATES.get(command)
        if gate is None:  # fail closed: a command nobody listed is nobody's to run
            raise PermissionDenied("permission.unlisted_command", command=command)
        if not gate.open and not (gate.fresh_ok and self._fresh()) and not self._os_admin(gate):
            actor = self.actor
            if not any(allowed(actor.role, action) for action in gate.actions):
                raise PermissionDenied(
                    "permission.role",
                    user=actor.username,
                    role=actor.role.value,
                    action=" / ".join(gate.actions),
                )
        self._authorised = command

    def _os_admin(self, gate: Gate) -> bool:
        """Root or the admin group, acting as no one else, where the gate lets them."""
        return (
            gate.os_admin and self.as_user is None and may_act_as_others(self.settings.admin_group)
        )

    def _fresh(self) -> bool:
        """A database being created: no tables yet, or no users but the built-in one."""
        from hotline_tui.services.admin import install as admin

        hl = self.creating()
        return not admin.has_data(hl) or admin.is_fresh(hl)

    def shown_db_url(self) -> str | None:
        """The database URL without its password, once the settings are loaded."""
        if self._settings is None:
            return None
        from sqlalchemy.engine import make_url

        return make_url(self._settings.db_url).render_as_string(hide_password=True)

    def close(self) -> None:
        if self._hl is not None:
            self._hl.close()


def setup_logging(path: Path, level: str) -> None:
    """Logs go to the log file, never to the operator's terminal."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        target: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        target = logging.NullHandler()
    target.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(target)
    root.setLevel(level.upper())


def state(ctx: typer.Context) -> CliState:
    """The invocation's state, once the acting user may run this command."""
    found = ctx.find_object(CliState)
    assert found is not None, "the main callback sets the state"
    found.authorise(command_path(ctx))
    return found


def command_path(ctx: typer.Context) -> str:
    """The command's path below the program (``"ticket show"``), whatever the program's name."""
    names: list[str] = []
    current: Any = ctx
    while current.parent is not None:
        names.append(str(current.info_name))
        current = current.parent
    return " ".join(reversed(names))
