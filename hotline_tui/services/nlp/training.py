"""Training with an honest threshold, and evaluation on any labelled file.

:func:`train` learns one task's classifier from labelled examples. Before the final fit it runs
a stratified k-fold cross-validation over the same examples: every text is predicted by a model
that never saw it, and from those out-of-fold predictions come the figures stored with the
model (macro-F1, top-3 accuracy) and the **auto-fill threshold**: the lowest confidence at
which the filled-in suggestions are still right 95 times in 100
(:func:`hotline_tui.domain.nlp_metrics.coverage_at_precision`). Then the model is fitted on
every example.

:func:`evaluate` scores a stored model on a file it was not trained on (for paths, the first
level is scored, as the auto-fill uses it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hotline_tui.domain import nlp_metrics as metrics
from hotline_tui.services.nlp.classifier import (
    MIN_PER_CLASS,
    HierarchicalClassifier,
    Ranked,
    Recipe,
    build,
    first_level,
    is_tree,
    recipe_for,
)
from hotline_tui.services.nlp.datasets import Examples, check_trainable

__all__ = [
    "AUTO_FILL_PRECISION",
    "Evaluation",
    "OutOfFold",
    "Trained",
    "cross_validate",
    "evaluate",
    "train",
]

AUTO_FILL_PRECISION = 0.95
REPORTED_PRECISIONS = (0.95, 0.98)
NEVER = 1.01
"""The threshold stored when no confidence reaches the precision: nothing is filled in."""


@dataclass(frozen=True)
class OutOfFold:
    truth: tuple[str, ...]
    ranked: tuple[Ranked, ...]  # each text's top 3, from a model that did not see it

    @property
    def predicted(self) -> list[str]:
        return [r[0][0] for r in self.ranked]

    @property
    def confidence(self) -> list[float]:
        return [r[0][1] for r in self.ranked]

    def correct(self) -> list[bool]:
        return [t == p for t, p in zip(self.truth, self.predicted, strict=True)]


def cross_validate(
    examples: Examples, recipe: Recipe, folds: int = 5, seed: int = 0, *, tree: bool = False
) -> OutOfFold:
    """Stratified ``folds``-fold out-of-fold top-3 rankings (``tree``: of the first level of
    category paths)."""
    from sklearn.model_selection import StratifiedKFold

    texts, labels = list(examples.texts), list(examples.labels)
    firsts = [first_level(y, tree) for y in labels]
    smallest = min(Counter(firsts).values())
    splitter = StratifiedKFold(
        n_splits=max(2, min(folds, smallest)), shuffle=True, random_state=seed
    )
    ranked: list[Ranked] = [[] for _ in texts]
    for train_rows, test_rows in splitter.split(texts, firsts):
        train_labels = [labels[i] for i in train_rows]
        model = build(recipe, tree).fit([texts[i] for i in train_rows], train_labels)
        for i, r in zip(test_rows, model.rank([texts[i] for i in test_rows], 3), strict=True):
            ranked[i] = r
    return OutOfFold(tuple(firsts), tuple(ranked))


@dataclass
class Trained:
    model: Any
    meta: dict[str, Any] = field(default_factory=dict)


def _scores(oof: OutOfFold) -> dict[str, Any]:
    cover = metrics.coverage_at_precision(oof.confidence, oof.correct(), AUTO_FILL_PRECISION)
    return {
        "cv_macro_f1": round(metrics.macro_f1(oof.truth, oof.predicted), 4),
        "cv_accuracy": round(metrics.accuracy(oof.truth, oof.predicted), 4),
        "cv_top3_accuracy": round(
            metrics.top_k_accuracy(oof.truth, [[y for y, _ in r] for r in oof.ranked], 3), 4
        ),
        "cv_coverage_at_threshold": round(cover.coverage, 4),
        "threshold": cover.threshold if cover.threshold is not None else NEVER,
    }


def train(
    examples: Examples,
    task: str,
    *,
    recipe: Recipe | None = None,
    folds: int = 5,
    source: str = "",
    progress: Callable[[str], None] = lambda _step: None,
) -> Trained:
    """The model and its metadata (see the module docstring)."""
    recipe = recipe or recipe_for(task)
    tree = is_tree(task, examples.labels)
    usable, left_out = check_trainable(examples, MIN_PER_CLASS, lambda y: first_level(y, tree))
    progress("cv")
    oof = cross_validate(usable, recipe, folds, tree=tree)
    progress("fit")
    model = build(recipe, tree).fit(list(usable.texts), list(usable.labels))
    meta: dict[str, Any] = {
        "task": task,
        "recipe": recipe.name,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source or examples.source,
        "examples": len(usable.texts),
        "skipped_rows": examples.skipped,
        "left_out_labels": left_out,
        "classes": list(model.classes),
        "auto_fill_precision": AUTO_FILL_PRECISION,
        "cv_folds": folds,
        **_scores(oof),
    }
    return Trained(model, meta)


@dataclass(frozen=True)
class Evaluation:
    examples: int
    macro_f1: float
    accuracy: float
    top3_accuracy: float
    per_class: list[metrics.ClassScore]
    coverage: dict[str, metrics.Coverage]  # by wanted precision ("0.95", "0.98")
    threshold: float  # the model's auto-fill threshold
    coverage_at_threshold: float
    precision_at_threshold: float
    unknown_labels: list[str]  # labels of the file the model never learnt


def evaluate(model: Any, threshold: float, examples: Examples) -> Evaluation:
    """The stored model's scores on ``examples``."""
    tree = isinstance(model, HierarchicalClassifier)
    truth = [first_level(y, tree) for y in examples.labels]
    ranked = model.rank(list(examples.texts), 3)
    predicted = [r[0][0] for r in ranked]
    confidence = [r[0][1] for r in ranked]
    correct = [t == p for t, p in zip(truth, predicted, strict=True)]
    kept = [c for c, p in zip(correct, confidence, strict=True) if p >= threshold]
    return Evaluation(
        examples=len(truth),
        macro_f1=metrics.macro_f1(truth, predicted),
        accuracy=metrics.accuracy(truth, predicted),
        top3_accuracy=metrics.top_k_accuracy(truth, [[y for y, _ in r] for r in ranked], 3),
        per_class=metrics.per_class(truth, predicted),
        coverage={
            f"{p:.2f}": metrics.coverage_at_precision(confidence, correct, p)
            for p in REPORTED_PRECISIONS
        },
        threshold=threshold,
        coverage_at_threshold=len(kept) / len(truth) if truth else 0.0,
        precision_at_threshold=sum(kept) / len(kept) if kept else 0.0,
        unknown_labels=sorted(set(truth) - set(model.classes)),
    )


def labels_of(ranked: Sequence[Ranked]) -> list[list[str]]:
    return [[y for y, _ in r] for r in ranked]
