"""The public channels' keys (``hotline serve``'s Open311 API).

- ``api_key``: one per partner system. Only the SHA-256 of the key is kept (the key itself is
  shown once, when it is made); a revoked key stays, with the time it was revoked, so that the
  audit trail's references to it keep their meaning.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from db.models.base import utc_field


class ApiKey(SQLModel, table=True):
    """A partner system's key: its name, the key's hash and first characters, revocation."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    partner: str = Field(max_length=64, unique=True)
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)
    created_at: datetime = utc_field()
    created_by: int = Field(foreign_key="user_account.id")
    revoked_at: datetime | None = utc_field(nullable=True)
