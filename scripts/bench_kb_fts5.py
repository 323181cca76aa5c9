"""The reference ``scripts/bench_kb.py`` measures the knowledge index against: SQLite FTS5 over
the same jieba tokens and the same query terms, ranked by its bm25."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence

from hotline_tui.domain.text import segment_for_search
from kb_index import query_terms

__all__ = ["Fts5"]


class Fts5:
    """SQLite FTS5 over the same jieba tokens (unicode61 splits on the spaces), bm25 ranking."""

    def __init__(self, docs: Sequence[tuple[int, str, str]]) -> None:
        started = time.perf_counter()
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE kb USING fts5(title, body, tokenize='unicode61')")
        self.db.executemany(
            "INSERT INTO kb(rowid, title, body) VALUES (?, ?, ?)",
            ((i, segment_for_search(t), segment_for_search(b)) for i, t, b in docs),
        )
        self.db.commit()
        self.build_seconds = time.perf_counter() - started

    def search(self, text: str, *, highlight: bool, limit: int = 10) -> list[int]:
        terms = query_terms(text)[:10]
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        columns = "rowid, snippet(kb, 1, '[', ']', '…', 16)" if highlight else "rowid"
        rows = self.db.execute(
            f"SELECT {columns} FROM kb WHERE kb MATCH ? ORDER BY bm25(kb, 2.5, 1.0) LIMIT ?",
            (match, limit),
        ).fetchall()
        return [int(row[0]) for row in rows]
