"""Naming convention and helpers shared by the table modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime

# Deterministic constraint names: Alembic can then alter them in SQLite batch mode.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_field(*, nullable: bool = False, index: bool = False) -> Any:
    """A timezone-aware UTC datetime column."""
    return Field(
        default=None if nullable else ...,
        sa_column=Column(UTCDateTime(), nullable=nullable, index=index),
    )
