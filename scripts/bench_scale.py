"""Make a benchmark database large quickly: copy a generated database's orders into another
backend, and multiply them under new ids (``bench_core.py --existing FILE --multiply K``)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import create_engine, select, text

from hotline_tui.services.context import Hotline

COPIED_TABLES = ("caller", "ticket", "assignment")


def copy_orders(source: str, hl: Hotline) -> None:
    """Replace this database's orders with a SQLite file's, so that one generated database can
    be measured on PostgreSQL too. Both were seeded with the same city, so reference ids agree
    (checked); the orders' own rows are copied as they are."""
    from sqlmodel import SQLModel

    from db.models import load_all

    load_all()
    tables = SQLModel.metadata.tables
    reader = create_engine(f"sqlite:///file:{source}?mode=ro&uri=true")
    with reader.connect() as src, hl.engines.write.begin() as conn:
        for name in ("department", "category", "area"):
            pairs = f"SELECT id, code FROM {name} ORDER BY id"
            if list(src.execute(text(pairs))) != list(conn.execute(text(pairs))):
                raise SystemExit(f"{source}: its {name} rows differ from this database's")
        conn.execute(text("SET session_replication_role = replica"))  # no FK checks: a copy
        for name in reversed(COPIED_TABLES):
            conn.execute(tables[name].delete())
        for name in COPIED_TABLES:
            columns = [c for c in tables[name].columns if c.name != "search_tsv"]
            rows = src.execution_options(yield_per=5000).execute(select(*columns))
            for batch in rows.partitions():
                conn.execute(tables[name].insert(), [row._asdict() for row in batch])
        _reset_sequences(conn)
    reader.dispose()


def multiply_orders(hl: Hotline, times: int) -> tuple[int, float]:
    """Make the database ``times`` as large by copying every order and its assignments under
    new ids, numbers and (for the full-text index) the same text.

    Returns the orders there are now and the seconds it took. A stand-in for generating a
    million orders one by one (half an hour on a quiet machine):
    the queries timed here depend on how many rows there are and how they are spread over
    states, departments and words, which copying keeps. A copied caller has ``times`` as many
    orders, which only makes the phone search harder.
    """
    from sqlmodel import SQLModel

    from db.models import load_all

    load_all()
    started = time.perf_counter()
    tables = SQLModel.metadata.tables
    engine = hl.engines.write
    pg = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        if pg:
            conn.execute(text("SET session_replication_role = replica"))
        tickets = int(conn.execute(text("SELECT max(id) FROM ticket")).scalar() or 0)
        parts = int(conn.execute(text("SELECT max(id) FROM assignment")).scalar() or 0)
        number = (
            "left(number, 8) || lpad((id + :dt)::text, greatest(6, length((id + :dt)::text)), '0')"
            if pg
            else "substr(number, 1, 8) || printf('%06d', id + :dt)"
        )
        shifted = {
            "ticket": {
                "id": "id + :dt",
                "number": number,
                "parent_id": "parent_id + :dt",
                "lead_assignment_id": "lead_assignment_id + :da",
            },
            "assignment": {"id": "id + :da", "ticket_id": "ticket_id + :dt"},
        }
        for copy in range(1, times):
            for name in ("ticket", "assignment"):
                names = [c.name for c in tables[name].columns if c.name != "search_tsv"]
                values = [shifted[name].get(n, f'"{n}"') for n in names]
                conn.execute(
                    text(
                        f'INSERT INTO "{name}" ({", ".join(chr(34) + n + chr(34) for n in names)})'
                        f' SELECT {", ".join(values)} FROM "{name}" WHERE id <= :top'
                    ),
                    {
                        "dt": tickets * copy,
                        "da": parts * copy,
                        "top": tickets if name == "ticket" else parts,
                    },
                )
            print(f"    … copy {copy} of {times - 1}", flush=True)
        _reset_sequences(conn)
    if pg:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # autovacuum may be off on a test server
    with hl.reading() as session:
        total = int(session.execute(text("SELECT count(*) FROM ticket")).scalar() or 0)
    return total, time.perf_counter() - started


def _reset_sequences(conn: Any) -> None:
    if conn.dialect.name != "postgresql":
        return
    for name in ("ticket", "assignment", "caller"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {name}))"
            )
        )
