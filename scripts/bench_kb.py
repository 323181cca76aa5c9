"""Knowledge-base benchmark: search quality on the real Q&A pairs, speed on 20,000 articles,
and SQLite FTS5 over the same corpus and queries as the reference. Prints; asserts nothing.

    python scripts/bench_kb.py [--pairs ../shared/data/kb/qa_pairs.csv] [--articles 20000]
                               [--queries 200] [--workdir DIR] [--json]

1. Quality: the pairs' answers are imported through ``hotline kb import`` with their titles left
   empty (a CSV without the question column), the index is built from the database, and each
   question is searched: is its own answer (or an identical one) at rank 1, in the top 5, and
   at which rank within 10 (recall@1, recall@5, MRR@10); as the console ranks (BM25F and the
   model's similarity, :mod:`kb_index.semantic`, once the passages are embedded), with
   Whoosh's matchers, by words and characters without the model (:mod:`kb_index.rerank`),
   with BM25F alone, and with FTS5.
2. Speed: a generated corpus (:func:`hotline_tui.domain.kb_corpus.generated_articles`) is
   written through the services into a fresh SQLite database; the index is built from it
   (build time, size) and its passages embedded for ``--embed-seconds``; short queries (two or
   three words) and long descriptions (as typed at intake) are searched with and without
   highlighting through the service (:class:`KnowledgeBase`), also with Whoosh's own matchers,
   and with FTS5; 200 of the real questions with and without the model.
3. Cold start: a new process opens the index and answers one query.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_kb_fts5 import Fts5  # noqa: E402
from bench_kb_quality import core, embed, quality, read_pairs  # noqa: E402
from sqlmodel import select  # noqa: E402

from db.models import KbArticle  # noqa: E402
from hotline_tui.demo.kb_articles import corpus_input  # noqa: E402
from hotline_tui.domain.kb import ArticleStatus  # noqa: E402
from hotline_tui.domain.kb_corpus import TOPICS, generated_articles  # noqa: E402
from hotline_tui.domain.text import configure_segmenter  # noqa: E402
from hotline_tui.services import uow as uow_module  # noqa: E402
from hotline_tui.services.admin.users import system_actor  # noqa: E402
from hotline_tui.services.context import Hotline  # noqa: E402
from hotline_tui.services.kb.articles import write_article_op  # noqa: E402
from hotline_tui.services.kb.search import SUGGEST_TERMS, KbFilters, KnowledgeBase  # noqa: E402
from kb_index import MAX_TERMS  # noqa: E402
from kb_index.builder import directory_size  # noqa: E402

DEFAULT_PAIRS = ROOT.parent / "shared/data/kb/qa_pairs.csv"
ANY = KbFilters(statuses=("published",), include_out_of_effect=True)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- speed ---------------------------------------------------------------------------------------

_OPENERS = ("您好，", "你好，我想咨询一下，", "喂，", "请问一下，", "")
_WHO = ("我是外地来青川打工的，", "我家老人", "我们公司", "我在东湖区开了个小店，", "我孩子", "")
_TROUBLE = (
    "之前去窗口问过一次没说清楚，",
    "在网上查了半天也没找到，",
    "朋友说可以在手机上办但我不会弄，",
    "跑了两趟了还是没办成，",
    "",
)
_ASKS = (
    "想问问{s}到底要带哪些材料，去哪里办，多久能办好？",
    "{s}能不能网上办，需要本人去吗？",
    "听说{s}有新政策了，现在是什么条件，收不收费？",
    "麻烦帮我查一下{s}的进度，已经等了很久了。",
)
_INTENTS = ("材料", "条件", "流程", "地点", "多久", "收费", "网上办理", "进度")


def make_queries(count: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """Short queries (two or three words) and long intake descriptions, ``count`` of each."""
    rng = random.Random(seed)
    short: list[str] = []
    long: list[str] = []
    for _ in range(count):
        topic = rng.choice(TOPICS)
        words = [rng.choice((topic.key, *topic.tags, *topic.synonyms)), rng.choice(_INTENTS)]
        if rng.random() < 0.4:
            words.append(rng.choice(("青川", "东湖区", "个人", "企业", "老年人")))
        short.append(" ".join(words))
        long.append(
            rng.choice(_OPENERS)
            + rng.choice(_WHO)
            + rng.choice(_TROUBLE)
            + rng.choice(_ASKS).format(s=topic.subject)
        )
    return short, long


def load_corpus(hl: Hotline, count: int) -> float:
    actor = system_actor(hl)
    items = list(generated_articles(count))
    started = time.perf_counter()
    for start in range(0, len(items), 2000):
        chunk = items[start : start + 2000]

        def work(uow: uow_module.UnitOfWork, chunk: list[Any] = chunk) -> None:
            for item in chunk:
                write_article_op(
                    uow,
                    corpus_input(item, {}, {}),
                    status=ArticleStatus.PUBLISHED,
                    ext_key=f"bench:{item.key}",
                    action="import",
                )

        uow_module.write(hl, actor, work)
    return time.perf_counter() - started


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the build's worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable[[str], object], queries: Sequence[str]) -> dict[str, float]:
    """Wall-clock and CPU percentiles (the CPU time of this process is what a query costs
    when other programs share the machine)."""
    run(queries[0])  # warm
    wall: list[float] = []
    cpu: list[float] = []
    for query in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        run(query)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "p50_ms": percentile(wall, 0.5),
        "p95_ms": percentile(wall, 0.95),
        "mean_ms": statistics.fmean(wall),
        "cpu_p50_ms": percentile(cpu, 0.5),
        "cpu_p95_ms": percentile(cpu, 0.95),
    }


COLD = """
import sys, time, json
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from hotline_tui.domain.text import configure_segmenter, prepare_segmenter
from kb_index import IndexReader
configure_segmenter(Path(sys.argv[3]))
prepare_segmenter()
segmenter = time.perf_counter()
reader = IndexReader(Path(sys.argv[2]))
hits = reader.search("营业执照 办理 材料").hits
print(json.dumps({"jieba_s": segmenter - started, "total_s": time.perf_counter() - started,
                  "hits": len(hits)}))
"""


def speed(
    count: int,
    query_count: int,
    work: Path,
    cache: Path | None,
    embed_seconds: float | None,
    pairs_path: Path,
) -> dict[str, Any]:
    hl = core(work / "corpus")
    actor = system_actor(hl)
    insert_seconds = load_corpus(hl, count)
    kb = KnowledgeBase(hl, refresh_seconds=0)
    cpu_before = _cpu_seconds()
    stats = kb.rebuild(actor)
    build_cpu = _cpu_seconds() - cpu_before
    embedding = embed(kb, cache, embed_seconds)
    kb.load_model()
    short, long = make_queries(query_count)
    report: dict[str, Any] = {
        "articles": count,
        "insert_seconds": insert_seconds,
        "build_seconds": stats.seconds,
        "build_segmenting_wait_seconds": stats.analyse_seconds,
        "build_workers": stats.workers,
        "build_cpu_seconds": build_cpu,
        "index_bytes": directory_size(kb.directory),
        "embedding": embedding,
        "queries": {"short": len(short), "long": len(long)},
    }

    def ours(highlight: bool, long: bool) -> Callable[[str], object]:
        # Long descriptions are searched as intake's suggestions are (KnowledgeBase.suggest).
        terms = SUGGEST_TERMS if long else MAX_TERMS
        return lambda q: kb.search(
            actor, q, filters=ANY, highlight=highlight, max_terms=terms, meaning=not long
        )

    def reference(highlight: bool) -> Callable[[str], object]:
        return lambda q: fts.search(q, highlight=highlight)

    for label, queries in (("short", short), ("long", long)):
        for highlight in (True, False):
            key = f"{label}_{'highlight' if highlight else 'plain'}"
            report[f"whoosh_{key}"] = timed(ours(highlight, label == "long"), queries)
        report[f"whoosh_matchers_{label}_highlight"] = timed(
            lambda q: kb.reader.search(q, engine="whoosh"), queries
        )
    # Questions as callers ask them, typed into 知识库: these also rank by meaning.
    asked = [pair["question"] for pair in read_pairs(pairs_path)]
    questions = random.Random(11).sample(asked, min(query_count, len(asked)))
    report["queries"]["questions"] = len(questions)
    report["whoosh_question_highlight"] = timed(ours(True, False), questions)
    report["whoosh_question_words_only"] = timed(
        lambda q: kb.search(actor, q, filters=ANY, meaning=False), questions
    )
    with hl.reading() as session:
        docs = [(a.id or 0, a.title, a.body) for a in session.exec(select(KbArticle))]
    fts = Fts5(docs)
    report["fts5_build_seconds"] = fts.build_seconds
    for label, queries in (("short", short), ("long", long)):
        for highlight in (True, False):
            key = f"fts5_{label}_{'highlight' if highlight else 'plain'}"
            report[key] = timed(reference(highlight), queries)
    cold = subprocess.run(
        [sys.executable, "-c", COLD, str(ROOT), str(kb.directory), str(work / "cache/jieba")],
        capture_output=True,
        text=True,
        check=True,
    )
    report["cold_start"] = json.loads(cold.stdout)
    kb.close()
    hl.close()
    return report


def show(report: dict[str, Any]) -> None:
    q = report["quality"]
    print(f"Quality: {q['pairs']} real pairs, answers only (titles empty)")
    e = q["embedding"]
    print(
        f"  passages embedded {e['embedded']} in {e['seconds']:.1f} s"
        f" (left {e['left']}; the rest came from the vector cache)"
    )
    names = ("whoosh_bm25f_fast", "whoosh_matchers", "whoosh_words_chars", "whoosh_bm25f_only")
    for name in (*names, "fts5"):
        for part in ("all", "tuning_half", "held_out_half"):
            r = q[name] if part == "all" else q[name][part]
            print(
                f"  {name:20s} {part:14s} recall@1 {r['recall@1']:.3f}  recall@5 "
                f"{r['recall@5']:.3f}  MRR@10 {r['mrr@10']:.3f}"
            )
    s = report.get("speed")
    if s is None:
        return
    print(
        f"Speed: {s['articles']} generated articles; {s['queries']['short']} short queries, "
        f"{s['queries']['long']} long descriptions, {s['queries']['questions']} real questions"
    )
    print(
        f"  insert through the services {s['insert_seconds']:.1f} s; index build "
        f"{s['build_seconds']:.1f} s ({s['build_workers']} workers, "
        f"{s['build_cpu_seconds']:.1f} CPU s); index "
        f"{s['index_bytes'] / 1_048_576:.1f} MB; FTS5 build {s['fts5_build_seconds']:.1f} s"
    )
    e = s["embedding"]
    print(
        f"  passages embedded {e['embedded']} in {e['seconds']:.1f} s, {e['left']} left without"
        " a vector (the similarity product runs over every row all the same)"
    )
    for name, value in s.items():
        if isinstance(value, dict) and "p95_ms" in value:
            print(
                f"  {name:34s} p50 {value['p50_ms']:6.1f} ms   p95 {value['p95_ms']:6.1f} ms"
                f"   (CPU p50 {value['cpu_p50_ms']:5.1f}, p95 {value['cpu_p95_ms']:5.1f})"
            )
    c = s["cold_start"]
    print(
        f"  cold start (new process to first hits) {c['total_s']:.2f} s, of which jieba "
        f"{c['jieba_s']:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--vector-cache",
        type=Path,
        help="a vectors.sqlite kept between runs (passages embedded once, by text and model)",
    )
    parser.add_argument(
        "--embed-seconds",
        type=float,
        default=120.0,
        help="time given to embedding the generated corpus (0: all of it, about 40 minutes)",
    )
    parser.add_argument(
        "--quality-only", action="store_true", help="only the real pairs (no 20,000 articles)"
    )
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_kb_"))
    if work.exists() and args.workdir:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    configure_segmenter(work / "cache" / "jieba")
    report = {"quality": quality(args.pairs, work, args.vector_cache)}
    if not args.quality_only:
        report["speed"] = speed(
            args.articles,
            args.queries,
            work,
            args.vector_cache,
            args.embed_seconds or None,
            args.pairs,
        )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        show(report)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
