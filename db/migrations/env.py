"""Alembic environment: migrations run on the connection or URL that db.migrate hands in."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, pool
from sqlmodel import SQLModel

from db.models import load_all
from db.models.base import with_partial_predicates
from db.search_index import is_search_index_object

config = context.config
load_all()  # every table on the metadata
with_partial_predicates()  # the partial indexes' conditions, which only migrations read
target_metadata = SQLModel.metadata


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave the full-text index (FTS5 tables, the tsvector column) to hand-written migrations."""
    return not is_search_index_object(name, type_)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    return not is_search_index_object(name, type_)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(conn)


run_migrations_online()
