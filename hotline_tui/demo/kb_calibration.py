"""The demo answers its own common questions: labelled questions written out, and the
self-service channel's calibrator fitted on them.

:func:`calibrate_demo` writes the demo's labelled questions (:mod:`hotline_tui.demo.kb_questions`)
as two CSV files in the data directory, in the format ``hotline kb autoanswer train|eval
--csv`` reads: four in five rows to train on, every fifth held back to judge the result on
questions the fit never saw. It then fits the calibrator on the first through the very service
``hotline kb autoanswer train --csv`` calls (threshold chosen by cross-validation for a precision
of 0.95), with the index and its passages' vectors as ``hotline serve`` will see them.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.demo.kb_questions import DemoQuestion, demo_questions
from hotline_tui.services.context import Actor
from hotline_tui.services.kb import autoanswer_train
from hotline_tui.services.kb.search import KnowledgeBase

__all__ = ["EVAL_FILE", "HELD_OUT_EVERY", "TRAIN_FILE", "DemoCalibration", "calibrate_demo"]

TRAIN_FILE = "demo_autoanswer_train.csv"
EVAL_FILE = "demo_autoanswer_eval.csv"
HELD_OUT_EVERY = 5


@dataclass(frozen=True)
class DemoCalibration:
    train_csv: Path
    eval_csv: Path
    report: autoanswer_train.TrainReport


def _write(path: Path, rows: Sequence[DemoQuestion]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["question", "expected_source_id"])
        writer.writerows((row.question, row.expected) for row in rows)
    return path


def calibrate_demo(kb: KnowledgeBase, actor: Actor, data_dir: Path) -> DemoCalibration:
    """Write the demo's labelled questions and fit the calibrator on the training part (the
    index ``kb`` caught up, its vectors filled when search ranks by meaning)."""
    rows = demo_questions()
    held_out = [row for i, row in enumerate(rows, start=1) if i % HELD_OUT_EVERY == 0]
    training = [row for i, row in enumerate(rows, start=1) if i % HELD_OUT_EVERY != 0]
    data_dir.mkdir(parents=True, exist_ok=True)
    train_csv = _write(data_dir / TRAIN_FILE, training)
    eval_csv = _write(data_dir / EVAL_FILE, held_out)
    report = autoanswer_train.train(kb, actor, train_csv)
    return DemoCalibration(train_csv, eval_csv, report)
