"""The console's settings set the zone its times are shown in (``Settings.timezone``)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from hotline_tui.domain import display_time
from hotline_tui.ui import entry
from hotline_tui.ui.text import local_time

MOMENT = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def console_env(tmp_path, monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("HOTLINE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HOTLINE_LOG_FILE", str(tmp_path / "hotline.log"))
    monkeypatch.delenv("HOTLINE_TIMEZONE", raising=False)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    display_time.use_zone(None)
    for handler in list(root.handlers):  # the settings set up the log file
        root.removeHandler(handler)
        handler.close()
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_the_console_shows_times_in_the_settings_zone(console_env, monkeypatch, tmp_path):
    entry.load_settings(f"sqlite:///{tmp_path / 'absent.db'}")
    assert local_time(MOMENT) == "2026-07-01 10:00"
    monkeypatch.setenv("HOTLINE_TIMEZONE", "Europe/London")
    assert entry.load_settings(None).timezone == "Europe/London"
    assert local_time(MOMENT) == "2026-07-01 03:00"  # summer time in London
