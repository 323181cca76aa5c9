"""The tables the demo's bulk store writes, each written at the driver level in one statement.

A :class:`TableWriter` holds a table's column list (from the metadata), its new rows and next
id, and the ``INSERT``/``UPDATE`` (PostgreSQL: ``COPY``) that write many rows at once.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from typing import Any, cast

import psycopg
from sqlalchemy import Connection, Dialect, Table
from sqlmodel import SQLModel

from db.models import load_all
from db.sqlalchemy_compat import bind_processor
from hotline_tui.demo.records import (
    NOT_COLUMNS,
    AssignmentRec,
    CallerPhoneRec,
    CallerRec,
    Record,
    SupervisionRec,
    TicketRec,
    VisitAttemptRec,
)

# Parents before children: a row's foreign keys point at rows inserted before it.
TABLES: tuple[tuple[type[Record], str], ...] = (
    (CallerRec, "caller"),
    (CallerPhoneRec, "caller_phone"),
    (TicketRec, "ticket"),
    (AssignmentRec, "assignment"),
    (SupervisionRec, "supervision"),
    (VisitAttemptRec, "visit_attempt"),
)


class TableWriter:
    """One table: the columns written (from the metadata), new rows, the next id, and the
    statements that write them at the driver level.

    Values are converted exactly as SQLAlchemy converts them for the dialect (each column
    type's own bind processor: UTC datetimes, SQLite's datetime text, booleans), so the rows are
    the ones an ORM flush would write, without its per-row cost. PostgreSQL gets new rows by
    ``COPY``.
    """

    def __init__(self, record: type[Record], name: str, dialect: Dialect) -> None:
        load_all()
        self.table: Table = SQLModel.metadata.tables[name]
        fields = {f.name for f in dataclasses.fields(record)} - NOT_COLUMNS
        # A column the record has no field for is left to its default (see records).
        columns = [c for c in self.table.columns if c.name in fields]
        self.columns = [c.name for c in columns]
        self.values = attrgetter(*self.columns)
        self.record = record
        self.new: list[Any] = []
        self.next_id = 1
        self.synced = 0  # PostgreSQL: the sequence's value as last set
        # The conversions SQLAlchemy itself applies for this dialect (db.sqlalchemy_compat).
        self._processors = [
            (i, processor)
            for i, column in enumerate(columns)
            if (processor := bind_processor(column.type, dialect)) is not None
        ]
        quote = dialect.identifier_preparer.quote
        self._names = [quote(name) for name in self.columns]
        self._mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self._postgres = dialect.name == "postgresql"
        self._quoted_table = quote(name)
        names = ", ".join(self._names)
        marks = ", ".join([self._mark] * len(self.columns))
        self.insert_sql = f"INSERT INTO {self._quoted_table} ({names}) VALUES ({marks})"
        self.copy_sql = f"COPY {self._quoted_table} ({names}) FROM STDIN"
        self._array_types = [f"{column.type.compile(dialect)}[]" for column in columns]
        self._updates: dict[tuple[int, ...], str] = {}

    def db_values(self, values: tuple[Any, ...]) -> list[Any]:
        """``values`` (in column order) as the driver takes them."""
        row = list(values)
        for i, processor in self._processors:
            row[i] = processor(row[i])
        return row

    def insert(self, conn: Connection, rows: list[list[Any]]) -> None:
        """Insert rows (values as the driver takes them, in column order)."""
        if not self._postgres:
            conn.exec_driver_sql(self.insert_sql, [tuple(row) for row in rows])
            return
        driver = cast(psycopg.Connection[Any], conn.connection.dbapi_connection)
        with driver.cursor() as cursor, cursor.copy(self.copy_sql) as copy:
            for row in rows:
                copy.write_row(row)

    def update(self, conn: Connection, changed: tuple[int, ...], rows: list[list[Any]]) -> None:
        """Set the ``changed`` columns of many rows (each: the new values, then the id).

        SQLite: ``UPDATE … WHERE id = ?`` executemany. PostgreSQL: one ``UPDATE … FROM
        unnest(<one array per column>)``, a third of the time of one statement per row.
        """
        sql = self._updates.get(changed)
        if sql is None:
            if self._postgres:
                sets = ", ".join(f"{self._names[i]} = v.{self._names[i]}" for i in changed)
                arrays = ", ".join(
                    f"unnest(%s::{self._array_types[i]}) AS {self._names[i]}" for i in changed
                )
                sql = (
                    f"UPDATE {self._quoted_table} SET {sets} FROM (SELECT {arrays}, "
                    f"unnest(%s::integer[]) AS row_id) AS v "
                    f"WHERE {self._quoted_table}.id = v.row_id"
                )
            else:
                sets = ", ".join(f"{self._names[i]} = {self._mark}" for i in changed)
                sql = f"UPDATE {self._quoted_table} SET {sets} WHERE id = {self._mark}"
            self._updates[changed] = sql
        if self._postgres:
            conn.exec_driver_sql(sql, tuple(list(column) for column in zip(*rows, strict=True)))
        else:
            conn.exec_driver_sql(sql, [tuple(row) for row in rows])

    def from_row(self, row: Any) -> Any:
        values = {name: row[name] for name in self.columns}
        return self.record(**values, stored=True)


WRITTEN = frozenset(name for _, name in TABLES)
"""The tables the store writes: nobody may read them behind its back during a run."""
