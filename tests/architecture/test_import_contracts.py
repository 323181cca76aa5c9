"""The headless core never imports Textual (and import-linter agrees)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def core_modules() -> list[str]:
    names = []
    for package in ("db", "kb_index", "hotline_tui"):
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            if info.name.startswith(("hotline_tui.ui", "db.migrations")):
                continue
            names.append(info.name)
        names.append(package)
    return sorted(names)


def test_core_modules_exist_to_check():
    modules = core_modules()
    assert "hotline_tui.services.uow" in modules and "db.engine" in modules
    assert not any(name.startswith("hotline_tui.ui") for name in modules)


def test_no_core_module_imports_textual():
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Textual imported by the core: {result.stdout}"


def test_import_linter_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower() or "0 broken" in result.stdout.lower()
