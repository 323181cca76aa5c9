"""Writing the roll-up: a difference of counts added to the cells of ``stats_daily`` and, added
up per day and department, to ``stats_dept_day`` (in the same transaction, by every writer of
cells), and the orders' facts kept in ``stats_order``.

A rebuild writes a million orders' facts and a few million cells, so these go to the driver
directly: ``executemany`` on SQLite, ``COPY`` on PostgreSQL (cells through a staging table, since
``COPY`` cannot add to a row that exists). The values are ids, days, counts and the codes of
rows already stored, never text that people typed, so the parameter guard of
:mod:`hotline_tui.services.storable` (which sees only statements that go through SQLAlchemy) has
nothing to refuse here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, delete, text

from db.models.stats import CELL_COLUMNS, DEPT_DAY_COLUMNS, stats_daily, stats_dept_day
from hotline_tui.domain.kpi_codec import fact_cells
from hotline_tui.domain.kpi_facts import COLUMNS, Cell, FactRow, Rest

__all__ = [
    "Delta",
    "Groups",
    "OrderRow",
    "add_facts",
    "cell_rows",
    "drop_zero_rows",
    "insert_rows",
    "old_facts",
    "split",
    "store_orders",
    "subtract_stored",
    "write_cells",
    "write_rows",
]

Delta = dict[Cell, dict[str, int]]
"""Per cell, a difference of counts by column (the columns it has)."""
OrderRow = tuple[int, date, date, str]
"""A row of ``stats_order``: ticket id, first day, last day, encoded facts."""

_ALL = (*CELL_COLUMNS, *COLUMNS)


def _upsert(
    columns: tuple[str, ...], source: str, table: str = "stats_daily",
    keys: tuple[str, ...] = CELL_COLUMNS,
) -> str:  # fmt: skip
    """Add ``columns`` of each row of ``source`` to its row of ``table`` (the others of a new
    row are 0)."""
    return (
        f"INSERT INTO {table} ({', '.join((*keys, *columns))}) {source}"
        f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    )


def _dept_day_rows(groups: Groups) -> list[tuple[Any, ...]]:
    """The rows of :func:`cell_rows` added up per day and department: (day, dept, *COLUMNS)."""
    index = {name: i for i, name in enumerate(COLUMNS)}
    sums: dict[tuple[Any, Any], list[int]] = {}
    width = len(CELL_COLUMNS)
    for columns, rows in groups.items():
        where = [index[name] for name in columns]
        for row in rows:
            key = (row[0], row[1])
            counts = sums.get(key)
            if counts is None:
                counts = sums[key] = [0] * len(COLUMNS)
            for i, n in zip(where, row[width:], strict=True):
                counts[i] += n
    return [(*key, *counts) for key, counts in sums.items() if any(counts)]


def _add_dept_days(conn: Connection, dialect: str, groups: Groups) -> None:
    """Add the cells of ``groups`` to the department days (a few rows per day: one statement
    per row is cheap beside the cells')."""
    rows = _dept_day_rows(groups)
    if not rows:
        return
    width = len(DEPT_DAY_COLUMNS) + len(COLUMNS)
    mark = "%s" if dialect == "postgresql" else "?"
    statement = _upsert(COLUMNS, f"VALUES ({', '.join([mark] * width)})", "stats_dept_day",
                        DEPT_DAY_COLUMNS)  # fmt: skip
    if dialect == "postgresql":
        with _driver(conn).cursor() as cursor:
            cursor.executemany(statement, rows)
    else:
        _driver(conn).executemany(statement, rows)


def drop_zero_rows(conn: Connection, days: Sequence[date] | None = None) -> None:
    """Delete the cells and department days whose counts are all zero (on ``days``, or all)."""
    for table in (stats_daily, stats_dept_day):
        where = [table.c[name] == 0 for name in COLUMNS]
        if days is not None:
            where.append(table.c.day.in_(days))
        conn.execute(delete(table).where(*where))


def add_facts(delta: Delta, rest: Rest, rows: Iterable[FactRow]) -> None:
    """Add an order's facts (its rows, in cells completed by ``rest``) to ``delta``."""
    for day, dept, column, n in rows:
        cell = (day, dept, *rest)
        counts = delta.get(cell)
        if counts is None:
            delta[cell] = {column: n}
        else:
            counts[column] = counts.get(column, 0) + n


def subtract_stored(delta: Delta, stored: str | None) -> None:
    """Take the facts of a ``stats_order`` text out of ``delta``."""
    for cell, column, n in fact_cells(stored):
        counts = delta.setdefault(cell, {})
        counts[column] = counts.get(column, 0) - n


def old_facts(conn: Connection, ids: Sequence[int] | None = None,
              span: tuple[int, int] | None = None) -> dict[int, str]:  # fmt: skip
    """The stored facts of the orders ``ids``, or of those in the id range ``span``."""
    if ids is not None:
        statement = text("SELECT ticket_id, facts FROM stats_order WHERE ticket_id IN :ids")
        rows = conn.execute(statement.bindparams(bindparam("ids", expanding=True)),
                            {"ids": list(ids)})  # fmt: skip
    else:
        first, last = span or (0, -1)
        statement = text(
            "SELECT ticket_id, facts FROM stats_order WHERE ticket_id BETWEEN :first AND :last"
        )
        rows = conn.execute(statement, {"first": first, "last": last})
    return {int(r[0]): r[1] for r in rows}


def _driver(conn: Connection) -> Any:
    return conn.connection.driver_connection


def store_orders(conn: Connection, dialect: str, gone: Sequence[int], rows: list[OrderRow]) -> None:
    """Replace the stored facts of the orders ``gone`` by ``rows``."""
    if gone:
        statement = text("DELETE FROM stats_order WHERE ticket_id IN :ids")
        conn.execute(statement.bindparams(bindparam("ids", expanding=True)), {"ids": list(gone)})
    if not rows:
        return
    if dialect == "postgresql":
        with (
            _driver(conn).cursor() as cursor,
            cursor.copy(
                "COPY stats_order (ticket_id, first_day, last_day, facts) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        _driver(conn).executemany(
            "INSERT INTO stats_order (ticket_id, first_day, last_day, facts) VALUES (?, ?, ?, ?)",
            [(i, a.isoformat(), b.isoformat(), facts) for i, a, b, facts in rows],
        )


Groups = dict[tuple[str, ...], list[tuple[Any, ...]]]
"""Rows of cells grouped by the columns they have (a row holds the counts of those only: most
cells have a few)."""


def cell_rows(delta: Delta, dialect: str) -> tuple[Groups, bool]:
    """The cells of ``delta`` as rows for :func:`write_rows`, and whether a count is negative."""
    day = (lambda d: d) if dialect == "postgresql" else _iso_days()
    groups: Groups = defaultdict(list)
    negative = False
    for cell, counts in delta.items():
        values = tuple(counts.values())
        if any(values):
            negative = negative or min(values) < 0
            groups[tuple(counts)].append((day(cell[0]), *cell[1:], *values))
    return groups, negative


def split(groups: Groups, size: int) -> Iterator[Groups]:
    """``groups`` in shares of about ``size`` rows."""
    share: Groups = {}
    count = 0
    for columns, rows in groups.items():
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            share[columns] = part
            count += len(part)
            if count >= size:
                yield share
                share, count = {}, 0
    if share:
        yield share


def write_rows(conn: Connection, dialect: str, groups: Groups) -> None:
    """Add the rows of :func:`cell_rows` to their cells (and to their department days)."""
    _add_dept_days(conn, dialect, groups)
    if dialect == "postgresql":
        _pg_add(conn, groups)
        return
    driver = _driver(conn)
    for columns, rows in groups.items():
        marks = ", ".join("?" * (len(CELL_COLUMNS) + len(columns)))
        driver.executemany(_upsert(columns, f"VALUES ({marks})"), rows)


def insert_rows(conn: Connection, dialect: str, groups: Groups) -> None:
    """Write the rows of :func:`cell_rows` as new cells (none of them is in the table); their
    department days are added to (another share may have written some already)."""
    _add_dept_days(conn, dialect, groups)
    if dialect == "postgresql":
        with _driver(conn).cursor() as cursor:
            for columns, rows in groups.items():
                names = ", ".join((*CELL_COLUMNS, *columns))
                with cursor.copy(f"COPY stats_daily ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        return
    driver = _driver(conn)
    for columns, rows in groups.items():
        marks = ", ".join("?" * (len(CELL_COLUMNS) + len(columns)))
        names = ", ".join((*CELL_COLUMNS, *columns))
        driver.executemany(f"INSERT INTO stats_daily ({names}) VALUES ({marks})", rows)


def write_cells(conn: Connection, dialect: str, delta: Delta) -> int:
    """Add ``delta`` to the cells and delete those it left at zero (only a difference with
    negative counts can). The number of cells written."""
    groups, negative = cell_rows(delta, dialect)
    write_rows(conn, dialect, groups)
    if negative:
        drop_zero_rows(conn, sorted({cell[0] for cell in delta}))
    return sum(len(rows) for rows in groups.values())


def _iso_days() -> Callable[[date], str]:
    """A day as SQLite keeps it (ISO text), remembered: cells share a few hundred days."""
    known: dict[date, str] = {}

    def iso(day: date) -> str:
        text_ = known.get(day)
        if text_ is None:
            text_ = known[day] = day.isoformat()
        return text_

    return iso


def _pg_add(conn: Connection, groups: Groups) -> None:
    if not groups:
        return
    conn.execute(
        text(
            "CREATE TEMP TABLE IF NOT EXISTS stats_stage (LIKE stats_daily INCLUDING DEFAULTS)"
            " ON COMMIT DELETE ROWS"
        )
    )
    with _driver(conn).cursor() as cursor:
        for columns, rows in groups.items():
            names = ", ".join((*CELL_COLUMNS, *columns))
            with cursor.copy(f"COPY stats_stage ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        # No cell comes twice in the staging table, as ON CONFLICT DO UPDATE requires.
        cursor.execute(_upsert(COLUMNS, f"SELECT {', '.join(_ALL)} FROM stats_stage"))
        cursor.execute("DELETE FROM stats_stage")
