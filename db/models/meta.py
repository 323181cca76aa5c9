"""Facts about the database itself.

- ``database_mark``: present (one row) when this database is a copy — a restored backup for a
  drill, a test or training — rather than the live hotline. Only a copy may be run as of another
  time (``hotline scheduler run --once --now …``): on the live database, state stamped in the
  future would stop the scheduler from urging or checkpointing until that date.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from db.models.base import utc_field


class DatabaseMark(SQLModel, table=True):
    """The mark of a copy: when, by whom and why (also an audit event, ``db.mark_copy``)."""

    __tablename__ = "database_mark"

    id: int = Field(default=1, primary_key=True)
    marked_at: datetime = utc_field()
    marked_by: str = Field(max_length=64)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
