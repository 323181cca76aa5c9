"""Every command's options and arguments, fuzzed in-process: no traceback, no stray exit code.

The command tree is walked generically (``typer.main.get_command`` and each group's
``list_commands``/``get_command``), so a command added later is fuzzed without touching this
file. Values come from :mod:`tests.cli.fuzz_values`. Each command runs on its own copy of a
database seeded with the test world and a few orders; examples are derandomized, so a run is
repeatable. A command may end with 0, with one of the documented error codes (2 invalid input
… 10 import; 2 is also click's usage error) or with 1 where the README documents it.

The root's ``--as`` is fuzzed with the rest; its ``--db`` is not: a fuzzed URL would create files
anywhere or connect to any host, and a database that is missing or unreachable is refused by the
settings, not by a command. Paths are created under the test's temporary folder.

SQLite in the suite (30 examples per command, about 50 s of CPU); ``HOTLINE_FUZZ_BACKEND=pg``
runs the same against PostgreSQL (a database per command), ``HOTLINE_FUZZ_EXAMPLES=400`` longer.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hotline_tui.cli.main import app
from tests.cli.fuzz_values import (
    FileArg,
    files,
    floats,
    ints,
    plain_files,
    plain_floats,
    plain_ints,
    plain_texts,
    texts,
)
from tests.conftest import pg_admin_url, pg_execute

EXAMPLES = int(os.environ.get("HOTLINE_FUZZ_EXAMPLES", "30"))
BACKEND = os.environ.get("HOTLINE_FUZZ_BACKEND", "sqlite")

EXCLUDED = {
    ("console",): "opens the Textual console on the terminal",
}
"""Commands not fuzzed, and why."""

FIXED: dict[tuple[str, ...], list[str]] = {
    # Without --once the scheduler runs until it is stopped.
    ("scheduler", "run"): ["--once"],
}
"""Arguments always given to a command, so that it returns."""

LEFT_OUT: dict[tuple[str, ...], set[str]] = {
    # --force seeds (20,000 × --scale) demo orders into a database that has some: the time it
    # takes is the point of the option. Without it demo refuses a database with orders (9).
    ("demo",): {"force"},
}
"""Parameters never given to a command, and why."""

EXIT_ONE = {("status",), ("audit", "verify")}
"""Commands that document exit 1 (something needs the administrator / the chain is broken)."""

USERS = ["adm", "op", "disp", "h1", "sup"]


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if hasattr(command, "list_commands"):
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            yield from _commands(command.get_command(ctx, name), (*path, name))
    else:
        yield path, command


ROOT = typer.main.get_command(app)
COMMANDS = {path: command for path, command in _commands(ROOT) if path not in EXCLUDED}


# --- argv --------------------------------------------------------------------------------------


def _kind(param: Any) -> str:
    annotation = param.type_descriptor.annotation
    if annotation in (Path, Path | None):
        return "path"
    if annotation in (int, int | None):
        return "int"
    if annotation in (float, float | None):
        return "float"
    return "text"


NASTY_VALUES = {"path": files, "int": ints, "float": floats, "text": texts}
PLAIN_VALUES = {"path": plain_files, "int": plain_ints, "float": plain_floats, "text": plain_texts}


@st.composite
def argv(draw: st.DrawFn, path: tuple[str, ...], numbers: list[str]) -> list[Any]:
    """Options and arguments for one run of the command at ``path`` (FileArg for paths).

    Each run aims at one parameter: it gets a nasty value, the others (required ones always,
    optional ones now and then) plain values of the test world, so that the nasty one reaches
    as deep as it can; now and then every value is nasty, or the acting user is.
    """
    params = [
        p
        for p in COMMANDS[path].params
        if p.name != "help" and p.name not in LEFT_OUT.get(path, set())
    ]
    valued = [p for p in params if not getattr(p, "is_flag", False)]
    target = draw(st.sampled_from(valued)) if valued else None
    all_nasty = draw(st.integers(0, 9)) == 0
    options: list[Any] = []
    arguments: list[Any] = []
    for param in params:
        if getattr(param, "is_flag", False):
            if param.required or draw(st.booleans()):
                options.append(draw(st.sampled_from([*param.opts, *param.secondary_opts])))
            continue
        aimed = param is target or all_nasty
        if param.required:
            count = 1 if aimed or draw(st.integers(0, 19)) else 0  # now and then one is missing
        elif param.multiple:
            count = draw(st.integers(1 if aimed else 0, 3))
        else:
            count = 1 if aimed else int(draw(st.integers(0, 3)) == 0)
        kind = _kind(param)
        values = (NASTY_VALUES if aimed else PLAIN_VALUES)[kind]()
        if kind == "text" and not aimed:
            values = st.one_of(st.sampled_from(numbers), values)  # the seeded orders
        for _ in range(count):
            if param.param_type_name == "argument":
                arguments.append(draw(values))
            else:
                options += [draw(st.sampled_from(param.opts)), draw(values)]
    user = draw(st.sampled_from(USERS)) if draw(st.integers(0, 9)) else draw(texts())
    return ["--as", user, *path, *FIXED.get(path, []), *options, "--", *arguments]


# --- running -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    crash: str | None


def run(argv_: list[str], env: dict[str, str]) -> Outcome:
    """Run the real command tree in this process, as ``hotline`` would."""
    runner = CliRunner()
    crash = None
    with runner.isolation(env=env) as (out, err, _):
        try:
            ROOT.main(args=argv_, prog_name="hotline")
            code: Any = 0
        except SystemExit as exc:
            code = exc.code
        except Exception:
            code, crash = 1, traceback.format_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    return Outcome(code if isinstance(code, int) else 1, stdout, stderr, crash)


def allowed_exits(path: tuple[str, ...]) -> set[int]:
    return {0, *range(2, 11), *({1} if path in EXIT_ONE else set())}


# --- the database ------------------------------------------------------------------------------


def _env(folder: Path, key_file: Path) -> dict[str, str]:
    return {
        "HOTLINE_AUDIT_KEY_FILE": str(key_file),
        "HOTLINE_DATA_DIR": str(folder),
        "HOTLINE_LOG_FILE": str(folder / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(folder / "cache"),
        "HOTLINE_CONFIG": str(folder / "absent.toml"),
        "HOTLINE_NEW_PASSWORD": "fuzz-pass-123",
    }


CALENDAR = Path(__file__).parents[1] / "data" / "calendars" / "2099.json"
SEED = [
    ["--as", "op", "ticket", "new", "-d", "营业执照变更被拒", "-t", "complaint", "--phone",
     "13800138000", "--category", "T003", "--area", "D1"],
    ["--as", "op", "ticket", "new", "-d", "物业不作为", "--dispatch", "M01", "--co", "M02"],
    ["--as", "op", "ticket", "new", "-d", "咨询社保", "--answer", "已答复"],
    ["--as", "adm", "calendar", "import", str(CALENDAR)],
    ["--as", "adm", "kb", "new", "--title", "居住证怎么办？", "--body", "到窗口办理。",
     "--dept", "M01"],
]  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory: pytest.TempPathFactory, key_file: Path, request: Any) -> Any:
    """A database with the test world, three orders, a year's calendar and an article."""
    folder = tmp_path_factory.mktemp("fuzzbase")
    if BACKEND == "pg":
        template = request.getfixturevalue("pg_template")
        name = f"hl_fz_{uuid.uuid4().hex[:10]}"
        pg_execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        url = pg_admin_url(name)
    else:
        url = f"sqlite:///{folder / 'base.db'}"
        shutil.copy(request.getfixturevalue("sqlite_template"), folder / "base.db")
    numbers = []
    for args in SEED:
        outcome = run(["--db", url, *args, "--json"], _env(folder, key_file))
        assert outcome.exit_code == 0, (args, outcome)
        if "ticket" in args:
            numbers.append(json.loads(outcome.stdout)["number"])
    yield url, numbers
    if BACKEND == "pg":
        pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def fuzz_url(fuzz_base: tuple[str, list[str]], tmp_path: Path) -> Iterator[str]:
    base = fuzz_base[0]
    if BACKEND != "pg":
        shutil.copy(base.removeprefix("sqlite:///"), tmp_path / "hotline.db")
        yield f"sqlite:///{tmp_path / 'hotline.db'}"
        return
    name = f"hl_fz_{uuid.uuid4().hex[:12]}"
    pg_execute(f"CREATE DATABASE {name} TEMPLATE {base.rsplit('/', 1)[1]}")
    yield pg_admin_url(name)
    pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_no_command_crashes_on_any_input(
    path: tuple[str, ...],
    fuzz_base: tuple[str, list[str]],
    fuzz_url: str,
    key_file: Path,
    tmp_path: Path,
) -> None:
    env = _env(tmp_path, key_file)
    counter = iter(range(10**9))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(args=argv(path, fuzz_base[1]))
    def check(args: list[Any]) -> None:
        folder = tmp_path / f"example{next(counter)}"
        concrete = [
            a.materialise(folder, i) if isinstance(a, FileArg) else a for i, a in enumerate(args)
        ]
        outcome = run(["--db", fuzz_url, *concrete], env)
        shown = [a if len(a) < 60 else a[:30] + f"…({len(a)})" for a in concrete]
        assert outcome.crash is None, f"{shown}\n{outcome.crash[-1500:]}"
        assert outcome.exit_code in allowed_exits(path), (shown, outcome)
        assert "Traceback" not in outcome.stderr, (shown, outcome.stderr)

    check()
