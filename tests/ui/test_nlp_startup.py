"""The console starts as fast as before the intake suggestions: nothing of scikit-learn (nor of
the models' services) is imported before its first paint, the intake form included; the models
load later, in their own thread (tests/ui/test_intake_suggestions.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_console_and_its_intake_import_nothing_of_the_models():
    code = (
        "import sys, hotline_tui.launch, hotline_tui.ui.entry, hotline_tui.ui.app,"
        " hotline_tui.ui.backend, hotline_tui.ui.options, hotline_tui.ui.screens.intake,"
        " hotline_tui.ui.nlp_gateway\n"
        "heavy = ['sklearn', 'scipy', 'joblib', 'hotline_tui.services.nlp',"
        " 'hotline_tui.services.suggestion_log', 'db.models.nlp_log']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""
