"""Installation and operations: initialise a database, back it up and restore it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect
from sqlalchemy.engine import make_url
from sqlmodel import select

from db import migrate
from db.models import Ticket, User
from hotline_tui.domain.errors import ConfigError, PermissionDenied
from hotline_tui.domain.permissions import require
from hotline_tui.domain.states import Role
from hotline_tui.services.admin import checkpoint_file
from hotline_tui.services.admin.audit_key import create_key
from hotline_tui.services.admin.users import ensure_system_user
from hotline_tui.services.context import Actor, Hotline


@dataclass(frozen=True)
class InitResult:
    revision: str | None
    key_created: bool
    key_path: str


def initialise(hl: Hotline) -> InitResult:
    """Create the audit key (never overwriting one), migrate to head, add the system user."""
    created = create_key(hl.settings.key_path)
    migrate.upgrade(hl.engines.read)
    ensure_system_user(hl)
    return InitResult(migrate.current_revision(hl.engines.read), created, str(hl.settings.key_path))


def _sqlite_path(hl: Hotline) -> Path | None:
    url = make_url(hl.engines.read.url)
    if url.get_backend_name() != "sqlite":
        return None
    return Path(url.database or "")


def _pg_args(hl: Hotline) -> tuple[list[str], dict[str, str]]:
    url = make_url(hl.engines.read.url)
    args = [
        "-h",
        url.host or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        "-d",
        url.database or "",
    ]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def count_orders(hl: Hotline) -> int:
    """How many orders the database holds (0 before the first migration)."""
    if "ticket" not in inspect(hl.engines.read).get_table_names():
        return 0
    with hl.reading() as session:
        return int(session.exec(select(func.count()).select_from(Ticket)).one())


def is_fresh(hl: Hotline) -> bool:
    """No orders and no users but the built-in system user (and the public channels' accounts,
    which ``hotline serve`` makes): a new, personal database."""
    if count_orders(hl):
        return False
    with hl.reading() as session:
        users = session.exec(
            select(func.count()).select_from(User).where(User.role != Role.CHANNEL.value)
        ).one()
    return int(users) <= 1


def has_data(hl: Hotline) -> bool:
    """Whether the configured database already holds the product's tables."""
    return "audit_event" in inspect(hl.engines.read).get_table_names()


def _run(command: list[str], env: dict[str, str]) -> None:
    """Run pg_dump/pg_restore; a failure becomes a ConfigError carrying its message."""
    try:
        subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise ConfigError("config.tool_missing", tool=command[0]) from None
    except subprocess.CalledProcessError as exc:
        raise ConfigError(
            "config.tool_failed", tool=command[0], message=(exc.stderr or "").strip()[-500:]
        ) from None


def _copy_checkpoints(hl: Hotline, work: Path) -> None:
    """The checkpoint file as it stands between two appends (under its lock)."""
    checkpoint_file.copy(hl.settings.checkpoint_path, work / "audit.checkpoint")


def _copy_database(hl: Hotline, work: Path) -> str:
    """A consistent snapshot of the database; returns its kind."""
    sqlite_path = _sqlite_path(hl)
    if sqlite_path is not None:
        with sqlite3.connect(sqlite_path) as src, sqlite3.connect(work / "hotline.db") as dst:
            src.backup(dst)
        return "sqlite"
    args, env = _pg_args(hl)
    _run(["pg_dump", "-Fc", "-f", str(work / "hotline.pgdump"), *args], env)
    return "postgresql"


def backup(hl: Hotline, actor: Actor, target: Path) -> Path:
    """Write one archive with the database, the audit key and the checkpoints.

    SQLite is copied with its online backup API (consistent while others write); PostgreSQL
    with ``pg_dump``. The key travels with the data: a restored database verifies. The
    checkpoints are copied *before* the database: the chain only grows, so every checkpoint
    in the copy names a head the later snapshot holds, and a checkpoint taken meanwhile is
    simply not in the archive (copied after, it could name events the snapshot lacks, and the
    restored pair would fail ``audit verify``). The archive holds personal data and the key,
    so only administrators may make one, and it is created 0600 (never readable by others,
    not even for a moment).
    """
    require(actor.role, "db.backup", username=actor.username)
    if target.exists():
        raise ConfigError("config.backup_exists", path=str(target))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _copy_checkpoints(hl, work)
        kind = _copy_database(hl, work)
        shutil.copy2(hl.settings.key_path, work / "audit.key")
        (work / "manifest.json").write_text(
            json.dumps(
                {
                    "kind": kind,
                    "revision": migrate.current_revision(hl.engines.read),
                    "key_id": hl.key.key_id,
                    "at": hl.now().isoformat(),
                }
            )
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise ConfigError("config.backup_exists", path=str(target)) from None
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                for item in sorted(work.iterdir()):
                    archive.add(item, arcname=item.name)
        except BaseException:
            target.unlink(missing_ok=True)  # no half-written archive left behind
            raise
    return target


def _unpack(source: Path, work: Path) -> dict[str, Any]:
    """Extract an archive made by :func:`backup` into ``work``; its manifest.

    Anything else (not gzip, a truncated or foreign archive) is a ConfigError saying so, not a
    traceback from tarfile, gzip or json.
    """
    try:
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        kind = manifest.get("kind") if isinstance(manifest, dict) else None
        if kind not in ("sqlite", "postgresql") or not (work / "audit.key").is_file():
            raise ValueError("not an archive made by hotline db backup")
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
        raise ConfigError("config.backup_unreadable", path=str(source), error=str(exc)) from None
    return dict(manifest)


def restore(
    hl: Hotline, actor: Actor | None, source: Path, *, force: bool = False
) -> dict[str, str]:
    """Restore an archive made by :func:`backup` into the configured database and key file.

    Refuses to replace an existing database or a different key unless ``force`` is given. Over
    an existing database the actor must be an administrator of it; into an empty one the caller
    (the OS administrator, see the CLI) passes ``actor=None``.
    """
    existing = has_data(hl)
    if existing:
        if actor is None:
            raise PermissionDenied("permission.restore_needs_admin")
        require(actor.role, "db.restore", username=actor.username)
    if not source.is_file():
        raise ConfigError("config.backup_missing", path=str(source))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manifest = _unpack(source, work)
        key_target = hl.settings.key_path
        incoming_key = (work / "audit.key").read_bytes()
        if key_target.exists() and key_target.read_bytes() != incoming_key and not force:
            raise ConfigError("config.restore_key_differs", path=str(key_target))
        sqlite_path = _sqlite_path(hl)
        if manifest["kind"] == "sqlite":
            if sqlite_path is None:
                raise ConfigError("config.restore_kind", archive="sqlite", target="postgresql")
            if existing and not force:
                raise ConfigError("config.restore_target_exists", path=str(sqlite_path))
            hl.engines.dispose()
            for suffix in ("-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
            with sqlite3.connect(work / "hotline.db") as src, sqlite3.connect(sqlite_path) as dst:
                src.backup(dst)
        else:
            if sqlite_path is not None:
                raise ConfigError("config.restore_kind", archive="postgresql", target="sqlite")
            if existing and not force:
                url = hl.engines.read.url.render_as_string(hide_password=True)
                raise ConfigError("config.restore_target_exists", path=url)
            args, env = _pg_args(hl)
            hl.engines.dispose()
            restore_args = ["--clean", "--if-exists", "--no-owner"]
            _run(["pg_restore", *restore_args, *args, str(work / "hotline.pgdump")], env)
        key_target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(work / "audit.key", key_target)
        hl.forget_key()
        key_target.chmod(0o640)
        if (work / "audit.checkpoint").exists():
            shutil.copy2(work / "audit.checkpoint", hl.settings.checkpoint_path)
        return {k: str(v) for k, v in manifest.items()}
