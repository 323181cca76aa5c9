"""Backup and restore: the archive carries the database and the audit key, so a restored
database has the same orders and its audit chain verifies with the restored key.

SQLite is restored into a new file; PostgreSQL into a new, empty database made for the test.
"""

from __future__ import annotations

import os
import stat
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from typer.testing import CliRunner

from db.engine import make_engines
from db.models import Ticket
from hotline_tui.domain.errors import ConfigError
from hotline_tui.services.admin import audit
from hotline_tui.services.admin import install as admin
from hotline_tui.services.admin.audit_key import create_key
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets import dispatch, intake, supervision
from tests.cli import conftest as cli_conftest
from tests.cli.conftest import Cli
from tests.conftest import make_settings, pg_admin_url, pg_execute
from tests.robustness.workers import order_input

cli = cli_conftest.cli  # the CLI runner fixture, shared with tests/cli


@pytest.fixture
def restore_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty restore target on the same backend: a new SQLite path or a new PG database."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'hotline.db'}"
        return
    name = f"hl_r_{uuid.uuid4().hex[:12]}"
    pg_execute(f"CREATE DATABASE {name}")
    yield pg_admin_url(name)
    pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def make_orders(hl, who) -> list[str]:
    numbers = []
    for i in range(3):
        number = intake.register(hl, who["op"], order_input(f"备份测试工单 {i}")).number
        dispatch.dispatch(hl, who["disp"], number, "M01", ["M03"] if i == 1 else [])
        numbers.append(number)
    supervision.urge(hl, who["sup"], numbers[0], "请尽快办理")
    return numbers


def orders(hl) -> list[tuple[object, ...]]:
    with hl.reading() as s:
        return [
            (t.number, t.state, t.version, t.description, t.urge_count, t.handover_count)
            for t in s.exec(select(Ticket).order_by(col(Ticket.id)))
        ]


def open_target(tmp_path: Path, url: str, key: Path | None = None) -> Hotline:
    folder = tmp_path / "restored"
    settings = make_settings(folder, key or folder / "audit.key", url)
    return Hotline(settings, make_engines(url))


def test_restore_into_a_fresh_target_has_the_same_orders_and_a_verifying_chain(
    hl, who, tmp_path, restore_url
):
    make_orders(hl, who)
    audit.checkpoint(hl)
    at_backup = orders(hl)
    archive = admin.backup(hl, who["adm"], tmp_path / "backups" / "hotline.tar.gz")
    # A change after the backup is not in it.
    intake.register(hl, who["op"], order_input("备份之后的工单"))
    with pytest.raises(ConfigError) as exists:
        admin.backup(hl, who["adm"], archive)  # never overwrites an archive
    assert exists.value.code == "config.backup_exists"

    target = open_target(tmp_path, restore_url)
    try:
        assert not target.settings.key_path.exists()
        manifest = admin.restore(target, None, archive)
        assert manifest["kind"] == ("sqlite" if restore_url.startswith("sqlite") else "postgresql")
        assert manifest["key_id"] == hl.key.key_id
        # The key travelled with the data; so did the checkpoint.
        assert target.settings.key_path.read_bytes() == hl.settings.key_path.read_bytes()
        assert target.key.key_id == hl.key.key_id
        assert target.settings.checkpoint_path.exists()
        assert orders(target) == at_backup
        report = audit.verify(target)
        assert report.ok, report
        # The restored database is a working one: it takes writes and still verifies.
        intake.register(target, who["op"], order_input("恢复之后的工单"))
        assert len(orders(target)) == len(at_backup) + 1
        assert audit.verify(target).ok
    finally:
        target.close()


def test_restore_over_an_existing_database_is_refused_without_force(hl, who, tmp_path):
    make_orders(hl, who)
    archive = admin.backup(hl, who["adm"], tmp_path / "hotline.tar.gz")
    later = intake.register(hl, who["op"], order_input("备份之后的工单")).number
    current = orders(hl)
    with pytest.raises(ConfigError) as refused:
        admin.restore(hl, who["adm"], archive)
    assert refused.value.code == "config.restore_target_exists"
    # Nothing was replaced: the order made after the backup is still there.
    assert orders(hl) == current and later in {o[0] for o in current}
    assert audit.verify(hl).ok


def test_restore_refuses_to_replace_a_different_key(hl, who, tmp_path, restore_url):
    make_orders(hl, who)
    archive = admin.backup(hl, who["adm"], tmp_path / "hotline.tar.gz")
    other_key = tmp_path / "restored" / "other.key"
    create_key(other_key)
    original = other_key.read_bytes()
    target = open_target(tmp_path, restore_url, key=other_key)
    try:
        with pytest.raises(ConfigError) as refused:
            admin.restore(target, None, archive)
        assert refused.value.code == "config.restore_key_differs"
        assert other_key.read_bytes() == original
        with target.engines.read.connect() as conn:
            tables = conn.dialect.get_table_names(conn)
        assert "ticket" not in tables  # the target was not touched
    finally:
        target.close()


def test_db_backup_and_restore_through_the_command(cli, hl, who, tmp_path, restore_url):
    numbers = make_orders(hl, who)
    archive = tmp_path / "cli-backup.tar.gz"
    made = cli("db", "backup", str(archive))
    assert archive.exists() and "备份完成" in made.stdout
    shown = cli.json("ticket", "show", numbers[1])

    folder = tmp_path / "restored"
    env = cli.env | {
        "HOTLINE_AUDIT_KEY_FILE": str(folder / "audit.key"),
        "HOTLINE_DATA_DIR": str(folder),
        "HOTLINE_LOG_FILE": str(folder / "hotline.log"),
    }
    restored = Cli(CliRunner(), env, restore_url)
    done = restored("db", "restore", str(archive))
    assert "恢复完成" in done.stdout
    assert restored.json("ticket", "show", numbers[1]) == shown
    assert restored("audit", "verify").exit_code == 0
    assert restored.json("audit", "verify")["ok"] is True

    again = restored("db", "restore", str(archive), ok=False)
    assert again.exit_code == 9, again.output  # ConfigError: the target exists
    assert "restore_target_exists" in again.stderr
    forced = restored("db", "restore", str(archive), "--force")
    assert forced.exit_code == 0
    assert restored.json("ticket", "show", numbers[1]) == shown


def test_only_an_admin_may_back_up_or_restore(cli, hl, tmp_path, restore_url):
    archive = tmp_path / "operator-backup.tar.gz"
    refused = cli("db", "backup", str(archive), user="op", ok=False)
    assert refused.exit_code == 4 and not archive.exists()  # PermissionDenied
    cli("db", "backup", str(archive))  # as adm
    # Over an existing database only its administrators may restore, even with --force.
    refused = cli("db", "restore", str(archive), "--force", user="h1", ok=False)
    assert refused.exit_code == 4
    # Into an empty database the OS administrator (root here) restores.
    folder = tmp_path / "restored"
    env = cli.env | {"HOTLINE_AUDIT_KEY_FILE": str(folder / "audit.key")}
    restored = Cli(CliRunner(), env, restore_url)
    assert restored("db", "restore", str(archive), user=None).exit_code == 0


def test_the_archive_is_created_readable_by_its_owner_only(hl, who, tmp_path):
    previous = os.umask(0o022)  # the usual umask: files made without a mode are 0644
    try:
        archive = admin.backup(hl, who["adm"], tmp_path / "hotline.tar.gz")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as opened:
        assert "audit.key" in opened.getnames()


def test_a_checkpoint_taken_during_a_backup_leaves_a_pair_that_verifies(
    hl, who, tmp_path, restore_url, monkeypatch
):
    """The scheduler's checkpoint lands between the backup's two copies (whichever comes
    first): the restored database and checkpoints must still verify together."""
    make_orders(hl, who)
    audit.checkpoint(hl)
    steps: list[str] = []

    def meanwhile() -> None:
        intake.register(hl, who["op"], order_input("备份进行中的工单"))
        audit.checkpoint(hl)

    for name in ("_copy_checkpoints", "_copy_database"):
        original = getattr(admin, name)

        def step(core: Hotline, work: Path, original: Any = original, name: str = name) -> Any:
            result = original(core, work)
            if not steps:
                meanwhile()
            steps.append(name)
            return result

        monkeypatch.setattr(admin, name, step)
    archive = admin.backup(hl, who["adm"], tmp_path / "hotline.tar.gz")
    assert len(steps) == 2
    assert len(hl.settings.checkpoint_path.read_text().splitlines()) == 2
    target = open_target(tmp_path, restore_url)
    try:
        admin.restore(target, None, archive)
        report = audit.verify(target)
        assert report.ok, report
        audit.checkpoint(target)  # and the restored pair goes on
        assert audit.verify(target).ok
    finally:
        target.close()
