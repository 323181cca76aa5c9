"""Fitting the logistic calibrator with scikit-learn (the only module that imports it).

The features are standardised by their mean and spread over the examples (kept in the
calibrator, so that answering needs no library); the regression is L2-regularised and
class-balanced is not used: the probability must stay the share of right answers, which the
threshold's precision is read from. The threshold is chosen on out-of-fold probabilities of a
stratified ``folds``-fold cross-validation, then the model is refitted on every example.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from hotline_tui.domain.autoanswer_calibration import (
    TARGET_PRECISION,
    Calibrator,
    choose_threshold,
    operating_point,
)
from hotline_tui.domain.errors import ValidationError

__all__ = ["MIN_PER_CLASS", "fit", "out_of_fold"]

MIN_PER_CLASS = 5
REGULARISATION = 1.0
SEED = 20261208


def _model() -> object:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=REGULARISATION, max_iter=2000)


def out_of_fold(rows: Sequence[Sequence[float]], labels: Sequence[bool], folds: int) -> list[float]:
    """Each example's probability from a model fitted without its fold (stratified)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    result = np.zeros(len(y), dtype=np.float64)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train_rows, test_rows in splitter.split(x, y):
        model = make_pipeline(StandardScaler(), _model())
        model.fit(x[train_rows], y[train_rows])
        result[test_rows] = model.predict_proba(x[test_rows])[:, 1]
    return [float(p) for p in result]


def fit(
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    names: Sequence[str],
    *,
    folds: int = 5,
    target: float = TARGET_PRECISION,
) -> Calibrator:
    """A calibrator for ``rows`` (feature vectors named ``names``) and ``labels`` (the best
    hit was right), its threshold chosen by cross-validation for precision ``target``."""
    import numpy as np
    from sklearn.preprocessing import StandardScaler

    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if min(positives, negatives) < MIN_PER_CLASS:
        raise ValidationError(
            "kb.training_too_small",
            samples=len(labels),
            positives=positives,
            negatives=negatives,
            needed=MIN_PER_CLASS,
        )
    folds = max(2, min(folds, positives, negatives))
    held_out = out_of_fold(rows, labels, folds)
    threshold = choose_threshold(held_out, labels, target)
    chosen = operating_point(held_out, labels, threshold)
    x = np.asarray(rows, dtype=np.float64)
    scaler = StandardScaler().fit(x)
    model = _model()
    model.fit(scaler.transform(x), np.asarray(labels, dtype=bool))  # type: ignore[attr-defined]
    scale = [float(s) if s > 0 else 1.0 for s in scaler.scale_]
    return Calibrator(
        features=tuple(names),
        mean=tuple(float(m) for m in scaler.mean_),
        scale=tuple(scale),
        weights=tuple(float(w) for w in model.coef_[0]),  # type: ignore[attr-defined]
        intercept=float(model.intercept_[0]),  # type: ignore[attr-defined]
        threshold=threshold,
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        samples=len(labels),
        positives=positives,
        cv={
            "folds": folds,
            "target_precision": target,
            "precision": chosen.precision,
            "coverage": chosen.coverage,
            "answered": chosen.answered,
        },
    )
