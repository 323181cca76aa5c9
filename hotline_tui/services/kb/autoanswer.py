"""The self-service channel's answers: answer from the knowledge base when it is sure enough.

:func:`decide` takes a citizen's question and returns an :class:`AnswerDecision`: the article
to show (with its version, title, date and text) when the calibrated probability that the best
hit answers the question reaches the calibrator's threshold (chosen for a precision of 0.95,
:mod:`hotline_tui.domain.autoanswer_calibration`), else up to three "did you mean" articles.

- A complaint or a report (:func:`hotline_tui.domain.kb_gate.is_complaint_or_report`) is never
  answered: the page sends it to intake.
- Without a calibrator (none trained yet, ``hotline kb autoanswer train``) nothing is answered:
  the page only suggests.
- Every automatic answer is logged (``kb_autoanswer``: probability, article and version,
  calibrator version); a question left unanswered is a knowledge gap of kind ``auto``
  (``hotline kb gaps``). What the asker says of an answer (:func:`record_outcome`, "did this
  help?") goes on its log row, and a "yes" is the article's helpful feedback too: these
  outcomes are the calibrator's training data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from hotline_tui.domain.errors import NotFound
from hotline_tui.domain.kb import FeedbackKind, display_title, kb_require
from hotline_tui.domain.kb_gate import is_complaint_or_report
from hotline_tui.domain.text import clean_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.autoanswer_observe import Observation, observe
from hotline_tui.services.kb.autoanswer_store import CalibratorStore
from hotline_tui.services.kb.insights import QUERY_MAX, Gap
from hotline_tui.services.kb.search import KnowledgeBase
from hotline_tui.services.kb.usage import feedback_op
from hotline_tui.services.kb.views import load_article
from hotline_tui.services.uow import UnitOfWork

__all__ = [
    "SUGGESTIONS",
    "AnswerDecision",
    "AnsweredArticle",
    "AutoAnswerer",
    "Reason",
    "Suggestion",
    "decide",
    "record_outcome",
]

SUGGESTIONS = 3


class Reason:
    """Why a decision came out as it did (codes; the words are the front end's)."""

    ANSWERED = "answered"
    COMPLAINT = "complaint_or_report"
    EMPTY = "empty"
    NO_MATCH = "no_match"
    NO_CALIBRATOR = "no_calibrator"
    LOW_CONFIDENCE = "low_confidence"


@dataclass(frozen=True)
class AnsweredArticle:
    id: int
    version: int
    title: str
    date: date
    body: str  # the article's text as stored (Markdown): data, never markup


@dataclass(frozen=True)
class Suggestion:
    id: int
    version: int
    title: str


@dataclass(frozen=True)
class AnswerDecision:
    """What the self-service page shows for a question."""

    question: str
    article: AnsweredArticle | None
    probability: float | None  # None: no calibrator, or the gate decided
    suggestions: tuple[Suggestion, ...]
    reason: str
    log_id: int | None = None  # the answer's log row, for "did this help?"
    threshold: float | None = None


class AutoAnswerer:
    """Decides for one host's knowledge base (thread-safe: the search and the calibrator
    store are)."""

    def __init__(self, hl: Hotline, kb: KnowledgeBase) -> None:
        self.hl = hl
        self.kb = kb
        self.store = CalibratorStore(hl.settings.data_dir)

    def decide(self, actor: Actor, question: str) -> AnswerDecision:
        kb_require(actor.role, "kb.read", username=actor.username)
        text = clean_text(question, multiline=False)[:QUERY_MAX]
        if not text:
            return AnswerDecision(question, None, None, (), Reason.EMPTY)
        if is_complaint_or_report(text):
            return AnswerDecision(text, None, None, (), Reason.COMPLAINT)
        seen = observe(self.kb, actor, text)
        suggestions = self._suggestions(seen, 0)
        calibrator = self.store.latest()
        if not seen.hits:
            self._gap(actor, text, 0)
            return AnswerDecision(text, None, None, (), Reason.NO_MATCH)
        if calibrator is None:
            self._gap(actor, text, len(seen.hits))
            return AnswerDecision(text, None, None, suggestions, Reason.NO_CALIBRATOR)
        probability = calibrator.probability(seen.features)
        if probability < calibrator.threshold:
            self._gap(actor, text, len(seen.hits))
            return AnswerDecision(
                text,
                None,
                probability,
                suggestions,
                Reason.LOW_CONFIDENCE,
                threshold=calibrator.threshold,
            )
        best = seen.articles[seen.hits[0].article_id]
        answer = AnsweredArticle(
            id=best.id or 0,
            version=best.version,
            title=display_title(best.title, best.body),
            date=best.updated_at.astimezone(ZoneInfo(self.hl.settings.timezone)).date(),
            body=best.body,
        )
        log_id = self._log(actor, text, answer, probability, calibrator.version)
        return AnswerDecision(
            text,
            answer,
            probability,
            self._suggestions(seen, 1),
            Reason.ANSWERED,
            log_id,
            calibrator.threshold,
        )

    @staticmethod
    def _suggestions(seen: Observation, skip: int) -> tuple[Suggestion, ...]:
        """Up to :data:`SUGGESTIONS` hits after the first ``skip`` (the answer shown)."""
        out = []
        for hit in seen.hits[skip : skip + SUGGESTIONS]:
            article = seen.articles[hit.article_id]
            title = display_title(article.title, article.body)
            out.append(Suggestion(hit.article_id, article.version, title))
        return tuple(out)

    def _gap(self, actor: Actor, text: str, hits: int) -> None:
        gap = Gap.of(text, hits=hits, kind="auto")
        if gap is not None:
            uow_module.write(self.hl, actor, gap.add)

    def _log(
        self, actor: Actor, text: str, answer: AnsweredArticle, probability: float, version: int
    ) -> int:
        from db.models import KbAutoAnswer

        def work(uow: UnitOfWork) -> int:
            row = KbAutoAnswer(
                at=uow.now,
                user_id=actor.user_id,
                question=text,
                article_id=answer.id,
                article_version=answer.version,
                probability=probability,
                calibrator_version=version,
            )
            uow.session.add(row)
            uow.session.flush()
            return row.id or 0

        return uow_module.write(self.hl, actor, work)


_ANSWERERS: dict[int, AutoAnswerer] = {}


def decide(
    hl: Hotline, question: str, *, actor: Actor, knowledge: KnowledgeBase | None = None
) -> AnswerDecision:
    """Decide for ``question`` asked through ``actor`` (the channel's account). ``knowledge``:
    the process's knowledge base, started (:meth:`KnowledgeBase.start`) so that it follows the
    change feed; without one, a knowledge base opened once for ``hl`` (as the CLI does)."""
    answerer = _ANSWERERS.get(id(hl))
    if answerer is None or answerer.hl is not hl or (knowledge and answerer.kb is not knowledge):
        answerer = _ANSWERERS[id(hl)] = AutoAnswerer(
            hl, knowledge or KnowledgeBase(hl, refresh_seconds=0)
        )
    return answerer.decide(actor, question)


def record_outcome(hl: Hotline, actor: Actor, log_id: int, helped: bool) -> None:
    """ "Did this help?" for an automatic answer: the outcome on its log row (the first word
    counts; a second is ignored); a "yes" is the article's helpful feedback too, a "no" a
    knowledge gap of kind ``auto`` (the question was not answered after all)."""
    from db.models import KbAutoAnswer

    kb_require(actor.role, "kb.feedback", username=actor.username)
    with hl.reading() as session:
        logged = session.get(KbAutoAnswer, log_id)
        question = logged.question if logged is not None else ""
    gap = None if helped else Gap.of(question, hits=1, kind="auto")  # jieba before the lock

    def work(uow: UnitOfWork) -> None:
        row = uow.session.get(KbAutoAnswer, log_id, with_for_update=True)
        if row is None:
            raise NotFound("not_found.autoanswer", answer=log_id)
        if row.outcome is not None:
            return
        row.outcome = "helped" if helped else "not_helped"
        row.outcome_at = uow.now
        if helped:
            article = load_article(uow.session, actor, row.article_id, lock=True)
            feedback_op(uow, article, FeedbackKind.HELPFUL.value, "自助问答：有帮助")
        elif gap is not None:
            gap.add(uow)

    uow_module.write(hl, actor, work)
