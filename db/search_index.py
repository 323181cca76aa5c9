"""The database's own full-text index over segmented order text, behind one query helper.

SQLite: an FTS5 table ``ticket_fts`` with external content (``ticket.search_text``) kept in step
by triggers. PostgreSQL: a generated ``search_tsv`` tsvector column with a GIN index. Both index
the text as ``hotline_tui.domain.text.order_search_text`` makes it: the words jieba cut (search
mode, so that 执照 matches 营业执照) and then the text's character bigrams, so that a fragment
jieba cut apart (路灯 in 江滨路路灯不亮, cut 路路 / 灯不亮) is found as the phrase of its
bigrams; the 'simple' configuration then only splits on spaces and lowercases.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, column, literal_column, table, text

S = TypeVar("S", bound="Select[Any]")

FTS_TABLE = "ticket_fts"
TSV_COLUMN = "search_tsv"
TSV_INDEX = "ix_ticket_search_tsv"
TSV_STATISTICS = 1000

SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_text, content='ticket', content_rowid='id', tokenize='unicode61')",
    f"""CREATE TRIGGER ticket_fts_ai AFTER INSERT ON ticket BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"""CREATE TRIGGER ticket_fts_ad AFTER DELETE ON ticket BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    f"""CREATE TRIGGER ticket_fts_au AFTER UPDATE OF search_text ON ticket BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ticket_fts_au",
    "DROP TRIGGER IF EXISTS ticket_fts_ad",
    "DROP TRIGGER IF EXISTS ticket_fts_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRES_DDL = [
    f"ALTER TABLE ticket ADD COLUMN {TSV_COLUMN} tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    f"CREATE INDEX {TSV_INDEX} ON ticket USING gin ({TSV_COLUMN})",
    # The planner guesses how many orders hold a token from the commonest tokens it keeps (ten
    # per statistics target); one it did not keep (a rare bigram, or one in no order) is taken
    # for half as common as the least of them. With the default (1,000 tokens, of hundreds of
    # thousands of distinct bigrams) a bigram in no order was guessed in 0.4% of them, and the
    # planner scanned the whole table backwards for it (1.9 s at a million orders) instead of
    # asking the index (0.1 ms).
    f"ALTER TABLE ticket ALTER COLUMN {TSV_COLUMN} SET STATISTICS {TSV_STATISTICS}",
]
POSTGRES_DROP = [
    f"DROP INDEX IF EXISTS {TSV_INDEX}",
    f"ALTER TABLE ticket DROP COLUMN {TSV_COLUMN}",
]


def is_search_index_object(name: str | None, type_: str) -> bool:
    """True for the objects created here, which Alembic's autogenerate must not touch."""
    if name is None:
        return False
    return name.startswith(FTS_TABLE) or name in (TSV_COLUMN, TSV_INDEX)


def create(connection: Connection) -> None:
    """Create the index for the connection's backend (called from a migration)."""
    statements = SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL
    for statement in statements:
        connection.execute(text(statement))


def rebuild(connection: Connection) -> None:
    """Index every stored order again (SQLite: the FTS5 table is filled from ``ticket``;
    PostgreSQL's generated column was computed for every row when it was added)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def drop(connection: Connection) -> None:
    statements = SQLITE_DROP if connection.dialect.name == "sqlite" else POSTGRES_DROP
    for statement in statements:
        connection.execute(text(statement))


def newest_matching(query: S, dialect: str, terms: list[str], *, below: int | None = None) -> S:
    """``query`` (over ``ticket``) narrowed to orders containing every term, newest first.

    A term is a phrase: space-separated tokens that must stand in this order, one after the
    other (``hotline_tui.domain.text.fragment_phrases`` makes them). ``below``: only orders
    with a smaller id (the next batch of an export), a bound the full-text table starts from.

    On SQLite the full-text table drives the search in descending rowid order, so the first
    page costs the same whether a word is in fifty orders or fifty thousand; an ``IN (SELECT
    rowid …)`` form first collects every matching rowid, which is what made a common word
    such as 执照 slow on a million orders. PostgreSQL's planner chooses between
    the GIN index and a backward scan of the primary key by itself.
    """
    if dialect == "sqlite":
        fts = table(FTS_TABLE, column("rowid"))
        query = query.join(fts, fts.c.rowid == literal_column("ticket.id")).where(
            text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=_fts_query(terms))
        )
        if below is not None:
            query = query.where(fts.c.rowid < below)
        return query.order_by(fts.c.rowid.desc())
    if below is not None:
        query = query.where(literal_column("ticket.id") < below)
    return query.where(_tsv_match(terms)).order_by(literal_column("ticket.id").desc())


def _fts_query(terms: list[str]) -> str:
    """Each term quoted as a phrase: query syntax in the user's words (AND, brackets, quotes)
    is only ever searched for."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _tsv_match(terms: list[str]) -> ColumnElement[bool]:
    """Every term as a phrase (``phraseto_tsquery``: its tokens next to each other), ANDed."""
    names = [f"ts_phrase_{i}" for i in range(len(terms))]
    query = " && ".join(f"phraseto_tsquery('simple', :{name})" for name in names)
    return text(f"ticket.{TSV_COLUMN} @@ ({query})").bindparams(
        **dict(zip(names, terms, strict=True))
    )  # type: ignore[return-value]
