"""Using the knowledge base on calls: answer from an article, feedback, knowledge gaps, the
figures supervisors read, expiry flags for owners, and the synonym lists.

:func:`answer_from_article` is the console's "answer directly from this article" key: in one
transaction the order is registered, closed as answered directly (直接答复) with the article's
text, linked to the article, and the article's usage count goes up.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, delete, select

from db.models import KbArticle, KbFeedback, KbSearchGap, KbSynonymGroup, Ticket
from hotline_tui.domain.errors import IllegalTransition, ImportFailed, ValidationError
from hotline_tui.domain.intake import IntakeInput, clean_intake
from hotline_tui.domain.kb import (
    DEFAULT_SYNONYMS,
    ArticleStatus,
    FeedbackKind,
    clean_synonym_groups,
    display_title,
    in_effect,
    kb_require,
)
from hotline_tui.domain.states import values
from hotline_tui.domain.text import clean_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb_views import (
    ArticleSummary,
    FeedbackView,
    article_summaries,
    check_article_version,
    dumps,
    load_article,
    loads,
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
from kb_index import plain_text, query_terms

__all__ = [
    "GapView",
    "KbStats",
    "answer_from_article",
    "answer_order_from_article",
    "article_answer_text",
    "flag_expired",
    "give_feedback",
    "import_synonyms",
    "kb_stats",
    "list_gaps",
    "log_gap",
    "synonym_groups",
]

ANSWER_MAX = 4000  # the width of an order's answer (domain.intake.clean_note)
QUERY_MAX = 500
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
    cleaned = clean_intake(intake, today=hl.now().date())
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
        session = uow.session
        article = load_article(session, actor, article_id, lock=True)
        ticket_id = None
        if ticket_number:
            ticket_id = get_ticket(session, actor, ticket_number).id
        row = KbFeedback(
            article_id=article_id,
            article_version=article.version,
            kind=kind,
            note=text,
            at=uow.now,
            user_id=actor.user_id,
            ticket_id=ticket_id,
        )
        session.add(row)
        counter = _COUNTERS[FeedbackKind(kind)]
        setattr(article, counter, getattr(article, counter) + 1)
        session.flush()
        uow.record(
            "kb.feedback",
            entity="kb_article",
            entity_id=article_id,
            ticket_id=ticket_id,
            dept_id=article.owner_dept_id,
            note=text,
            data={"kind": kind, "version": article.version},
        )
        return FeedbackView(
            row.id or 0, article_id, article.version, kind, text, uow.now, actor.username
        )

    return uow_module.write(hl, actor, work)


# --- knowledge gaps ------------------------------------------------------------------------


@dataclass(frozen=True)
class GapView:
    """Searches that found nothing useful, counted by their terms."""

    terms: str
    example: str
    count: int
    last_at: datetime


def gap_key(query: str) -> str:
    """The distinct terms of a query, sorted: the same question in another order counts once."""
    key = " ".join(sorted(set(query_terms(query))))
    return key[:QUERY_MAX]


def log_gap(hl: Hotline, actor: Actor, query: str, *, hits: int = 0, kind: str = "search") -> None:
    """Record a submitted search that found nothing useful (``kind``: ``search`` — Enter gave
    no hit; ``answer`` — the call was answered without any article). Not an audit event: it
    changes no record, it is a measurement."""
    text = clean_text(query, multiline=False)[:QUERY_MAX]
    if not text:
        return
    key = gap_key(text)

    def work(uow: UnitOfWork) -> None:
        uow.session.add(
            KbSearchGap(
                at=uow.now, user_id=actor.user_id, kind=kind, query=text, terms=key, hits=hits
            )
        )

    uow_module.write(hl, actor, work)


def list_gaps(hl: Hotline, actor: Actor, *, days: int = 30, limit: int = 50) -> list[GapView]:
    """The knowledge gaps of the last ``days`` days, most frequent first."""
    kb_require(actor.role, "kb.gaps", username=actor.username)
    since = hl.now() - timedelta(days=max(1, days))
    with hl.reading() as session:
        rows = session.exec(
            select(
                KbSearchGap.terms,
                func.max(KbSearchGap.query),
                func.count(),
                func.max(KbSearchGap.at),
            )
            .where(col(KbSearchGap.at) >= since)
            .group_by(col(KbSearchGap.terms))
            .order_by(func.count().desc(), func.max(KbSearchGap.at).desc())
            .limit(max(1, limit))
        ).all()
    out: list[GapView] = []
    for terms, example, count, last_at in rows:
        moment = last_at if isinstance(last_at, datetime) else datetime.fromisoformat(str(last_at))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=hl.now().tzinfo)
        out.append(GapView(str(terms), str(example), int(count), moment))
    return out


# --- figures and expiry ------------------------------------------------------------------------


@dataclass(frozen=True)
class KbStats:
    by_status: dict[str, int]
    in_effect: int
    expired: int
    expiring_30_days: int
    usage_total: int
    feedback: dict[str, int]
    gaps_30_days: int
    top_used: list[ArticleSummary]
    most_reported: list[ArticleSummary]


def kb_stats(hl: Hotline, actor: Actor) -> KbStats:
    """What the knowledge base holds and how it is used."""
    kb_require(actor.role, "kb.stats", username=actor.username)
    today = local_today(hl)
    soon = today + timedelta(days=30)
    published = ArticleStatus.PUBLISHED.value
    with hl.reading() as session:
        by_status = {
            str(s): int(n)
            for s, n in session.exec(
                select(KbArticle.status, func.count()).group_by(col(KbArticle.status))
            )
        }
        rows = session.exec(
            select(col(KbArticle.effective_from), col(KbArticle.expires_on)).where(
                KbArticle.status == published
            )
        ).all()
        live = sum(1 for start, end in rows if in_effect(published, start, end, today))
        expired = sum(1 for _start, end in rows if end is not None and end < today)
        expiring = sum(1 for _start, end in rows if end is not None and today <= end <= soon)
        totals = session.exec(
            select(
                func.coalesce(func.sum(KbArticle.usage_count), 0),
                func.coalesce(func.sum(KbArticle.helpful_count), 0),
                func.coalesce(func.sum(KbArticle.outdated_count), 0),
                func.coalesce(func.sum(KbArticle.wrong_count), 0),
            )
        ).one()
        gaps = session.exec(
            select(func.count()).where(col(KbSearchGap.at) >= hl.now() - timedelta(days=30))
        ).one()
        top = session.exec(
            select(KbArticle)
            .where(col(KbArticle.usage_count) > 0)
            .order_by(col(KbArticle.usage_count).desc(), col(KbArticle.id))
            .limit(10)
        ).all()
        reported = session.exec(
            select(KbArticle)
            .where(col(KbArticle.outdated_count) + col(KbArticle.wrong_count) > 0)
            .order_by(
                (col(KbArticle.outdated_count) + col(KbArticle.wrong_count)).desc(),
                col(KbArticle.id),
            )
            .limit(10)
        ).all()
        return KbStats(
            by_status=by_status,
            in_effect=live,
            expired=expired,
            expiring_30_days=expiring,
            usage_total=int(totals[0]),
            feedback={
                "helpful": int(totals[1]),
                "outdated": int(totals[2]),
                "wrong": int(totals[3]),
            },
            gaps_30_days=int(gaps),
            top_used=article_summaries(session, top, today),
            most_reported=article_summaries(session, reported, today),
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


# --- synonym lists -------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s,，、;；=|/↔]+")


def synonym_groups(hl: Hotline) -> list[list[str]]:
    """The synonym lists in force: the imported ones, else the built-in defaults."""
    with hl.reading() as session:
        rows = session.exec(select(KbSynonymGroup).order_by(col(KbSynonymGroup.position))).all()
        groups = [list(loads(row.terms)) for row in rows]
    return groups or [list(group) for group in DEFAULT_SYNONYMS]


def import_synonyms(hl: Hotline, actor: Actor, path: Path) -> int:
    """Replace the synonym lists with a file's: one group per line, words separated by spaces,
    commas, 、, ``=`` or ``↔``; ``#`` starts a comment. All or nothing; returns the groups."""
    kb_require(actor.role, "kb.synonyms", username=actor.username)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(
            "import.unreadable", file=str(path), error=exc.strerror or str(exc)
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed("import.failed", file=str(path), line=line, reason="encoding") from exc
    groups: list[list[str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        content = raw.split("#", 1)[0].strip()
        if not content:
            continue
        try:
            cleaned = clean_synonym_groups([_SEPARATORS.split(content)])
        except ValidationError as exc:
            raise ImportFailed(
                "import.failed",
                file=str(path),
                line=number,
                reason="too_long",
                column="synonyms",
                max=exc.params.get("max", ""),
            ) from exc
        if not cleaned:
            raise ImportFailed("import.failed", file=str(path), line=number, reason="synonym_group")
        groups.extend(cleaned)
    sha256 = hashlib.sha256(data).hexdigest()

    def work(uow: UnitOfWork) -> int:
        session = uow.session
        session.execute(delete(KbSynonymGroup))
        for position, group in enumerate(groups, start=1):
            session.add(
                KbSynonymGroup(
                    position=position,
                    terms=dumps(group),
                    updated_at=uow.now,
                    updated_by=actor.user_id,
                )
            )
        uow.record(
            "kb.synonyms",
            entity="kb_synonyms",
            data={"groups": len(groups), "file": str(path), "sha256": sha256},
        )
        return len(groups)

    return uow_module.write(hl, actor, work)
