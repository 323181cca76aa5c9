#!/usr/bin/env python3
"""Benchmark of near-duplicate detection (可能重复): precision, recall and the lookup's time.

The test set is built from the shared messages (``scripts/dedup_testset.py``: resubmissions with
edits, punctuation, masked numbers and reordered sentences; hard negatives at the same place and
with different text; related orders from other callers), with filler orders up to ``--size``.

Prints, and never asserts:

(a) the thresholds tried on the tuning half (``DUPLICATE_SCORE`` with the module's boosts), the
    best there (highest recall at precision ≥ 0.95), and the module's own values;
(b) on the report half, with the module's values: precision and recall of 重复, how often a
    related query is shown as related and never as a duplicate — through the LSH index, and
    beside it the same rule over an exact scan (every order of the same caller or place), so
    the recall the index loses is seen;
(c) the lookup's time at ``--size`` indexed orders (normalise, MinHash, LSH probe, exact
    similarity of the candidates, the rule: everything but the read of the candidates' rows),
    p50 and p95, beside a brute-force exact Jaccard scan of the same orders (a few queries);
(d) with ``--data-dir DIR`` (a hotline's data directory, e.g. a demo's), the service's whole
    lookup (catch-up read, LSH, the candidates' rows read, the rule) for each order of the last
    30 days re-typed with a few words more, and how many found their own order as a duplicate.

    .venv/bin/python scripts/bench_dedup.py --size 100000 [--data-dir /tmp/demo]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from dedup_testset import Order, Query, build, load  # noqa: E402

from hotline_tui.domain.near_dup import (  # noqa: E402
    Facts,
    Relation,
    Thresholds,
    judge,
    normalise,
    shingles,
    similarity,
)
from hotline_tui.services.dedup.index import RecentIndex  # noqa: E402

Verdicts = list[tuple[Query, dict[int, Relation]]]


class Orders:
    """The indexed orders, as the service would read them."""

    def __init__(self, orders: list[Order]) -> None:
        self.by_id = {o.id: o for o in orders}
        self.texts = {o.id: normalise(o.text) for o in orders}
        self.groups: dict[str, list[int]] = defaultdict(list)
        for o in orders:
            self.groups["c:" + o.caller].append(o.id)
            if o.place:
                self.groups["p:" + o.place].append(o.id)

    def facts(self, query: Query, mine: frozenset[str], order_id: int) -> Facts:
        order = self.by_id[order_id]
        return Facts(
            similarity(mine, shingles(self.texts[order_id])),
            order.caller == query.caller,
            bool(query.place) and order.place == query.place,
        )


def verdicts(
    orders: Orders, queries: Iterable[Query], candidates: Callable[[Query, str], list[int]]
) -> list[tuple[Query, dict[int, Facts]]]:
    out = []
    for query in queries:
        text = normalise(query.text)
        mine = shingles(text)
        out.append((query, {i: orders.facts(query, mine, i) for i in candidates(query, text)}))
    return out


def score(found: list[tuple[Query, dict[int, Facts]]], t: Thresholds) -> dict[str, float]:
    flagged = correct = positives = hits = related = related_ok = 0
    for query, facts in found:
        relations = {i: judge(f, t) for i, f in facts.items()}
        dups = [i for i, r in relations.items() if r is Relation.DUPLICATE]
        flagged += len(dups)
        if query.kind == "positive":
            positives += 1
            correct += sum(1 for i in dups if i == query.original)
            hits += query.original in dups
        if query.kind == "related":
            related += 1
            related_ok += relations.get(query.original) is Relation.RELATED and not dups
    return {
        "precision": correct / flagged if flagged else 1.0,
        "recall": hits / positives if positives else 0.0,
        "related": related_ok / related if related else 0.0,
        "flagged": flagged,
        "positives": positives,
    }


def line(name: str, s: dict[str, float]) -> str:
    return (
        f"  {name:<34} precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
        f"related shown as related {s['related']:.3f}  ({int(s['flagged'])} flagged, "
        f"{int(s['positives'])} positives)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="orders in the index")
    parser.add_argument("--queries", type=int, default=1500, help="originals to resubmit")
    parser.add_argument("--brute", type=int, default=5, help="queries of the brute-force scan")
    parser.add_argument("--data-dir", type=Path, help="also time the service on this hotline")
    args = parser.parse_args()
    if args.data_dir is not None:
        service_path(args.data_dir)

    started = time.perf_counter()
    indexed, queries = build(load(), args.size, args.queries)
    orders = Orders(indexed)
    index = RecentIndex()
    filled = time.perf_counter()
    for at in range(0, len(indexed), 5000):
        chunk = indexed[at : at + 5000]
        index.add([o.id for o in chunk], [0] * len(chunk), [orders.texts[o.id] for o in chunk])
    index.forget_before(0)  # as after a fill: everything in the sorted arrays
    filled = time.perf_counter() - filled
    kinds: dict[str, int] = defaultdict(int)
    for q in queries:
        kinds[q.kind] += 1
    print(
        f"test set: {len(indexed)} orders ({time.perf_counter() - started:.1f} s to build and "
        f"index; the index filled in {filled:.1f} s, {index.nbytes / 2**20:.1f} MB of arrays); "
        "queries: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    )

    def lsh(query: Query, text: str) -> list[int]:
        return index.candidates(text, 0)

    def exact(query: Query, text: str) -> list[int]:
        ids = set(orders.groups["c:" + query.caller])
        if query.place:
            ids.update(orders.groups["p:" + query.place])
        return sorted(ids)

    tune = [q for q in queries if q.half == 0]
    report = [q for q in queries if q.half == 1]
    tuned = verdicts(orders, tune, lsh)
    print("\n(a) tuning half: DUPLICATE_SCORE tried (caller boost, place boost as the module's)")
    best: tuple[float, float] | None = None
    for step in range(12):
        t = replace(Thresholds(), duplicate_score=0.45 + 0.05 * step)
        s = score(tuned, t)
        print(line(f"duplicate_score {t.duplicate_score:.2f}", s))
        # The highest recall at precision ≥ 0.95; of equal recall, the higher (safer) score.
        if s["precision"] >= 0.95 and (best is None or s["recall"] >= best[1]):
            best = (t.duplicate_score, s["recall"])
    chosen = Thresholds()
    print(f"  best on the tuning half: {best}; the module's: {chosen}")

    print("\n(b) report half, the module's thresholds")
    print(line("LSH index (the service's path)", score(verdicts(orders, report, lsh), chosen)))
    print(line("exact scan (reference)", score(verdicts(orders, report, exact), chosen)))

    print(f"\n(c) lookup time at {len(index)} indexed orders")
    times = []
    for query in report:
        begun = time.perf_counter()
        text = normalise(query.text)
        mine = shingles(text)
        for i in index.candidates(text, 0):
            judge(orders.facts(query, mine, i))
        times.append((time.perf_counter() - begun) * 1000)
    print(f"  {'LSH lookup':<34} p50 {_pct(times, 50):7.2f} ms  p95 {_pct(times, 95):7.2f} ms")
    brute = []
    for query in report[: args.brute]:
        begun = time.perf_counter()
        mine = shingles(normalise(query.text))
        scores = [similarity(mine, shingles(t)) for t in orders.texts.values()]
        max(scores)
        brute.append((time.perf_counter() - begun) * 1000)
    print(
        f"  {'brute-force Jaccard scan':<34} p50 {_pct(brute, 50):7.2f} ms  "
        f"p95 {_pct(brute, 95):7.2f} ms  ({len(brute)} queries)"
    )


def service_path(data_dir: Path) -> None:
    """(d): the service's whole lookup over a real database (see the module's docstring)."""
    from datetime import timedelta

    from sqlmodel import col, select

    from db.models import Ticket
    from hotline_tui.domain.states import Role
    from hotline_tui.services.context import Actor, open_hotline
    from hotline_tui.services.dedup.lookup import Probe, find_similar
    from hotline_tui.settings import Settings

    hl = open_hotline(Settings(data_dir=data_dir))
    actor = Actor(0, "bench", "bench", Role.OPERATOR)
    since = hl.now() - timedelta(days=30)
    with hl.reading() as session:
        rows = session.exec(
            select(Ticket.number, Ticket.description, Ticket.contact_phone, Ticket.address).where(
                col(Ticket.created_at) >= since
            )
        ).all()
    begun = time.perf_counter()
    find_similar(hl, actor, Probe("索引的第一次填充"))
    filled = time.perf_counter() - begun
    times, found = [], 0
    for number, description, phone, address in rows:
        begun = time.perf_counter()
        result = find_similar(hl, actor, Probe(description + "请尽快处理", phone, None, address))
        times.append((time.perf_counter() - begun) * 1000)
        found += number in {m.number for m in result.duplicates}
    print(
        f"(d) service lookup on {data_dir} ({len(rows)} orders of the last 30 days, index "
        f"filled in {filled:.2f} s): p50 {_pct(times, 50):.2f} ms  p95 {_pct(times, 95):.2f} ms; "
        f"{found} of {len(rows)} found their own order as a duplicate\n"
    )
    hl.close()


def _pct(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


if __name__ == "__main__":
    main()
