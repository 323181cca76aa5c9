"""Parts of ``scripts/bench_autoanswer.py``: the query-vector cache, the cross-validation of
the two ways to decide, keywords of a question, and recall@5 (importable by other benches)."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hotline_tui.domain.autoanswer_calibration import (
    CONFIDENCE_Z,
    NEVER,
    choose_threshold,
    operating_point,
)
from hotline_tui.domain.autoanswer_features import FEATURES
from hotline_tui.services.kb.autoanswer_fit import SEED, fit
from hotline_tui.services.kb.search import KnowledgeBase

__all__ = ["CachedEmbedder", "cross_validate", "keywords_of", "recall_at"]


class CachedEmbedder:
    """An embedder whose query vectors are kept in a file between runs (by text)."""

    def __init__(self, inner: Any, path: Path) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.path = path
        self._lock = threading.Lock()
        self._vectors: dict[str, npt.NDArray[np.float32]] = {}
        self._dirty = 0
        if path.exists():
            with np.load(path, allow_pickle=False) as data:
                texts = [str(t) for t in data["texts"]]
                self._vectors = dict(zip(texts, data["vectors"], strict=True))

    def query(self, text: str) -> npt.NDArray[np.float32]:
        with self._lock:
            found = self._vectors.get(text)
        if found is None:
            found = self.inner.query(text)
            with self._lock:
                self._vectors[text] = found
                self._dirty += 1
                if self._dirty >= 200:
                    self._save()
        return found

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self.inner.passages(texts)  # type: ignore[no-any-return]

    def _save(self) -> None:
        texts = list(self._vectors)
        np.savez(
            self.path, texts=np.array(texts), vectors=np.stack([self._vectors[t] for t in texts])
        )
        self._dirty = 0

    def save(self) -> None:
        with self._lock:
            if self._dirty:
                self._save()


def _totals() -> dict[str, int]:
    return {"questions": 0, "answered": 0, "right": 0}


def _add(
    totals: dict[str, int], values: Sequence[float], correct: Sequence[bool], t: float
) -> None:
    point = operating_point(values, correct, t)
    totals["questions"] += point.questions
    totals["answered"] += point.answered
    totals["right"] += point.right


def cross_validate(rows: Sequence[dict[str, Any]], folds: int) -> dict[str, dict[str, Any]]:
    """Precision and coverage on held-out folds: thresholds on the raw score and on the
    calibrator, each chosen on the other folds by the same rule (the Wilson bound of the
    precision; for the raw score also by the share alone); the calibrator per question group."""
    from sklearn.model_selection import StratifiedKFold

    correct = [bool(r["correct"]) for r in rows]
    names = [
        "raw score",
        "raw score (no bound)",
        "calibrator",
        "calibrator: titled",
        "calibrator: first",
        "calibrator: absent",
    ]
    totals = {name: _totals() for name in names}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(np.zeros(len(rows)), np.asarray(correct)):
        scores = [rows[i]["score"] for i in train]
        held = [rows[i]["score"] for i in test]
        for name, z in (("raw score", CONFIDENCE_Z), ("raw score (no bound)", 0.0)):
            raw = choose_threshold(scores, [correct[i] for i in train], z=z)
            raw = math.inf if raw == NEVER else raw  # NEVER is a probability, not a score
            _add(totals[name], held, [correct[i] for i in test], raw)
        calibrator = fit(
            [rows[i]["features"] for i in train], [correct[i] for i in train], FEATURES
        )
        probabilities = {i: calibrator.probability(rows[i]["features"]) for i in test}
        _add(
            totals["calibrator"],
            list(probabilities.values()),
            [correct[i] for i in test],
            calibrator.threshold,
        )
        for kind in ("titled", "first", "absent"):
            part = [i for i in test if rows[i]["kind"] == kind]
            _add(
                totals[f"calibrator: {kind}"],
                [probabilities[i] for i in part],
                [correct[i] for i in part],
                calibrator.threshold,
            )
    report: dict[str, dict[str, Any]] = {}
    for name, t in totals.items():
        report[name] = {
            **t,
            "precision": t["right"] / t["answered"] if t["answered"] else 1.0,
            "coverage": t["answered"] / t["questions"] if t["questions"] else 0.0,
        }
    return report


def keywords_of(question: str, count: int = 4) -> str:
    """A question as keywords: jieba's TF-IDF keywords, separated by spaces."""
    import jieba.analyse

    return " ".join(jieba.analyse.extract_tags(question, topK=count))


def recall_at(
    kb: KnowledgeBase,
    pairs: Sequence[dict[str, str]],
    kinds: Sequence[str],
    keywords: Callable[[str], str],
    depth: int = 5,
) -> dict[str, float]:
    """recall@``depth`` of the ``first`` group's questions and keywords: as the self-service
    channel ranks (keywords by meaning too), as the console does, and by BM25F alone (the
    reference)."""
    bodies = {p["id"]: p["answer"].strip() for p in pairs}
    wanted = [p for p, kind in zip(pairs, kinds, strict=True) if kind == "first"]

    def found(query: str, own: str, how: str) -> bool:
        results = kb.reader.search(
            query,
            limit=depth,
            highlight_hits=False,
            rerank_hits=how != "plain",
            meaning=how != "plain",
            always_meaning=how == "always",
        )
        return any(bodies.get(h.source_key.split(":", 1)[-1], "") == own for h in results.hits)

    report: dict[str, float] = {}
    variants = (("self-service", "always"), ("console", "console"), ("BM25F alone", "plain"))
    for label, how in variants:
        for form, text_of in (("questions", lambda q: q), ("keywords", keywords)):
            hits = sum(found(text_of(p["question"]), p["answer"].strip(), how) for p in wanted)
            report[f"{label}: {form}"] = hits / max(1, len(wanted))
    return report
