"""Naming convention and helpers shared by the table modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Index, text
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


def text_limit(model: type[SQLModel], name: str) -> int:
    """The most characters column ``name`` of ``model`` holds (its ``max_length``), so that input
    is refused in words before the database (PostgreSQL raises, SQLite would keep it)."""
    length = getattr(model.__table__.c[name].type, "length", None)  # type: ignore[attr-defined]
    if not isinstance(length, int):
        raise TypeError(f"{model.__name__}.{name} has no length limit")
    return length


# Partial indexes: name → (index, predicate). See ``partial_index``.
_PARTIAL: dict[str, tuple[Index, str]] = {}


def state_in(states: tuple[str, ...], column: str = "state") -> str:
    """``column IN ('a', 'b')``: a partial index's condition, and the very text a query must
    repeat for SQLite to use that index. ``states`` are the domain's enum values (no quotes)."""
    if len(states) == 1:
        return f"{column} = '{states[0]}'"
    return f"{column} IN ({', '.join(repr(str(s)) for s in states)})"


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """An index over the rows matching ``where`` (SQLite and PostgreSQL alike).

    The predicate is attached only by :func:`with_partial_predicates`, which the migrations'
    environment calls: a dialect-specific keyword (``postgresql_where``) makes SQLAlchemy import
    that dialect when the index is built, about 30 ms that every command paid for loading the
    tables, though only Alembic (creating and comparing indexes) reads the predicate. Queries
    that rely on an index name its condition themselves.
    """
    index = Index(name, *columns, unique=unique)
    _PARTIAL[name] = (index, where)
    return index


def with_partial_predicates() -> None:
    """Give every partial index its predicate for both backends (idempotent)."""
    for index, where in _PARTIAL.values():
        for dialect in ("sqlite", "postgresql"):
            if f"{dialect}_where" not in index.dialect_kwargs:
                index.dialect_kwargs[f"{dialect}_where"] = text(where)
