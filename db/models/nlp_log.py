"""The intake suggestions' log: per registered order and task, what was suggested (label,
probability, filled in or offered) and what the operator registered. Written in the
registration's own transaction; read for retraining and for ``hotline nlp stats``."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from db.models.base import utc_field
from db.types import one_of
from hotline_tui.domain.suggestion_log import TASKS


class NlpSuggestion(SQLModel, table=True):
    __tablename__ = "nlp_suggestion_log"
    __table_args__ = (one_of("task", list(TASKS)),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    at: datetime = utc_field(index=True)
    user_id: int = Field(foreign_key="user_account.id")
    task: str = Field(max_length=16)
    suggested: str = Field(max_length=400)
    probability: float
    auto_filled: bool = False
    final: str | None = Field(default=None, max_length=400)
