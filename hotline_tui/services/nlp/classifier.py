"""One task's classifier: texts in, labels ranked with calibrated probabilities out.

A linear SVM (one-vs-rest) over the features of :mod:`.features`, its scores turned into
probabilities by Platt scaling fitted on held-out folds (scikit-learn's
``CalibratedClassifierCV``), so that "0.96" means right about 96 times in 100 and one threshold
can decide what is filled in without asking.

Recipes (:data:`RECIPES`), measured side by side by ``scripts/bench_nlp.py``; each task trains
the one that did best in 5-fold cross-validation on the shared training files
(:data:`TASK_RECIPES`):

- ``baseline``: character 1-3-grams, ``C=1``, calibration averaged over three fold models;
- ``combined``: characters, jieba's words and word pairs, and the opening's characters counted
  apart (:data:`~.features.OPENING_CHARS`); classes weighted by their rarity (a rare department
  is not swamped by the common ones); one SVM fitted on all the data with the calibration learnt
  from five folds' out-of-fold scores. Categories and departments: +2 points of macro-F1 over
  the baseline. Request types (建言 / 投诉求助 / 咨询: how a message is put, not what about) lost
  a point with words or the opening, so they keep the baseline's features.

Labels that are paths (``城乡建设/住房/物业管理``) are learnt as a hierarchy
(:class:`HierarchicalClassifier`): the first level over every text, then within each first
level its finer labels; a path's probability is the product of the two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hotline_tui.services.nlp.features import make_features, prepare

__all__ = [
    "MIN_PER_CLASS",
    "RECIPES",
    "TASK_RECIPES",
    "FlatClassifier",
    "HierarchicalClassifier",
    "Ranked",
    "Recipe",
    "build",
    "first_level",
    "is_tree",
    "recipe_for",
]

Ranked = list[tuple[str, float]]
"""Labels best first, each with its probability."""

MIN_PER_CLASS = 5
"""Fewer examples than this cannot be both learnt and calibrated on held-out folds."""
PATH_SEPARATOR = "/"


@dataclass(frozen=True)
class Recipe:
    name: str
    words: bool  # jieba's words beside the characters
    opening: bool  # the opening's characters counted apart (features.OPENING_CHARS)
    c: float  # the SVM's regularisation
    balanced: bool  # classes weighted by their rarity
    full_fit: bool  # one SVM on all the data (else the mean of the calibration folds' SVMs)
    folds: int  # calibration folds


RECIPES: dict[str, Recipe] = {
    "baseline": Recipe(
        "baseline", words=False, opening=False, c=1.0, balanced=False, full_fit=False, folds=3
    ),
    "combined": Recipe(
        "combined", words=True, opening=True, c=1.0, balanced=True, full_fit=True, folds=5
    ),
}


TASK_RECIPES: dict[str, str] = {
    "category": "combined",
    "department": "combined",
    "request_type": "baseline",
}


def recipe_for(task: str) -> Recipe:
    return RECIPES[TASK_RECIPES.get(task, "combined")]


def _estimator(recipe: Recipe, labels: Sequence[str]) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    smallest = min(Counter(labels).values())
    svm = LinearSVC(C=recipe.c, class_weight="balanced" if recipe.balanced else None)
    folds = max(2, min(recipe.folds, smallest))
    return CalibratedClassifierCV(svm, cv=folds, ensemble=not recipe.full_fit)


def _rank(classes: Sequence[str], row: npt.NDArray[np.float64], k: int) -> Ranked:
    best = np.argsort(-row, kind="stable")[:k]
    return [(str(classes[i]), float(row[i])) for i in best]


class FlatClassifier:
    """One level of labels (request types, departments, first-level categories)."""

    def __init__(self, recipe: Recipe) -> None:
        self.recipe = recipe
        self.features: Any = None
        self.model: Any = None
        self.classes: tuple[str, ...] = ()

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> FlatClassifier:
        self.features = make_features(words_too=self.recipe.words, opening=self.recipe.opening)
        matrix = self.features.fit_transform([prepare(t) for t in texts])
        self.model = _estimator(self.recipe, labels).fit(matrix, list(labels))
        self.classes = tuple(str(c) for c in self.model.classes_)
        return self

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        matrix = self.features.transform([prepare(t) for t in texts])
        return np.asarray(self.model.predict_proba(matrix), dtype=np.float64)

    def rank(self, texts: Sequence[str], k: int = 3) -> list[Ranked]:
        return [_rank(self.classes, row, k) for row in self.probabilities(texts)]

    def rank_finer(self, texts: Sequence[str], k: int = 3) -> list[Ranked]:
        return [[] for _ in texts]


class HierarchicalClassifier:
    """Path labels: the first level, then the finer label within it (same features)."""

    def __init__(self, recipe: Recipe) -> None:
        self.recipe = recipe
        self.top = FlatClassifier(recipe)
        self.within: dict[str, Any] = {}  # first level → fitted model, or its one finer label
        self.finer_classes: dict[str, tuple[str, ...]] = {}

    @property
    def classes(self) -> tuple[str, ...]:
        return self.top.classes

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> HierarchicalClassifier:
        firsts = [label.split(PATH_SEPARATOR)[0] for label in labels]
        self.top.fit(texts, firsts)
        matrix = self.top.features.transform([prepare(t) for t in texts])
        for first in self.top.classes:
            rows = [i for i, f in enumerate(firsts) if f == first]
            counts = Counter(labels[i] for i in rows)
            kept = [i for i in rows if counts[labels[i]] >= MIN_PER_CLASS]
            if len({labels[i] for i in kept}) < 2:
                self.within[first] = counts.most_common(1)[0][0]
                self.finer_classes[first] = (self.within[first],)
                continue
            finer = [labels[i] for i in kept]
            model = _estimator(self.recipe, finer).fit(matrix[kept], finer)
            self.within[first] = model
            self.finer_classes[first] = tuple(str(c) for c in model.classes_)
        return self

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return self.top.probabilities(texts)

    def rank(self, texts: Sequence[str], k: int = 3) -> list[Ranked]:
        return self.top.rank(texts, k)

    def rank_finer(self, texts: Sequence[str], k: int = 3) -> list[Ranked]:
        """Full paths best first: P(first level) × P(path | first level), over the first
        levels among the top ``k``."""
        matrix = self.top.features.transform([prepare(t) for t in texts])
        top_rows = np.asarray(self.top.model.predict_proba(matrix), dtype=np.float64)
        tops = [_rank(self.top.classes, row, k) for row in top_rows]
        result: list[Ranked] = []
        for row, ranked in enumerate(tops):
            paths: Ranked = []
            for first, p_first in ranked:
                model = self.within.get(first)
                if isinstance(model, str) or model is None:
                    paths.append((model or first, p_first))
                    continue
                inner = np.asarray(model.predict_proba(matrix[row]), dtype=np.float64)[0]
                paths += [(c, p_first * p) for c, p in _rank(self.finer_classes[first], inner, k)]
            paths.sort(key=lambda item: item[1], reverse=True)
            result.append(paths[:k])
        return result


def is_tree(task: str, labels: Sequence[str]) -> bool:
    """Whether ``task``'s labels are learnt as a hierarchy: category paths only (a request
    type such as ``投诉/求助`` is one label, whatever its characters)."""
    return task == "category" and any(PATH_SEPARATOR in label for label in labels)


def first_level(label: str, tree: bool = True) -> str:
    return label.split(PATH_SEPARATOR)[0] if tree else label


def build(recipe: Recipe, tree: bool) -> FlatClassifier | HierarchicalClassifier:
    """A hierarchy for category paths (:func:`is_tree`), else one level."""
    return HierarchicalClassifier(recipe) if tree else FlatClassifier(recipe)
