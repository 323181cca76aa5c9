"""Using the knowledge base on calls: answer from an article, operators' feedback, and the
expiry flags for owners (the scheduler's daily job calls :func:`flag_expired`). Knowledge
gaps, figures and synonym lists are in :mod:`hotline_tui.services.kb.insights`.

:func:`answer_from_article` is the console's "answer directly from this article" key: in one
transaction the order is registered, closed as answered directly (直接答复) with the article's
text, linked to the article, and the article's usage count goes up.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import col, select

from db.models import KbArticle, KbFeedback, Ticket
from hotline_tui.domain.errors import IllegalTransition, ValidationError
from hotline_tui.domain.intake import IntakeInput, clean_intake
from hotline_tui.domain.kb import (
    ArticleStatus,
    FeedbackKind,
    display_title,
    in_effect,
    kb_require,
)
from hotline_tui.domain.states import values
from hotline_tui.domain.text import clean_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.views import (
    FeedbackView,
    check_article_version,
    load_article,
    local_today,
)
from hotline_tui.services.tickets.common import get_ticket, permit
from hotline_tui.services.tickets.intake import (
    Registered,
    answer_op,
    order_action,
    register_op,
    searchable,
)
from hotline_tui.services.uow import UnitOfWork
from kb_index import plain_text

__all__ = [
    "answer_from_article",
    "answer_order_from_article",
    "article_answer_text",
    "feedback_op",
    "flag_expired",
    "give_feedback",
]

ANSWER_MAX = 4000  # the width of an order's answer (domain.intake.clean_note)
NOTE_MAX = 1000


def article_answer_text(article: KbArticle) -> str:
    """The answer recorded on an order answered from ``article``: its title and plain text."""
    title = display_title(article.title, article.body)
    text = plain_text(article.body)
    answer = f"{title}\n{text}" if article.title else text
    if len(answer) > ANSWER_MAX:
        answer = answer[: ANSWER_MAX - 1] + "…"
    return answer


def _use_op(uow: UnitOfWork, article: KbArticle, ticket: Ticket) -> None:
    article.usage_count += 1
    uow.record(
        "kb.use",
        entity="kb_article",
        entity_id=article.id,
        ticket_id=ticket.id,
        dept_id=article.owner_dept_id,
        data={"ticket": ticket.number},
    )


def _offered(
    hl: Hotline, uow: UnitOfWork, actor: Actor, article_id: int, seen: int | None
) -> KbArticle:
    article = load_article(uow.session, actor, article_id, lock=True)
    if not in_effect(article.status, article.effective_from, article.expires_on, local_today(hl)):
        raise IllegalTransition("kb.not_offered", article=article_id, state=article.status)
    check_article_version(uow.session, article, seen)
    return article


def answer_from_article(
    hl: Hotline,
    actor: Actor,
    intake: IntakeInput,
    article_id: int,
    *,
    answer_text: str | None = None,
    article_version: int | None = None,
) -> Registered:
    """直接答复 from an article: register the call and close it as answered, in one go.

    The answer is ``answer_text`` or the article's own text. ``article_version`` is the version
    the operator read; a changed article is refused (the caller was told the old text).
    Only a published article in effect today may be used.
    """
    permit(actor, "register")
    permit(actor, "answer")
    kb_require(actor.role, "kb.read", username=actor.username)
    cleaned = clean_intake(intake, today=hl.now().date(), channels=hl.settings.intake_channels)
    search_text = searchable(cleaned)  # jieba before the write lock (see intake.register)

    def work(uow: UnitOfWork) -> Registered:
        article = _offered(hl, uow, actor, article_id, article_version)
        ticket = register_op(uow, replace(cleaned, kb_article_id=article.id), search_text)
        answer_op(uow, ticket, answer_text or article_answer_text(article))
        _use_op(uow, article, ticket)
        return Registered(ticket.number, ticket.state, ticket.version)

    return uow_module.write(hl, actor, work)


def answer_order_from_article(
    hl: Hotline,
    actor: Actor,
    number: str,
    article_id: int,
    *,
    answer_text: str | None = None,
    if_version: int | None = None,
    article_version: int | None = None,
) -> Registered:
    """直接答复 an order already registered (or queued), from an article."""
    kb_require(actor.role, "kb.read", username=actor.username)

    def apply(uow: UnitOfWork, ticket: Ticket) -> None:
        article = _offered(hl, uow, actor, article_id, article_version)
        ticket.kb_article_id = article.id
        answer_op(uow, ticket, answer_text or article_answer_text(article))
        _use_op(uow, article, ticket)

    return order_action(hl, actor, number, "answer", if_version, apply)


_COUNTERS = {
    FeedbackKind.HELPFUL: "helpful_count",
    FeedbackKind.OUTDATED: "outdated_count",
    FeedbackKind.WRONG: "wrong_count",
}


def give_feedback(
    hl: Hotline,
    actor: Actor,
    article_id: int,
    kind: str,
    note: str = "",
    *,
    ticket_number: str | None = None,
) -> FeedbackView:
    """An operator's word on an article: helpful, outdated or wrong, with a note."""
    kb_require(actor.role, "kb.feedback", username=actor.username)
    if kind not in values(FeedbackKind):
        raise ValidationError(
            "validation.choice", field="kind", value=kind, allowed=values(FeedbackKind)
        )
    text = clean_text(note, max_length=NOTE_MAX, field="note")

    def work(uow: UnitOfWork) -> FeedbackView:
        article = load_article(uow.session, actor, article_id, lock=True)
        ticket_id = None
        if ticket_number:
            ticket_id = get_ticket(uow.session, actor, ticket_number).id
        return feedback_op(uow, article, kind, text, ticket_id=ticket_id)

    return uow_module.write(hl, actor, work)


def feedback_op(
    uow: UnitOfWork, article: KbArticle, kind: str, note: str, *, ticket_id: int | None = None
) -> FeedbackView:
    """Record ``uow.actor``'s word on ``article`` (loaded and locked by the caller) in ``uow``'s
    transaction: the feedback row, the article's counter and the audit event."""
    article_id = article.id or 0
    row = KbFeedback(
        article_id=article_id,
        article_version=article.version,
        kind=kind,
        note=note,
        at=uow.now,
        user_id=uow.actor.user_id,
        ticket_id=ticket_id,
    )
    uow.session.add(row)
    counter = _COUNTERS[FeedbackKind(kind)]
    setattr(article, counter, getattr(article, counter) + 1)
    uow.session.flush()
    uow.record(
        "kb.feedback",
        entity="kb_article",
        entity_id=article_id,
        ticket_id=ticket_id,
        dept_id=article.owner_dept_id,
        note=note,
        data={"kind": kind, "version": article.version},
    )
    return FeedbackView(
        row.id or 0, article_id, article.version, kind, note, uow.now, uow.actor.username
    )


def flag_expired(hl: Hotline, actor: Actor) -> int:
    """Tell the owners of published articles that expired: one ``kb.expired`` event per
    article and expiry (carrying the owner's department), for the console's notices and the
    owner's list (``hotline kb list --expired``). Returns how many were flagged."""
    kb_require(actor.role, "kb.stats", username=actor.username)
    today = local_today(hl)

    def work(uow: UnitOfWork) -> int:
        rows = uow.session.exec(
            select(KbArticle)
            .where(
                KbArticle.status == ArticleStatus.PUBLISHED.value,
                col(KbArticle.expires_on).is_not(None),
                col(KbArticle.expires_on) < today,
                col(KbArticle.expiry_flagged_at).is_(None),
            )
            .with_for_update()
        ).all()
        for article in rows:
            article.expiry_flagged_at = uow.now
            uow.record(
                "kb.expired",
                entity="kb_article",
                entity_id=article.id,
                dept_id=article.owner_dept_id,
                data={"expires_on": article.expires_on.isoformat() if article.expires_on else ""},
            )
        return len(rows)

    return uow_module.write(hl, actor, work)
