"""From features to a calibrated probability, and the figures that choose and judge a threshold.

The calibrator is a logistic regression over standardised features
(:mod:`hotline_tui.domain.autoanswer_features`): ``p = 1 / (1 + exp(-(b + Σ wᵢ (xᵢ - μᵢ) / σᵢ)))``
is the probability that the best hit answers the question. It is fitted by the services
(scikit-learn) and kept as plain numbers, so answering needs no library and no unpickling.

The threshold is the lowest probability at which the answers given, on questions held out of the
fit (cross-validation), were right at least :data:`TARGET_PRECISION` of the time — judged by the
lower bound of a one-sided 95% Wilson interval, not the share alone: a threshold that just
reaches 0.95 on the training questions would give less on new ones about half of the time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "FORMAT",
    "REPORT_THRESHOLDS",
    "TARGET_PRECISION",
    "Calibrator",
    "Operating",
    "choose_threshold",
    "operating_point",
    "wilson_lower",
]

FORMAT = 1
TARGET_PRECISION = 0.95
MIN_ANSWERED = 10
"""A threshold is chosen only where at least this many answers back its precision."""
CONFIDENCE_Z = 1.645
"""The one-sided 95% normal quantile of the Wilson bound."""
REPORT_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
NEVER = 1.01
"""The threshold of a calibrator whose training found no safe one: it never answers."""


@dataclass(frozen=True)
class Calibrator:
    """A fitted logistic calibrator and the threshold chosen for it."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float
    version: int = 0
    trained_at: str = ""
    samples: int = 0
    positives: int = 0
    cv: Mapping[str, Any] = field(default_factory=dict)

    def probability(self, values: Sequence[float]) -> float:
        if len(values) != len(self.features):
            raise ValueError("feature count differs from the calibrator's")
        z = self.intercept
        for x, mu, sigma, w in zip(values, self.mean, self.scale, self.weights, strict=True):
            z += w * (x - mu) / (sigma or 1.0)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = FORMAT
        data["cv"] = dict(self.cv)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibrator:
        """A calibrator from its stored form (ValueError when it is not one)."""
        if data.get("format") != FORMAT:
            raise ValueError("unknown calibrator format")
        names = tuple(str(n) for n in data["features"])
        numbers = [tuple(float(v) for v in data[key]) for key in ("mean", "scale", "weights")]
        if any(len(values) != len(names) for values in numbers):
            raise ValueError("calibrator vectors differ in length")
        return cls(
            features=names,
            mean=numbers[0],
            scale=numbers[1],
            weights=numbers[2],
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            version=int(data.get("version", 0)),
            trained_at=str(data.get("trained_at", "")),
            samples=int(data.get("samples", 0)),
            positives=int(data.get("positives", 0)),
            cv=dict(data.get("cv", {})),
        )


@dataclass(frozen=True)
class Operating:
    """What answering at ``threshold`` does on a set of questions."""

    threshold: float
    questions: int
    answered: int
    right: int

    @property
    def precision(self) -> float:
        return self.right / self.answered if self.answered else 1.0

    @property
    def coverage(self) -> float:
        return self.answered / self.questions if self.questions else 0.0


def operating_point(
    probabilities: Sequence[float], correct: Sequence[bool], threshold: float
) -> Operating:
    """Answer every question whose probability reaches ``threshold``: how many, how many right."""
    answered = right = 0
    for p, ok in zip(probabilities, correct, strict=True):
        if p >= threshold:
            answered += 1
            right += int(ok)
    return Operating(threshold, len(probabilities), answered, right)


def wilson_lower(right: int, answered: int, z: float = CONFIDENCE_Z) -> float:
    """The lower end of the Wilson score interval of a share of ``right`` in ``answered``."""
    if answered <= 0:
        return 0.0
    p = right / answered
    spread = z * math.sqrt(p * (1 - p) / answered + z * z / (4 * answered * answered))
    return (p + z * z / (2 * answered) - spread) / (1 + z * z / answered)


def choose_threshold(
    probabilities: Sequence[float],
    correct: Sequence[bool],
    target: float = TARGET_PRECISION,
    min_answered: int = MIN_ANSWERED,
    z: float = CONFIDENCE_Z,
) -> float:
    """The lowest threshold whose answers are right at least ``target`` of the time (the
    Wilson lower bound at ``z``; 0: the share itself), backed by ``min_answered`` answers
    (:data:`NEVER` when there is none). Equal probabilities are answered together, so a
    threshold never splits them."""
    pairs = sorted(zip(probabilities, correct, strict=True), key=lambda item: -item[0])
    best = NEVER
    answered = right = 0
    index = 0
    while index < len(pairs):
        value = pairs[index][0]
        while index < len(pairs) and pairs[index][0] == value:
            answered += 1
            right += int(pairs[index][1])
            index += 1
        if answered >= min_answered and wilson_lower(right, answered, z) >= target:
            best = value
    return best
