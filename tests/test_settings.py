"""Settings: environment beats the site file, which beats the per-user file."""

from __future__ import annotations

from pathlib import Path

from hotline_tui import settings as settings_module
from hotline_tui.settings import load_settings


def test_sources_in_order(tmp_path: Path, monkeypatch):
    site = tmp_path / "site.toml"
    site.write_text('data_dir = "/var/lib/hotline"\nvisit_max_attempts = 4\nlog_level = "DEBUG"\n')
    user = tmp_path / "user.toml"
    user.write_text('visit_max_attempts = 9\nadmin_group = "ops"\n')
    monkeypatch.setenv("HOTLINE_CONFIG", str(site))
    monkeypatch.setattr(settings_module, "user_config_path", lambda: user)
    monkeypatch.setenv("HOTLINE_LOG_LEVEL", "WARNING")
    for name in ("HOTLINE_DATA_DIR", "HOTLINE_DATABASE_URL", "HOTLINE_AUDIT_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    loaded = load_settings()
    assert loaded.data_dir == Path("/var/lib/hotline")  # the site location for shared hosts
    assert loaded.db_url == "sqlite:////var/lib/hotline/hotline.db"
    assert loaded.key_path == Path("/var/lib/hotline/audit.key")
    assert loaded.visit_max_attempts == 4  # site beats user
    assert loaded.admin_group == "ops"  # the user file fills what the site leaves out
    assert loaded.log_level == "WARNING"  # environment beats files
    assert load_settings(database_url="postgresql://x/y").db_url == "postgresql://x/y"


def test_per_user_default_without_a_site_file(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HOTLINE_CONFIG", str(tmp_path / "missing.toml"))
    monkeypatch.setattr(settings_module, "user_config_path", lambda: tmp_path / "none.toml")
    monkeypatch.delenv("HOTLINE_DATA_DIR", raising=False)
    monkeypatch.delenv("HOTLINE_DATABASE_URL", raising=False)
    loaded = load_settings()
    assert "hotline" in str(loaded.data_dir)
    assert loaded.timezone == "Asia/Shanghai"
