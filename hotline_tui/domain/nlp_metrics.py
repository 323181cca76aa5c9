"""How well a classifier of order texts does: pure functions over labels and confidences.

Provides:

- :func:`per_class` / :func:`macro_f1` / :func:`accuracy` - the usual scores; macro-F1 weighs
  every class alike, so a rare department counts as much as a common one.
- :func:`top_k_accuracy` - the share of texts whose true label is among the first ``k`` offered
  (what a picker listing three suggestions first is worth).
- :func:`coverage_at_precision` - how many texts could be filled in automatically while the
  filled-in ones stay right at least ``precision`` of the time, and the confidence threshold
  that does it (the auto-fill threshold is chosen this way, on out-of-fold predictions).

No I/O and no model: lists in, numbers out (tested with hand-computed vectors).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ClassScore",
    "Coverage",
    "accuracy",
    "coverage_at_precision",
    "macro_f1",
    "per_class",
    "top_k_accuracy",
]


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # how many texts truly have this label


@dataclass(frozen=True)
class Coverage:
    """Filling in every text whose confidence is at least ``threshold`` covers ``coverage`` of
    the texts with ``precision`` among them; ``threshold`` is None when no cut-off reaches the
    wanted precision (nothing is filled in)."""

    coverage: float
    precision: float
    threshold: float | None


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def per_class(truth: Sequence[str], predicted: Sequence[str]) -> list[ClassScore]:
    """Precision, recall and F1 of every label that occurs in ``truth`` or ``predicted``,
    sorted by label."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    labels = sorted(set(truth) | set(predicted))
    scores = []
    for label in labels:
        hits = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == label)
        said = sum(1 for p in predicted if p == label)
        support = sum(1 for t in truth if t == label)
        precision = _ratio(hits, said)
        recall = _ratio(hits, support)
        f1 = _ratio(2 * precision * recall, precision + recall)
        scores.append(ClassScore(label, precision, recall, f1, support))
    return scores


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """The unweighted mean of the F1 of the labels in ``truth`` (a label only ever predicted,
    never true, lowers the precision of nothing it could be averaged in; it is left out, as
    scikit-learn does when given the true labels)."""
    present = set(truth)
    scores = [s.f1 for s in per_class(truth, predicted) if s.label in present]
    return sum(scores) / len(scores) if scores else 0.0


def accuracy(truth: Sequence[str], predicted: Sequence[str]) -> float:
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    return _ratio(sum(1 for t, p in zip(truth, predicted, strict=True) if t == p), len(truth))


def top_k_accuracy(truth: Sequence[str], ranked: Sequence[Sequence[str]], k: int = 3) -> float:
    """The share of texts whose true label is among the first ``k`` of its ranking."""
    if len(truth) != len(ranked):
        raise ValueError("truth and ranked differ in length")
    return _ratio(sum(1 for t, r in zip(truth, ranked, strict=True) if t in r[:k]), len(truth))


def coverage_at_precision(
    confidence: Sequence[float], correct: Sequence[bool], precision: float
) -> Coverage:
    """The largest share of texts that can be filled in (those at or above one confidence
    threshold) with at least ``precision`` of them correct.

    Texts of equal confidence go in or out together (a threshold cannot split them). Among the
    thresholds that reach the precision, the lowest wins (the most texts filled in), even if a
    higher one happens to miss it.
    """
    if len(confidence) != len(correct):
        raise ValueError("confidence and correct differ in length")
    order = sorted(range(len(confidence)), key=lambda i: confidence[i], reverse=True)
    best = Coverage(0.0, 0.0, None)
    right = 0
    for rank, index in enumerate(order, start=1):
        right += 1 if correct[index] else 0
        following = order[rank] if rank < len(order) else None
        if following is not None and confidence[following] == confidence[index]:
            continue  # the same confidence: the threshold cannot stop here
        kept_precision = right / rank
        if kept_precision >= precision:
            best = Coverage(rank / len(order), kept_precision, confidence[index])
    return best
