"""What the knowledge base is missing and how it is used: knowledge gaps (searches that found
nothing useful), the figures supervisors read, and the synonym lists the search expands with."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, delete, select

from db.models import KbArticle, KbSearchGap, KbSynonymGroup
from hotline_tui.domain.errors import ImportFailed, ValidationError
from hotline_tui.domain.kb import (
    DEFAULT_SYNONYMS,
    ArticleStatus,
    clean_synonym_groups,
    in_effect,
    kb_require,
)
from hotline_tui.domain.text import clean_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.views import (
    ArticleSummary,
    article_summaries,
    dumps,
    loads,
    local_today,
)
from hotline_tui.services.uow import UnitOfWork
from kb_index import query_terms

__all__ = [
    "Gap",
    "GapView",
    "KbStats",
    "gap_key",
    "import_synonyms",
    "kb_stats",
    "list_gaps",
    "log_gap",
    "synonym_groups",
]

QUERY_MAX = 500


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
    gap = Gap.of(query, hits=hits, kind=kind)
    if gap is not None:
        uow_module.write(hl, actor, gap.add)


@dataclass(frozen=True)
class Gap:
    """A knowledge gap ready to be written, its terms worked out before any transaction (the
    analysis may load jieba, which must not happen under the write lock)."""

    query: str
    terms: str
    hits: int
    kind: str

    @classmethod
    def of(cls, query: str, *, hits: int = 0, kind: str = "search") -> Gap | None:
        text = clean_text(query, multiline=False)[:QUERY_MAX]
        return cls(text, gap_key(text), hits, kind) if text else None

    def add(self, uow: UnitOfWork) -> None:
        """Write the gap in ``uow``'s transaction (e.g. the one that answers the call)."""
        uow.session.add(
            KbSearchGap(
                at=uow.now,
                user_id=uow.actor.user_id,
                kind=self.kind,
                query=self.query,
                terms=self.terms,
                hits=self.hits,
            )
        )


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


# --- figures ------------------------------------------------------------------------


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
