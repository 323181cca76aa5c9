"""Console settings, the keymap, and the English catalogue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hotline_tui.domain.errors import Conflict
from hotline_tui.ui import i18n
from hotline_tui.ui.config import ConsoleSettings
from hotline_tui.ui.entry import parser
from hotline_tui.ui.options import ConsoleOptions
from hotline_tui.ui.screens.orders import OrdersScreen
from tests.ui.conftest import drive, settle

ROOT = Path(__file__).resolve().parents[2]


def test_console_settings_come_from_the_same_sources(monkeypatch, tmp_path):
    monkeypatch.setenv("HOTLINE_CONSOLE_LOW_BANDWIDTH", "true")
    monkeypatch.setenv("HOTLINE_CONSOLE_IDLE_LOCK_MINUTES", "2")
    monkeypatch.setenv("HOTLINE_CONSOLE_KEYMAP", '{"mode.orders": "ctrl+o"}')
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path))
    settings = ConsoleSettings()
    assert settings.data_dir == tmp_path  # the product's own settings, one object
    options = ConsoleOptions.from_settings(settings, lang="en")
    assert options.low_bandwidth and options.idle_lock_seconds == 120
    assert options.lang == "en" and options.keymap == (("mode.orders", "ctrl+o"),)
    assert not ConsoleOptions.from_settings(settings, low_bandwidth=False).low_bandwidth


def test_command_line():
    args = parser().parse_args(["--as", "op1", "--low-bandwidth", "--lang", "en"])
    assert (args.as_user, args.low_bandwidth, args.lang) == ("op1", True, "en")
    assert parser().parse_args([]).low_bandwidth is None  # the setting decides


def test_keys_are_remapped_from_the_settings(console, hl):
    app = console("op")
    app.options = ConsoleOptions(as_user="op", keymap=(("mode.orders", "ctrl+o"),))

    async def scenario(pilot):
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)

    drive(app, scenario)


def test_english_labels_keys_and_errors():
    code = (
        "from hotline_tui.ui.i18n import set_lang; set_lang('en')\n"
        "from hotline_tui.ui.app import HotlineApp\n"
        "from hotline_tui.ui.screens.intake import IntakeScreen\n"
        "print([b.description for b in HotlineApp.BINDINGS][:3])\n"
        "print([b.description for b in IntakeScreen.BINDINGS][0])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert "['Help', 'Intake', 'Orders']" in result.stdout and "Save" in result.stdout
    i18n.set_lang("en")
    try:
        error = Conflict(
            "conflict.version",
            ticket="N1",
            changed_by="disp",
            at="2026-03-02T01:30:00+00:00",
            action="urge",
            seen=1,
            current=2,
        )
        assert i18n.error_text(error) == (
            "Order N1 was changed by disp at 2026-03-02 09:30 (Urged); you saw version 1, "
            "it is now 2. Refresh and try again"
        )
        assert i18n.state_name("pending_sign") == "to sign"
    finally:
        i18n.set_lang("zh")
    assert "已被 disp 于 2026-03-02 09:30 修改" in i18n.error_text(error)


def test_the_early_reading_agrees_with_the_settings(monkeypatch, tmp_path):
    from hotline_tui.ui.options import EARLY_KEYS, read_early

    site = tmp_path / "site.toml"
    site.write_text(
        'console_lang = "en"\nconsole_refresh_seconds = 7\n'
        'console_keymap = { "mode.orders" = "ctrl+o" }\nconsole_trust_os_account = true\n'
    )
    monkeypatch.setenv("HOTLINE_CONFIG", str(site))
    monkeypatch.setenv("HOTLINE_CONSOLE_LOW_BANDWIDTH", "yes")
    monkeypatch.setenv("HOTLINE_CONSOLE_IDLE_LOCK_MINUTES", "3")
    settings = ConsoleSettings()
    early = read_early()
    for key in EARLY_KEYS:
        assert early.get(key, getattr(ConsoleSettings.model_fields[key], "default", None)) == (
            getattr(settings, key)
        ), key
    assert ConsoleOptions.from_values(early) == ConsoleOptions.from_settings(settings)
