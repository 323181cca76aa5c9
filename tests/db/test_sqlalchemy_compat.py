"""The bulk writer converts values as SQLAlchemy does; an upgrade that changes that fails here.

If a test here fails after a SQLAlchemy upgrade, the demo's bulk writer may write values the
ORM would write differently: check ``db/sqlalchemy_compat.py`` against the new release before
adding its series to ``WRITTEN_FOR``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Boolean, Column, Integer, MetaData, Table, Text, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlmodel import AutoString, SQLModel

from db import sqlalchemy_compat
from db.engine import make_engines
from db.models import load_all
from db.types import UTCDateTime

WRITTEN = ("caller", "caller_phone", "ticket", "assignment", "supervision", "visit_attempt")
DIALECTS: list[Dialect] = [sqlite.dialect(), postgresql.psycopg.dialect()]


def sample(type_: Any) -> list[Any]:
    """Values of a column type, as the rows hold them (None included)."""
    name = type(type_).__name__
    if name == "UTCDateTime":
        return [None, datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)]
    if name == "Boolean":
        return [None, True, False]
    if name == "Integer":
        return [None, 0, 2**31 - 1]
    return [None, "", "文字 text"]


def test_the_installed_sqlalchemy_is_one_the_module_was_checked_on() -> None:
    sqlalchemy_compat.require_supported()  # fails naming the version after an upgrade
    with pytest.raises(sqlalchemy_compat.IncompatibleSQLAlchemy, match=r"2\.2\.0"):
        sqlalchemy_compat.require_supported("2.2.0")


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_every_written_column_converts_as_sqlalchemys_compiler_does(dialect: Dialect) -> None:
    """The compiler's own (private) cached processor is the reference: if it is renamed or
    gives other values, this fails loudly."""
    load_all()
    checked = 0
    for name in WRITTEN:
        for column in SQLModel.metadata.tables[name].columns:
            ours = sqlalchemy_compat.bind_processor(column.type, dialect)
            theirs = column.type._cached_bind_processor(dialect)
            assert (ours is None) == (theirs is None), f"{name}.{column.name}"
            for value in sample(column.type):
                want = theirs(value) if theirs else value
                assert (ours(value) if ours else value) == want, f"{name}.{column.name}"
                checked += 1
    assert checked > 100


def test_a_row_written_at_the_driver_level_equals_one_sqlalchemy_inserts(db_url: str) -> None:
    """Through a real INSERT on SQLite and PostgreSQL: the stored values are the same."""
    probe = Table(
        "compat_probe",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("at", UTCDateTime()),
        Column("flag", Boolean),
        Column("name", AutoString),
        Column("body", Text),
    )
    row = {
        "at": datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC),
        "flag": True,
        "name": "名字",
        "body": "正文",
    }
    engines = make_engines(db_url)
    try:
        with engines.write.begin() as conn:
            probe.create(conn)
            conn.execute(insert(probe), {"id": 1, **row})
            dialect = conn.dialect
            names = list(row)
            values = [
                processor(row[n])
                if (processor := sqlalchemy_compat.bind_processor(probe.c[n].type, dialect))
                else row[n]
                for n in names
            ]
            mark = "?" if dialect.paramstyle == "qmark" else "%s"
            marks = ", ".join([mark] * (len(names) + 1))
            conn.exec_driver_sql(
                f"INSERT INTO compat_probe (id, {', '.join(names)}) VALUES ({marks})",
                (2, *values),
            )
            raw = conn.exec_driver_sql(
                f"SELECT {', '.join(names)} FROM compat_probe ORDER BY id"
            ).all()
            probe.drop(conn)
    finally:
        engines.dispose()
    assert tuple(raw[0]) == tuple(raw[1])
