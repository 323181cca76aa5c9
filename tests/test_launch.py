"""The ``hotline`` entry point: the console without the CLI, everything else to typer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hotline_tui.launch import console_argv

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], []),
        (["console"], []),
        (["console", "--low-bandwidth"], ["--low-bandwidth"]),
        (["--as", "op1"], ["--as", "op1"]),
        (
            ["--db", "sqlite:///x.db", "--as=op1", "console", "--lang", "en"],
            ["--db", "sqlite:///x.db", "--as=op1", "--lang", "en"],
        ),
        (["ticket", "find"], None),
        (["--as", "op1", "ticket", "show", "1"], None),
        (["console", "--help"], None),
        (["--as"], None),
    ],
)
def test_console_argv(argv, expected):
    assert console_argv(argv) == expected


def test_the_console_starts_without_the_cli_or_the_database():
    """What the console imports before its first paint: no CLI, services or database driver."""
    code = (
        "import sys, hotline_tui.launch, hotline_tui.ui.entry, hotline_tui.ui.app,"
        " hotline_tui.ui.backend, hotline_tui.ui.options\n"
        "heavy = ['sqlalchemy', 'sqlmodel', 'alembic', 'psycopg', 'jieba', 'pypinyin',"
        " 'typer', 'pydantic', 'hotline_tui.services.context', 'hotline_tui.cli.main']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""


def test_the_cli_lists_the_console():
    result = subprocess.run(
        [sys.executable, "-m", "hotline_tui.cli.main", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "console" in result.stdout


def test_a_command_runs_with_the_collector_on_and_what_loaded_before_it_frozen():
    """The collector is paused while the command loads, and on again before the command runs
    (a scheduler daemon must not run without it)."""
    code = (
        "import atexit, gc, sys\n"
        "from hotline_tui import launch\n"
        "atexit.register(lambda: print(gc.isenabled(), gc.get_freeze_count() > 1000))\n"
        "sys.argv = ['hotline', 'ticket', '--help']\n"
        "launch.main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.split()[-2:] == ["True", "True"]


def test_resuming_leaves_a_collector_it_did_not_pause_alone():
    code = (
        "import gc\n"
        "from hotline_tui import collector\n"
        "gc.disable()\n"
        "collector.resume_collector()\n"
        "print(gc.isenabled(), gc.get_freeze_count())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.split() == ["False", "0"]


def test_the_cli_started_without_the_entry_point_refuses_the_console_in_words():
    """The CLI imports no other front end: run as a bare module, it has no console to open and
    says so, instead of failing on an import."""
    result = subprocess.run(
        [sys.executable, "-m", "hotline_tui.cli.main", "console"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "须经 hotline 命令启动" in result.stderr
