"""Users of the console and the `hotline` command."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from db.models.base import utc_field
from db.types import one_of
from hotline_tui.domain.states import Role, values


class User(SQLModel, table=True):
    """A hotline user with one role; handlers belong to one department."""

    __tablename__ = "user_account"
    __table_args__ = (one_of("role", values(Role)),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=100)
    role: str = Field(max_length=16)
    dept_id: int | None = Field(default=None, foreign_key="department.id")
    password_hash: str | None = Field(default=None, max_length=255)
    os_account: str | None = Field(default=None, max_length=64, unique=True)
    disabled: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field()
    version: int = 1
