"""Fitting and judging the self-service channel's calibrator (``hotline kb autoanswer``).

The examples are questions with the answer they should get: a labelled CSV (``question,
expected_source_id``; an empty id means the knowledge base does not hold the answer) and the
automatic answers whose asker said whether they helped (``kb_autoanswer.outcome``). Each
question is searched again now (:func:`observe`), so the features are those the current index
gives; an example is positive when the best hit is the expected article. A logged outcome counts
only while the best hit is still the article that was shown.

:func:`train` fits a logistic regression (scikit-learn) on standardised features, chooses the
threshold on out-of-fold probabilities of a stratified cross-validation (so the precision it
promises was measured on questions the fit did not see), refits on everything and stores the
result as the next version (:mod:`hotline_tui.services.kb.autoanswer_store`). :func:`evaluate`
reports precision and coverage at several thresholds of the calibrator in force.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import col, select

from hotline_tui.domain.autoanswer_calibration import (
    REPORT_THRESHOLDS,
    Calibrator,
    Operating,
    operating_point,
)
from hotline_tui.domain.autoanswer_features import FEATURES
from hotline_tui.domain.errors import ConfigError
from hotline_tui.domain.kb import kb_require
from hotline_tui.domain.kb_gate import is_complaint_or_report
from hotline_tui.domain.text import clean_text
from hotline_tui.services.context import Actor
from hotline_tui.services.kb.autoanswer_fit import fit
from hotline_tui.services.kb.autoanswer_observe import Observation, observe
from hotline_tui.services.kb.autoanswer_store import CalibratorStore
from hotline_tui.services.kb.search import KnowledgeBase
from hotline_tui.services.reference.csv_rows import _read

__all__ = [
    "EvalReport",
    "Example",
    "Labelled",
    "TrainReport",
    "evaluate",
    "examples_of",
    "logged_examples",
    "matches",
    "read_labelled",
    "train",
]


@dataclass(frozen=True)
class Labelled:
    question: str
    expected: str  # an article's source id ("qa0001" or "csv:qa0001"); "" = not in the KB


@dataclass(frozen=True)
class Example:
    question: str
    features: tuple[float, ...]
    correct: bool
    gated: bool = False  # a complaint or report: never answered, not a training example


@dataclass(frozen=True)
class TrainReport:
    calibrator: Calibrator
    path: str
    labelled: int
    logged: int


@dataclass(frozen=True)
class EvalReport:
    questions: int
    answerable: int
    gated: int
    calibrator_version: int
    chosen: Operating
    points: tuple[Operating, ...] = field(default_factory=tuple)


def read_labelled(path: Path) -> list[Labelled]:
    """The rows of a labelled CSV (header ``question,expected_source_id``); a bad file raises
    :class:`ImportFailed` naming the line."""
    table, _sha = _read(path, ("question", "expected_source_id"), ())
    rows: list[Labelled] = []
    for record in table.records:
        question = clean_text(record.values["question"], multiline=False)
        if not question:
            table.report.fail(record.line, "required", column="question")
        expected = clean_text(record.values["expected_source_id"], multiline=False)
        rows.append(Labelled(question, expected))
    return rows


def matches(source_key: str, expected: str) -> bool:
    """Whether an article's source key (``csv:qa0001``) is the expected one (given with or
    without its source prefix)."""
    if not expected or not source_key:
        return False
    return source_key == expected or source_key.split(":", 1)[-1] == expected


def _example(seen: Observation, correct: bool) -> Example:
    return Example(seen.question, seen.features, correct)


def examples_of(kb: KnowledgeBase, actor: Actor, rows: Sequence[Labelled]) -> list[Example]:
    """Each labelled question searched now, positive when its best hit is the expected one."""
    out: list[Example] = []
    for row in rows:
        if is_complaint_or_report(row.question):
            out.append(Example(row.question, (), False, gated=True))
            continue
        seen = observe(kb, actor, row.question)
        best = seen.hits[0].source_key if seen.hits else ""
        out.append(_example(seen, matches(best, row.expected)))
    return out


def logged_examples(kb: KnowledgeBase, actor: Actor) -> list[Example]:
    """The automatic answers the askers judged, whose best hit is still the article shown."""
    from db.models import KbAutoAnswer

    with kb.hl.reading() as session:
        rows = session.exec(
            select(KbAutoAnswer.question, KbAutoAnswer.article_id, KbAutoAnswer.outcome)
            .where(col(KbAutoAnswer.outcome).is_not(None))
            .order_by(col(KbAutoAnswer.id))
        ).all()
    out: list[Example] = []
    for question, article_id, outcome in rows:
        seen = observe(kb, actor, question)
        if seen.hits and seen.hits[0].article_id == article_id:
            out.append(_example(seen, outcome == "helped"))
    return out


def train(
    kb: KnowledgeBase, actor: Actor, csv_path: Path | None = None, *, folds: int = 5
) -> TrainReport:
    """Fit a calibrator on the labelled CSV (if given) and the judged answers; store it."""
    kb_require(actor.role, "kb.autoanswer", username=actor.username)
    labelled = examples_of(kb, actor, read_labelled(csv_path)) if csv_path else []
    logged = logged_examples(kb, actor)
    usable = [e for e in [*labelled, *logged] if not e.gated]
    calibrator = fit(
        [e.features for e in usable], [e.correct for e in usable], FEATURES, folds=folds
    )
    stored, path = CalibratorStore(kb.hl.settings.data_dir).save(calibrator)
    return TrainReport(stored, str(path), len(labelled), len(logged))


def evaluate(
    kb: KnowledgeBase,
    actor: Actor,
    csv_path: Path,
    thresholds: Sequence[float] = REPORT_THRESHOLDS,
) -> EvalReport:
    """Precision and coverage of the calibrator in force on a labelled CSV, at each of
    ``thresholds`` and at its own. Complaints and reports count as questions never answered."""
    kb_require(actor.role, "kb.autoanswer", username=actor.username)
    rows = read_labelled(csv_path)
    calibrator = CalibratorStore(kb.hl.settings.data_dir).latest(strict=True)
    if calibrator is None:
        raise ConfigError("kb.no_calibrator")
    examples = examples_of(kb, actor, rows)
    probabilities = [0.0 if e.gated else calibrator.probability(e.features) for e in examples]
    correct = [e.correct for e in examples]
    points = tuple(operating_point(probabilities, correct, t) for t in thresholds)
    return EvalReport(
        questions=len(rows),
        answerable=sum(1 for r in rows if r.expected),
        gated=sum(1 for e in examples if e.gated),
        calibrator_version=calibrator.version,
        chosen=operating_point(probabilities, correct, calibrator.threshold),
        points=points,
    )
