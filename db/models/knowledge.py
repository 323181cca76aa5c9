"""The knowledge base: articles, their version history, operators' feedback, search gaps and
the synonym lists the search expands queries with.

Lists (tags, synonyms, policy references, a synonym group's terms) are JSON arrays in a text
column: they are read and written whole with their article, never queried element by element
(the search index does that).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import utc_field
from db.types import one_of
from hotline_tui.domain.kb import ArticleStatus, FeedbackKind
from hotline_tui.domain.states import values

GAP_KINDS = ["search", "answer", "auto"]
AUTOANSWER_OUTCOMES = ["helped", "not_helped"]


def _json_list() -> Any:
    return Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))


class KbArticle(SQLModel, table=True):
    """A standard answer. ``version`` guards edits; each change is also stored as a
    :class:`KbArticleVersion`."""

    __tablename__ = "kb_article"
    __table_args__ = (
        one_of("status", values(ArticleStatus)),
        Index("ix_kb_article_status_expires_on", "status", "expires_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The identity of an imported article in its source ("csv:qa0001", "md:path"), so that
    # importing the same file again updates instead of duplicating.
    ext_key: str | None = Field(default=None, max_length=200, unique=True)
    title: str = Field(default="", max_length=1000)
    body: str = Field(sa_column=Column(Text, nullable=False))
    category_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    tags: str = _json_list()
    synonyms: str = _json_list()
    policy_refs: str = _json_list()
    owner_dept_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    owner_text: str = Field(default="", max_length=100)
    effective_from: date | None = None
    expires_on: date | None = None
    status: str = Field(max_length=16)
    usage_count: int = 0
    helpful_count: int = 0
    outdated_count: int = 0
    wrong_count: int = 0
    created_at: datetime = utc_field()
    created_by: int = Field(foreign_key="user_account.id")
    updated_at: datetime = utc_field()
    updated_by: int = Field(foreign_key="user_account.id")
    published_at: datetime | None = utc_field(nullable=True)
    # When the owner was told that the article expired (once per expiry).
    expiry_flagged_at: datetime | None = utc_field(nullable=True)
    version: int = 1


class KbArticleVersion(SQLModel, table=True):
    """The article as it was after one change: who, when, which action, which fields."""

    __tablename__ = "kb_article_version"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="kb_article.id")
    version: int
    action: str = Field(max_length=16)
    changed_fields: str = _json_list()
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(max_length=16)
    title: str = Field(default="", max_length=1000)
    body: str = Field(sa_column=Column(Text, nullable=False))
    category_id: int | None = None
    tags: str = _json_list()
    synonyms: str = _json_list()
    policy_refs: str = _json_list()
    owner_dept_id: int | None = None
    owner_text: str = Field(default="", max_length=100)
    effective_from: date | None = None
    expires_on: date | None = None
    changed_at: datetime = utc_field()
    changed_by: int = Field(foreign_key="user_account.id")


class KbFeedback(SQLModel, table=True):
    """An operator's word on an article: helpful, outdated or wrong, with a note."""

    __tablename__ = "kb_feedback"
    __table_args__ = (one_of("kind", values(FeedbackKind)),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="kb_article.id", index=True)
    article_version: int
    kind: str = Field(max_length=16)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    at: datetime = utc_field()
    user_id: int = Field(foreign_key="user_account.id")
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")


class KbSearchGap(SQLModel, table=True):
    """A search an operator submitted that found nothing useful (a knowledge gap).

    ``terms`` is the query's normalised key (its distinct search terms, sorted), so that the
    same question asked in different words of the same terms is counted together.
    """

    __tablename__ = "kb_search_gap"
    __table_args__ = (one_of("kind", GAP_KINDS),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(index=True)
    user_id: int = Field(foreign_key="user_account.id")
    kind: str = Field(max_length=16)
    query: str = Field(max_length=500)
    terms: str = Field(max_length=500)
    hits: int = 0


class KbSynonymGroup(SQLModel, table=True):
    """One list of words the search treats as the same (社保 ↔ 社会保险)."""

    __tablename__ = "kb_synonym_group"

    id: int | None = Field(default=None, primary_key=True)
    position: int
    terms: str = _json_list()
    updated_at: datetime = utc_field()
    updated_by: int = Field(foreign_key="user_account.id")


class KbAutoAnswer(SQLModel, table=True):
    """A question the self-service channel answered by itself from an article: the article and
    the version shown, the calibrated probability and the calibrator that gave it, and what the
    asker said of it (``outcome``: helped / not_helped, None until they say). The outcomes are
    the calibrator's training data (``hotline kb autoanswer train``)."""

    __tablename__ = "kb_autoanswer"
    __table_args__ = (one_of("outcome", AUTOANSWER_OUTCOMES, nullable=True),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(index=True)
    user_id: int = Field(foreign_key="user_account.id")
    question: str = Field(max_length=500)
    article_id: int = Field(foreign_key="kb_article.id", index=True)
    article_version: int
    probability: float
    calibrator_version: int
    outcome: str | None = Field(default=None, max_length=16)
    outcome_at: datetime | None = utc_field(nullable=True)
