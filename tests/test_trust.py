"""Who may act as whom comes from the site configuration only (hotline_tui.trust).

Hole: any OS user could grant themselves ``--as`` by naming their own group as the admin group
in their environment (``HOTLINE_ADMIN_GROUP``) or their own config file, which outranked the site
file. The first tests check the rules in-process as an unprivileged process would see them; the
last runs the real ``hotline`` as the unprivileged OS account ``nobody`` trying each setting.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline_tui import settings as settings_module
from hotline_tui import trust
from hotline_tui.domain.errors import ConfigError
from hotline_tui.settings import load_settings
from tests.conftest import IN_CI

NOBODY = 65534


@pytest.fixture
def unprivileged(tmp_path: Path, monkeypatch) -> Path:
    """This process as an operator's would be: not root, not the service account; a site file
    named by $HOTLINE_CONFIG that root owns; an empty per-user file."""
    monkeypatch.setattr(trust, "privileged", lambda: False)
    site = tmp_path / "site.toml"
    site.write_text('data_dir = "/var/lib/hotline"\nadmin_group = "hotline-admin"\n')
    site.chmod(0o644)
    monkeypatch.setenv("HOTLINE_CONFIG", str(site))
    monkeypatch.setattr(settings_module, "user_config_path", lambda: tmp_path / "user.toml")
    for name in list(os.environ):
        if name.startswith("HOTLINE_") and name != "HOTLINE_CONFIG":
            monkeypatch.delenv(name)
    return tmp_path


def refused(setting: str, **overrides: object) -> str:
    with pytest.raises(ConfigError) as err:
        load_settings(**overrides)
    assert err.value.code == "config.untrusted_setting"
    assert err.value.params["setting"] == setting
    return str(err.value.params["source"])


def test_an_operator_cannot_name_the_admin_group(unprivileged, monkeypatch):
    monkeypatch.setenv("HOTLINE_ADMIN_GROUP", "users")
    assert refused("admin_group") == "environment (HOTLINE_*)"
    monkeypatch.setenv("HOTLINE_ADMIN_GROUP", "hotline-admin")  # the site's own value is fine
    assert load_settings().admin_group == "hotline-admin"
    monkeypatch.delenv("HOTLINE_ADMIN_GROUP")
    (unprivileged / "user.toml").write_text('admin_group = "users"\n')
    assert refused("admin_group") == str(unprivileged / "user.toml")


def test_an_operator_cannot_move_the_database_or_the_key_the_site_fixes(unprivileged, monkeypatch):
    refused("database_url", database_url="sqlite:////tmp/mine.db")  # --db
    monkeypatch.setenv("HOTLINE_AUDIT_KEY_FILE", "/tmp/my.key")
    refused("audit_key_file")
    monkeypatch.delenv("HOTLINE_AUDIT_KEY_FILE")
    monkeypatch.setenv("HOTLINE_DATA_DIR", "/tmp/mine")
    refused("data_dir")
    monkeypatch.delenv("HOTLINE_DATA_DIR")
    # Settings that decide nothing about identity stay the operator's own.
    monkeypatch.setenv("HOTLINE_LOG_LEVEL", "DEBUG")
    loaded = load_settings()
    assert loaded.log_level == "DEBUG" and loaded.data_dir == Path("/var/lib/hotline")


def test_without_a_site_location_an_operator_keeps_a_personal_database(unprivileged):
    (unprivileged / "site.toml").write_text('admin_group = "hotline-admin"\n')
    assert load_settings(database_url="sqlite:////tmp/mine.db").db_url.endswith("mine.db")


def test_hotline_config_cannot_replace_or_hide_the_site_file(unprivileged, monkeypatch):
    own = unprivileged / "own.toml"
    own.write_text('admin_group = "users"\n')
    own.chmod(0o666)  # writable by others: not a site file, whoever owns it
    monkeypatch.setenv("HOTLINE_CONFIG", str(own))
    assert refused("admin_group") == str(own)  # read like a per-user file: no say in identity
    etc = unprivileged / "etc-hotline.toml"
    etc.write_text('admin_group = "hotline-admin"\n')
    etc.chmod(0o644)
    monkeypatch.setattr(trust, "SITE_CONFIG", etc)  # a host whose /etc has a site file
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert err.value.code == "config.site_untrusted"
    monkeypatch.setenv("HOTLINE_CONFIG", str(unprivileged / "missing.toml"))
    with pytest.raises(ConfigError):
        load_settings()  # naming a missing file does not hide /etc's either


def test_the_console_trusts_os_accounts_only_when_the_site_says_so(unprivileged, monkeypatch):
    from hotline_tui.ui.config import ConsoleSettings
    from hotline_tui.ui.options import read_early

    monkeypatch.setenv("HOTLINE_CONSOLE_TRUST_OS_ACCOUNT", "true")
    assert "console_trust_os_account" not in read_early()  # the early reading ignores it
    with pytest.raises(ConfigError) as err:
        ConsoleSettings()
    assert err.value.params["setting"] == "console_trust_os_account"
    monkeypatch.delenv("HOTLINE_CONSOLE_TRUST_OS_ACCOUNT")
    (unprivileged / "site.toml").write_text("console_trust_os_account = true\n")
    assert read_early()["console_trust_os_account"] is True
    assert ConsoleSettings().console_trust_os_account is True


def test_primary_group_membership_counts_for_the_admin_group(monkeypatch):
    import grp

    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(os, "getgroups", lambda: [])
    primary = grp.getgrgid(os.getegid()).gr_name
    assert trust.may_act_as_others(primary)
    assert not trust.may_act_as_others("no-such-group-here")


# --- the real command, as an unprivileged OS account ------------------------------------------


@pytest.fixture
def site_for_nobody(sqlite_template: Path, key_file: Path) -> Iterator[Path]:
    """A site in a directory ``nobody`` can read: root's site file naming the data directory,
    the database (with ``nobody`` mapped to an operator) and the audit key."""
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("CI runs as root: the unprivileged-user test must run there")
        pytest.skip("switching to the unprivileged OS user nobody needs root")
    base = Path(tempfile.mkdtemp(prefix="hotline-trust-"))
    try:
        base.chmod(0o755)
        data, home = base / "data", base / "home"
        for folder in (data, home, base / "cache"):
            folder.mkdir()
            folder.chmod(0o777)
        shutil.copy(sqlite_template, data / "hotline.db")
        shutil.copy(key_file, data / "audit.key")
        for path in (data / "hotline.db", data / "audit.key"):
            path.chmod(0o666)
        os.chown(home, NOBODY, NOBODY)
        site = base / "site.toml"
        site.write_text(
            f'data_dir = "{data}"\ncache_dir = "{base / "cache"}"\n'
            f'log_file = "{data / "hotline.log"}"\nadmin_group = "hotline-admin"\n'
        )
        site.chmod(0o644)
        hotline(site, "user", "add", "opn", "--role", "operator", "--os-account", "nobody",
                "--password", "nobody-pass-1", as_root=True)  # fmt: skip
        yield site
    finally:
        shutil.rmtree(base, ignore_errors=True)


def hotline(
    site: Path, *args: str, as_root: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "hotline"), *args]
    if not as_root:
        # nobody, with nogroup as its primary and only supplementary group.
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", f"--groups={NOBODY}",
                   *command]  # fmt: skip
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(site.parent / "home"),
        "HOTLINE_CONFIG": str(site),
        **(env or {}),
    }
    result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)
    if as_root:
        assert result.returncode == 0, result.stderr
    return result


def test_an_unprivileged_os_user_cannot_grant_themselves_act_as(site_for_nobody):
    site = site_for_nobody
    home = site.parent / "home"
    mine = hotline(site, "ticket", "find", "--limit", "1")
    assert mine.returncode == 0, mine.stderr  # nobody works as its own operator
    attempts: list[tuple[list[str], dict[str, str], str]] = [
        (["--as", "adm"], {"HOTLINE_ADMIN_GROUP": "nogroup"}, "admin_group"),
        (["--as", "adm"], {"HOTLINE_AUDIT_KEY_FILE": str(home / "my.key")}, "audit_key_file"),
        (["--as", "adm"], {"HOTLINE_DATA_DIR": str(home)}, "data_dir"),
        (["--db", f"sqlite:///{home / 'mine.db'}"], {}, "database_url"),
        (["--as", "adm"], {"HOTLINE_DATABASE_URL": f"sqlite:///{home}/x.db"}, "database_url"),
    ]
    for options, env, setting in attempts:
        result = hotline(site, *options, "ticket", "find", "--limit", "1", env=env)
        assert result.returncode == 9, (env, result.stdout, result.stderr)
        assert "config.untrusted_setting" in result.stderr and setting in result.stderr
    # The same group named in the operator's own config file, or in a file of theirs passed
    # as the site file: refused too.
    user_file = home / ".config" / "hotline" / "hotline.toml"
    own = home / "evil.toml"
    for path in (user_file, own):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('admin_group = "nogroup"\n')
        os.chown(path, NOBODY, NOBODY)
    result = hotline(site, "--as", "adm", "ticket", "find", "--limit", "1")
    assert result.returncode == 9 and "admin_group" in result.stderr, result.stderr
    user_file.unlink()
    result = hotline(
        site, "--as", "adm", "ticket", "find", "--limit", "1", env={"HOTLINE_CONFIG": str(own)}
    )
    # Without the site file, that file is read as the operator's own: no say in identity.
    assert result.returncode == 9 and "config.untrusted_setting" in result.stderr, result.stderr
    # Without any of it, --as is refused as before.
    plain = hotline(site, "--as", "adm", "ticket", "find", "--limit", "1")
    assert plain.returncode == 8 and "auth.act_as_denied" in plain.stderr
