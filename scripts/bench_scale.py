"""Make a benchmark database large quickly: copy a generated database's orders into another
backend, and multiply them under new ids (``bench_core.py --existing FILE --multiply K``).

Run on its own, it times ``ticket find`` at scale, for words and for fragments only the
character bigrams find, beside the reference (the same orders indexed by their words alone, as
before the bigrams):

    .venv/bin/hotline demo --orders 100000          # then, with its database file:
    .venv/bin/python scripts/bench_scale.py --existing FILE --multiply 10 --backend both
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
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


# ------------------------------------------------------------------------ find by fragment

# Words jieba keeps whole (found by the words before and after the bigrams), and fragments it
# cuts apart or that are no word at all (found only by the bigrams since issue 14): a common
# bigram, a two-character fragment, phrases of two and three bigrams, and two that match
# nothing, the slowest kind (no early stop at the first page).
FIND_WORDS = ("执照", "施工单位", "噪音")
FIND_FRAGMENTS = ("作人", "不亮", "网上办", "楼顶加建", "灯亮", "路灯停水")


def words_only(hl: Hotline) -> None:
    """Make this database's orders indexed as before the bigrams: ``search_text`` back to
    jieba's words alone (the stored text without its bigram tail), the index rebuilt."""
    from db import search_index
    from hotline_tui.domain.text import char_bigrams

    engine = hl.engines.write
    with engine.begin() as conn:
        search_index.drop(conn)
        rows = conn.execute(text("SELECT id, title, description, search_text FROM ticket"))
        changes = []
        for row_id, title, description, stored in rows.all():
            tail = " ".join(char_bigrams(f"{title} {description}"))
            words = stored[: -len(tail)].rstrip() if tail and stored.endswith(tail) else stored
            changes.append({"i": row_id, "t": words})
        for start in range(0, len(changes), 5000):
            conn.execute(
                text("UPDATE ticket SET search_text = :t WHERE id = :i"),
                changes[start : start + 5000],
            )
        search_index.create(conn)
        search_index.rebuild(conn)


@contextlib.contextmanager
def old_query_terms() -> Iterator[None]:
    """``queries.find`` as it was before the bigrams: a query's jieba words, each one token."""
    from hotline_tui.domain.text import search_terms
    from hotline_tui.services.tickets import queries

    saved = vars(queries)["fragment_phrases"]
    setattr(queries, "fragment_phrases", search_terms)  # noqa: B010  (not exported)
    try:
        yield
    finally:
        setattr(queries, "fragment_phrases", saved)  # noqa: B010


def bench_find(
    hl: Hotline, reference: Hotline | None, report: Any, backend: str, runs: int
) -> None:
    """p50/p95 of ``ticket find`` (the service, a page of 50, newest first) for words and
    fragments; beside each, the reference: the same query on the same orders indexed by their
    words alone and looked up as before, the two taking turns so that a busy machine slows
    both alike. ``hits`` is what the first page found (of 50) with the bigrams / before."""
    from hotline_tui.services.admin.users import system_actor
    from hotline_tui.services.tickets import queries

    actor = system_actor(hl)
    for kind, words in [("word", w) for w in FIND_WORDS] + [
        ("fragment", w) for w in FIND_FRAGMENTS
    ]:
        query = queries.FindQuery(words=words)
        hits = len(queries.find(hl, actor, query))  # and warms the caches
        mine: list[float] = []
        theirs: list[float] = []
        old_hits = 0
        if reference is not None:
            with old_query_terms():
                old_hits = len(queries.find(reference, actor, query))
        for _ in range(runs):
            started = time.perf_counter()
            queries.find(hl, actor, query)
            mine.append((time.perf_counter() - started) * 1000)
            if reference is not None:
                with old_query_terms():
                    started = time.perf_counter()
                    queries.find(reference, actor, query)
                    theirs.append((time.perf_counter() - started) * 1000)
        figure = f"p50 {_median(mine):6.2f}  p95 {_p95(mine):6.2f} ms  hits {hits:2d}"
        if theirs:
            figure += (
                f"   | reference (words only) p50 {_median(theirs):6.2f}"
                f"  p95 {_p95(theirs):6.2f} ms  hits {old_hits:2d}"
            )
        verdict = "ok" if _p95(mine) <= 20.0 else "MISSED"
        report.add(backend, f"find {kind} {words}", figure, f"p95 <= 20 ms: {verdict}")


def _median(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2]


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    """``bench_scale.py --existing FILE --multiply K``: ``ticket find`` at scale, with the
    words-only reference (see :func:`bench_find`) built from the same orders."""
    import argparse
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from bench_common import PG_DEFAULT, Report, fresh_database, open_core
    from sqlalchemy.engine import make_url

    from hotline_tui.domain.text import configure_segmenter

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--existing", required=True, metavar="SQLITE_FILE")
    parser.add_argument("--multiply", type=int, default=10)
    parser.add_argument("--backend", choices=["sqlite", "pg", "both"], default="both")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--pg-url", default=os.environ.get("HOTLINE_BENCH_PG", PG_DEFAULT))
    args = parser.parse_args()
    report = Report()
    backends = ["sqlite", "pg"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        folder = Path(tmp)
        configure_segmenter(folder / "cache" / "jieba")
        for backend in backends:
            with contextlib.ExitStack() as stack:
                cores = []
                for role in ("bigrams", "reference")[: 1 if args.no_reference else 2]:
                    url = stack.enter_context(fresh_database(backend, args.pg_url, folder))
                    if backend == "sqlite":
                        shutil.copyfile(args.existing, make_url(url).database or "")
                    hl = open_core(url, folder)
                    stack.callback(hl.close)
                    if backend == "pg":
                        copy_orders(args.existing, hl)
                    if role == "reference":
                        words_only(hl)
                    total, seconds = multiply_orders(hl, args.multiply)
                    print(f"  {backend} {role}: {total:,} orders ({seconds:.0f} s)", flush=True)
                    cores.append(hl)
                reference = cores[1] if len(cores) > 1 else None
                bench_find(cores[0], reference, report, backend, args.runs)
    report.print()


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
