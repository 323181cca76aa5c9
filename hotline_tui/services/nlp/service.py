"""The ``nlp`` actions: train a task's model (from a file or from the orders), evaluate it.

Training needs ``nlp.train`` (supervisors and administrators), writes the model file under the
data directory (:mod:`.files`) and records one audit event with the training's figures;
evaluating needs ``nlp.eval`` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.permissions import require
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.nlp import files
from hotline_tui.services.nlp.datasets import Examples, read_csv
from hotline_tui.services.nlp.training import Evaluation, evaluate, train
from hotline_tui.services.uow import UnitOfWork

__all__ = ["TrainResult", "evaluate_file", "train_from_file", "train_from_orders"]


@dataclass(frozen=True)
class TrainResult:
    task: str
    path: str
    meta: dict[str, Any]


def _check_task(task: str) -> None:
    if task not in files.TASKS:
        raise ValidationError("nlp.task", field="task", task=task, allowed=list(files.TASKS))


def _train(
    hl: Hotline,
    actor: Actor,
    task: str,
    examples: Examples,
    progress: Callable[[str], None],
) -> TrainResult:
    trained = train(examples, task, progress=progress)
    path = files.model_path(hl.settings.data_dir, task)
    files.save(path, task, trained.model, trained.meta)
    meta = trained.meta

    def work(uow: UnitOfWork) -> None:
        uow.record(
            "nlp.train",
            entity="nlp_model",
            data={
                "task": task,
                "file": str(path),
                "source": meta["source"],
                "examples": meta["examples"],
                "cv_macro_f1": meta["cv_macro_f1"],
                "threshold": meta["threshold"],
            },
        )

    uow_module.write(hl, actor, work)
    return TrainResult(task, str(path), meta)


def train_from_file(
    hl: Hotline,
    actor: Actor,
    task: str,
    csv_path: Path,
    progress: Callable[[str], None] = lambda _step: None,
) -> TrainResult:
    """Train ``task`` on a ``text,label`` file."""
    require(actor.role, "nlp.train", username=actor.username)
    _check_task(task)
    return _train(hl, actor, task, read_csv(csv_path), progress)


def train_from_orders(
    hl: Hotline,
    actor: Actor,
    task: str,
    since: datetime | None,
    progress: Callable[[str], None] = lambda _step: None,
) -> TrainResult:
    """Train ``task`` on the orders registered since ``since``: the operators' final choices
    (:mod:`.history`)."""
    from hotline_tui.services.nlp.history import examples_from_orders

    require(actor.role, "nlp.train", username=actor.username)
    _check_task(task)
    return _train(hl, actor, task, examples_from_orders(hl, task, since), progress)


def evaluate_file(hl: Hotline, actor: Actor, task: str, csv_path: Path) -> Evaluation:
    """The stored ``task`` model's scores on a ``text,label`` file."""
    require(actor.role, "nlp.eval", username=actor.username)
    _check_task(task)
    examples = read_csv(csv_path)
    header, model = files.load(files.model_path(hl.settings.data_dir, task), task)
    return evaluate(model, float(header.meta.get("threshold", 1.01)), examples)
