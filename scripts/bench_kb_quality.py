"""The quality half of ``scripts/bench_kb.py``: the real Q&A pairs' answers imported, each
question searched, and recall@1, recall@5 and MRR@10 reported for every ranking (the console's,
words and characters only, Whoosh's matchers, BM25F alone, SQLite FTS5), on all pairs and on the
tuning and held-out halves. Also the fresh core both halves of the benchmark run on."""

from __future__ import annotations

import csv
import random
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_kb_fts5 import Fts5  # noqa: E402
from sqlmodel import select  # noqa: E402

from db.engine import make_engines  # noqa: E402
from db.models import KbArticle  # noqa: E402
from hotline_tui.services.admin.audit_key import create_key  # noqa: E402
from hotline_tui.services.admin.install import initialise  # noqa: E402
from hotline_tui.services.admin.users import system_actor  # noqa: E402
from hotline_tui.services.context import Hotline  # noqa: E402
from hotline_tui.services.kb.importing import import_articles  # noqa: E402
from hotline_tui.services.kb.search import KnowledgeBase  # noqa: E402
from hotline_tui.settings import Settings  # noqa: E402
from kb_index import IndexReader  # noqa: E402
from kb_index.vectors import VECTORS_FILE  # noqa: E402

__all__ = ["SPLIT_SEED", "core", "embed", "quality", "ranks", "read_pairs", "split_halves"]


def core(folder: Path) -> Hotline:
    """A fresh SQLite database in ``folder``; jieba's cache is shared beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "audit.key"
    create_key(key)
    settings = Settings(
        data_dir=folder,
        database_url=f"sqlite:///{folder / 'hotline.db'}",
        audit_key_file=key,
        cache_dir=folder.parent / "cache",
        log_file=folder / "hotline.log",
    )
    hl = Hotline(settings, make_engines(settings.db_url))
    initialise(hl)
    return hl


def read_pairs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["answer"].strip()]


SPLIT_SEED = 20261126
"""The fixed seed that splits the pairs into a tuning half and a held-out half: parameters are
chosen on the tuning half only, and the held-out half says whether they generalise."""


def split_halves(count: int, seed: int = SPLIT_SEED) -> tuple[set[int], set[int]]:
    """(tuning, held-out) indexes of ``count`` pairs, half each, by a seeded shuffle."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return set(order[: count // 2]), set(order[count // 2 :])


def _figures(ranks_found: Sequence[int | None]) -> dict[str, float]:
    n = max(1, len(ranks_found))
    return {
        "queries": len(ranks_found),
        "recall@1": sum(1 for r in ranks_found if r is not None and r == 0) / n,
        "recall@5": sum(1 for r in ranks_found if r is not None and r < 5) / n,
        "mrr@10": sum(1.0 / (r + 1) for r in ranks_found if r is not None) / n,
    }


def ranks(pairs: list[dict[str, str]], search: Callable[[str], list[str]]) -> dict[str, Any]:
    """recall@1, recall@5, MRR@10: a hit is the question's own answer or an identical text;
    for all pairs, and for the tuning and held-out halves (:func:`split_halves`)."""
    found_ranks: list[int | None] = []
    for pair in pairs:
        own = pair["answer"].strip()
        found = search(pair["question"])[:10]
        found_ranks.append(next((i for i, key in enumerate(found) if key == own), None))
    tuning, held_out = split_halves(len(pairs))
    report: dict[str, Any] = _figures(found_ranks)
    report["tuning_half"] = _figures([r for i, r in enumerate(found_ranks) if i in tuning])
    report["held_out_half"] = _figures([r for i, r in enumerate(found_ranks) if i in held_out])
    return report


def embed(kb: KnowledgeBase, cache: Path | None, budget: float | None = None) -> dict[str, Any]:
    """Fill the index's passage vectors (from ``cache`` first, a vectors.sqlite kept between
    runs: keyed by text and model, so it can only save time), within ``budget`` seconds."""
    target = kb.directory / VECTORS_FILE
    if cache is not None and cache.exists():
        shutil.copyfile(cache, target)
    started = time.perf_counter()
    stop = (lambda: time.perf_counter() - started > budget) if budget else (lambda: False)
    stats = kb.fill_vectors(stop=stop)
    if cache is not None and target.exists():
        shutil.copyfile(target, cache)
    return {"embedded": stats.embedded, "left": stats.pending, "seconds": stats.seconds}


def quality(pairs_path: Path, work: Path, cache: Path | None = None) -> dict[str, Any]:
    hl = core(work / "pairs")
    actor = system_actor(hl)
    pairs = read_pairs(pairs_path)
    answers_only = work / "answers_only.csv"
    with answers_only.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "answer", "department"])
        for pair in pairs:
            writer.writerow([pair["id"], pair["answer"], pair["department"]])
    started = time.perf_counter()
    imported = import_articles(hl, actor, answers_only)
    import_seconds = time.perf_counter() - started
    kb = KnowledgeBase(hl, refresh_seconds=0)
    stats = kb.rebuild(actor)
    embedding = embed(kb, cache)
    kb.load_model()
    words_only = IndexReader(kb.directory)  # no model: words, then characters
    with hl.reading() as session:
        text_of = {a.id or 0: a.body.strip() for a in session.exec(select(KbArticle))}

    def ours(
        question: str, engine: str = "fast", rerank: bool = True, reader: IndexReader = kb.reader
    ) -> list[str]:
        results = reader.search(
            question, limit=10, highlight_hits=False, engine=engine, rerank_hits=rerank
        )
        return [text_of[hit.article_id] for hit in results.hits]

    fts = Fts5([(i, "", text) for i, text in text_of.items()])
    report = {
        "pairs": len(pairs),
        "imported": imported.created,
        "import_seconds": import_seconds,
        "build_seconds": stats.seconds,
        "embedding": embedding,
        "whoosh_bm25f_fast": ranks(pairs, ours),
        "whoosh_words_chars": ranks(pairs, lambda q: ours(q, reader=words_only)),
        "whoosh_matchers": ranks(pairs, lambda q: ours(q, "whoosh")),
        "whoosh_bm25f_only": ranks(pairs, lambda q: ours(q, rerank=False)),
        "fts5": ranks(pairs, lambda q: [text_of[i] for i in fts.search(q, highlight=False)]),
    }
    words_only.close()
    kb.close()
    hl.close()
    return report
