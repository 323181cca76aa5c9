"""Small modules with one job: no module over 400 lines and no function over 80, except tables.

A long module or function is a sign that two jobs share it; split it by job. The exceptions
below are data, not logic (a migration's schema, the demo's category table), and say why.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hotline_tui", "db", "kb_index", "scripts")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
# Tables: what is long here is rows of data, each read on its own.
TABLE_MODULES = {
    "hotline_tui/demo/categories.py": "the demo city's category tree, one row per category",
}
TABLE_FUNCTIONS = {
    "db/migrations/versions/0001_initial_schema.py:upgrade": "the first schema, table by table",
    "db/migrations/versions/0004_knowledge_base.py:upgrade": "the knowledge tables, one by one",
}


def _sources() -> list[Path]:
    found: list[Path] = []
    for package in PACKAGES:
        found += sorted((ROOT / package).rglob("*.py"))
    return found


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", _sources(), ids=_name)
def test_module_and_its_functions_are_small(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    name = _name(path)
    lines = source.count("\n")
    if name not in TABLE_MODULES:
        assert lines <= MAX_MODULE_LINES, f"{name}: {lines} lines (split it by job)"
    long = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES and f"{name}:{node.name}" not in TABLE_FUNCTIONS:
                long.append(f"{node.name} ({length} lines, line {node.lineno})")
    assert not long, f"{name}: functions over {MAX_FUNCTION_LINES} lines: {', '.join(long)}"


def test_the_exceptions_still_exist() -> None:
    """An exception for a file that is gone would hide the next one of that name."""
    for entry in (*TABLE_MODULES, *(key.split(":")[0] for key in TABLE_FUNCTIONS)):
        assert (ROOT / entry).exists(), entry
