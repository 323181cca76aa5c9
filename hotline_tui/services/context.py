"""The service container (`Hotline`) and the acting user (`Actor`).

Everything a service needs is passed in here: engines, settings, the clock and the audit key.
Nothing is built at import time, so tests build the same services over a temporary database and a
frozen clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from db.engine import Engines, make_engines, sqlite_path
from hotline_tui.domain.errors import ConfigError
from hotline_tui.domain.states import Role
from hotline_tui.services.admin.audit_key import AuditKey, load_key
from hotline_tui.services.storable import guard_engines
from hotline_tui.settings import Settings

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    """Who is acting: the hotline user, and the OS account behind the command if any."""

    user_id: int
    username: str
    display_name: str
    role: Role
    dept_id: int | None = None
    os_user: str | None = None
    # The code of the user's department (``M03``), for the front ends' own-department checks;
    # set at login (None for actors built otherwise: the services go by ``dept_id``).
    dept_code: str | None = None


class Hotline:
    """The core every front end holds: settings, database engines, clock, audit key."""

    def __init__(
        self,
        settings: Settings,
        engines: Engines,
        *,
        clock: Clock = system_clock,
        key: AuditKey | None = None,
    ) -> None:
        self.settings = settings
        self.engines = engines
        guard_engines(engines)
        self.clock = clock
        self._key = key
        # Department code → id: codes never change meaning, so a process may keep them.
        self.dept_ids: dict[str, int] = {}
        self.code_ids: dict[tuple[str, str], int] = {}

    @property
    def key(self) -> AuditKey:
        """The audit key, loaded on first use (read-only commands may never need it)."""
        if self._key is None:
            self._key = load_key(self.settings.key_path)
        return self._key

    def forget_key(self) -> None:
        """Reload the key on next use (after a restore replaced the key file)."""
        self._key = None

    @property
    def dialect(self) -> str:
        return self.engines.dialect

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (its own connection; never holds the SQLite write lock)."""
        # Closing (not rolling back) ends the transaction without expiring the loaded rows.
        with Session(self.engines.read, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        self.engines.dispose()


def open_hotline(
    settings: Settings, *, clock: Clock = system_clock, create: bool = False
) -> Hotline:
    """Build the core from settings (the database must already be migrated to use it).

    An SQLite file that does not exist is refused unless ``create`` (``db upgrade``, ``demo``,
    ``db restore``): a mistyped path would otherwise leave an empty database behind and fail
    later with a missing table.
    """
    path = sqlite_path(settings.db_url)
    if not create and path is not None and not path.exists():
        raise ConfigError("config.database_missing", path=str(path))
    engines = make_engines(
        settings.db_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    return Hotline(settings, engines, clock=clock)


def database_problem(exc: BaseException, url: str) -> ConfigError | None:
    """The configuration error behind a database failure, if it is one.

    A server that cannot be reached (or refuses the login, or has no such database) and a
    database without the schema are the administrator's to fix (exit code 9, with what to do),
    not a traceback.
    """
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    text = str(orig).strip()
    state = str(getattr(orig, "sqlstate", None) or "")
    if state == "42P01" or text.startswith("no such table"):
        return ConfigError("config.schema_missing", url=url)
    connecting = state[:2] in ("08", "28", "3D", "57") or (
        # psycopg's client-side failures (refused, unknown host, timeout) carry no SQLSTATE.
        not state and "connection" in text.lower()
    )
    if connecting or text.startswith("unable to open database file"):
        return ConfigError("config.database_unreachable", url=url, reason=text.splitlines()[0])
    return None
