"""Automatic answers and search quality on questions nobody tuned for. Prints; asserts nothing.

    python scripts/bench_autoanswer.py [--pairs ../shared/data/kb/qa_pairs.csv] [--workdir DIR]
                                       [--cache /tmp/kbaa] [--folds 5] [--json] [--rows FILE]

The setup, from the shared Q&A pairs (split by a fixed seed):

- 60% are imported as articles titled by their question (the knowledge base as it is kept);
- 20% are imported with a title taken from the answer's first sentence, not the question: their
  questions are real questions asked of articles that were not written for them;
- 20% are not imported: their questions have no answer in the knowledge base.

Every question is asked. **Automatic answers**: each question's best hit is right when its text
is the question's own answer; a question of the third group is right only unanswered. Precision
(answers right / answers given) and coverage (answers given / questions) by cross-validation
(``--folds``, the folds stratified): the threshold is chosen on the other folds for precision
0.95, (a) on the raw search score, (b) on the calibrated probability
(:mod:`hotline_tui.services.kb.autoanswer_fit`, itself cross-validated within the training
folds), both applied to the held-out fold, side by side. **Search quality**: recall@5 of the
second group's questions and of their keywords (jieba's TF-IDF keywords of the question, four at
most, separated by spaces), as the self-service channel ranks (keywords by meaning too), as the
console ranks and, as the reference, by BM25F alone.

Embedding the articles takes minutes on one core: the passages' vectors are kept in
``--cache`` (by text and model) and the queries' too, so a second run costs seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_autoanswer_parts import (  # noqa: E402
    CachedEmbedder,
    cross_validate,
    keywords_of,
    recall_at,
)
from bench_kb_quality import core, embed, read_pairs  # noqa: E402

from hotline_tui.services.admin.users import system_actor  # noqa: E402
from hotline_tui.services.kb.autoanswer_observe import observe  # noqa: E402
from hotline_tui.services.kb.importing import import_articles  # noqa: E402
from hotline_tui.services.kb.search import KnowledgeBase  # noqa: E402
from kb_index.semantic import load_embedder  # noqa: E402

DEFAULT_PAIRS = ROOT.parent / "shared/data/kb/qa_pairs.csv"
SEED = 20261208
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_NUMBERING = re.compile(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]+[)）、.．]\s*)+")


def first_sentence(answer: str, width: int = 60) -> str:
    """The answer's first sentence (list numbering left out), cut to ``width`` characters."""
    text = _NUMBERING.sub("", answer.strip())
    found = _SENTENCE_END.search(text)
    sentence = (text[: found.start()] if found else text).strip() or text.strip()
    return sentence[:width]


def groups(count: int, seed: int = SEED) -> list[str]:
    """Each pair's group: ``titled`` (60%), ``first`` (20%), ``absent`` (20%)."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    kinds = [""] * count
    for rank, index in enumerate(order):
        share = rank / count
        kinds[index] = "titled" if share < 0.6 else "first" if share < 0.8 else "absent"
    return kinds


def write_import(pairs: Sequence[dict[str, str]], kinds: Sequence[str], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "question", "answer", "department"])
        for pair, kind in zip(pairs, kinds, strict=True):
            if kind == "absent":
                continue
            title = pair["question"] if kind == "titled" else first_sentence(pair["answer"])
            writer.writerow([pair["id"], title, pair["answer"], pair["department"]])


def setup(
    pairs_path: Path, work: Path, cache: Path
) -> tuple[Any, Any, list[dict[str, str]], list[str]]:
    hl = core(work / "kb")
    actor = system_actor(hl)
    pairs = read_pairs(pairs_path)
    kinds = groups(len(pairs))
    source = work / "import.csv"
    write_import(pairs, kinds, source)
    import_articles(hl, actor, source)
    kb = KnowledgeBase(hl, refresh_seconds=0)
    kb.rebuild(actor)
    cache.mkdir(parents=True, exist_ok=True)
    embedding = embed(kb, cache / "vectors.sqlite")
    print(f"passages embedded now: {embedding['embedded']} ({embedding['seconds']:.0f} s)")
    model = load_embedder()
    if model is not None:
        cached = CachedEmbedder(model, cache / "queries.npz")
        kb._embedder = cached  # the benchmark's own cache of query vectors
        kb.reader.use_embedder(cached)
    return hl, kb, pairs, kinds


def observe_all(
    kb: KnowledgeBase, actor: Any, pairs: Sequence[dict[str, str]], kinds: Sequence[str]
) -> list[dict[str, Any]]:
    """Each question searched: features, raw score, whether the best hit is its answer, and
    the rank of its answer (by text: identical answers count)."""
    bodies = {p["id"]: p["answer"].strip() for p in pairs}
    rows: list[dict[str, Any]] = []
    for pair, kind in zip(pairs, kinds, strict=True):
        seen = observe(kb, actor, pair["question"])
        own = pair["answer"].strip()
        texts = [bodies.get(hit.source_key.split(":", 1)[-1], "") for hit in seen.hits]
        rank = next((i for i, text in enumerate(texts) if text == own), None)
        rows.append(
            {
                "kind": kind,
                "features": seen.features,
                "score": seen.hits[0].score if seen.hits else 0.0,
                "correct": rank == 0,
                "rank": rank,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/kbaa"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rows", type=Path, help="write each question's features here (JSON)")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-autoanswer-", dir=args.workdir) as tmp:
        hl, kb, pairs, kinds = setup(args.pairs, Path(tmp), args.cache)
        actor = system_actor(hl)
        try:
            rows = observe_all(kb, actor, pairs, kinds)
            if args.rows:
                args.rows.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
            report: dict[str, Any] = {
                "questions": len(rows),
                "groups": {k: kinds.count(k) for k in ("titled", "first", "absent")},
                "answers": cross_validate(rows, args.folds),
            }
            report["recall@5"] = recall_at(kb, pairs, kinds, keywords_of)
        finally:
            if isinstance(kb._embedder, CachedEmbedder):
                kb._embedder.save()
            kb.close()
            hl.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    show(report)


def show(report: dict[str, Any]) -> None:
    print(f"questions {report['questions']}: {report['groups']}")
    print("automatic answers (cross-validated; goal precision >= 0.95 at coverage >= 40%):")
    for name, figures in report["answers"].items():
        print(
            f"  {name:<22} precision {figures['precision']:.3f}  coverage {figures['coverage']:.3f}"
            f"  (answered {figures['answered']}, right {figures['right']})"
        )
    print("recall@5 of the held-back questions (answers titled by their first sentence):")
    for name, value in report["recall@5"].items():
        print(f"  {name:<22} {value:.3f}")


if __name__ == "__main__":
    main()
