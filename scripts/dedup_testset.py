"""The near-duplicate test set of ``bench_dedup.py``, built from citizens' real messages.

Read from the shared messages (``messages_with_replies.csv``, ``messages_with_votes.csv``, by
path: nothing is copied into the project). Each message is an order: its author (留言用户) is
the caller, a place named in its subject (a 小区, a road, a school…) its address. Then, seeded:

- **positives** - a message registered again by the same caller, with edits (characters and
  phrases added, dropped, changed; sentences left out, as another operator's shorter record),
  punctuation and white space changed, full-width characters, a phone or ID number given in
  full once and masked the other time, sentences reordered;
- **hard negatives** - the same caller and the same address with another message about another
  matter there (another author's message on the same place, rewritten the same ways), and the
  same caller with a different text entirely;
- **related** - a positive's text from another caller at the same address (many callers about
  one thing): must be shown as related, never as a duplicate;
- **filler** - further orders of other callers made of sentences of the messages, up to the
  index size asked for (100,000), so that the index is as full as a big city's month.

The messages are split in two halves by their number: thresholds are tuned on one, reported on
the other.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.domain.near_dup import normalise, shingles, similarity

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "teddy2020c"
FILES = ("messages_with_replies.csv", "messages_with_votes.csv")
_PLACE = re.compile(
    r"[\u4e00-\u9fa5A-Za-z0-9]{2,10}?(?:小区|花园|花苑|家园|公寓|大厦|广场|学校|中学|小学|医院|市场|村|社区|路|街)"
)
_SENTENCE = re.compile(r"(?<=[。！？!?；;])")
_FULL = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@dataclass(frozen=True)
class Order:
    id: int
    text: str
    caller: str
    place: str
    half: int  # 0: tuning, 1: report
    subject: str = ""  # the author's own title of the matter (留言主题)


@dataclass(frozen=True)
class Query:
    text: str
    caller: str
    place: str
    kind: str  # positive, same_place, different, related
    original: int  # the order it repeats (positives), or is about
    half: int


def load(root: Path = SHARED) -> list[Order]:
    """The messages, one per text, without a caller's repeated messages."""
    seen: dict[str, list[frozenset[str]]] = {}
    orders: list[Order] = []
    ids: set[int] = set()
    for name in FILES:
        with (root / name).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                number = int(row["留言编号"])
                text = " ".join(row["留言详情"].split())
                if number in ids or len(normalise(text)) < 30:
                    continue
                own = seen.setdefault(row["留言用户"], [])
                sh = shingles(normalise(text))
                if any(similarity(sh, other) >= 0.3 for other in own):
                    continue  # the author's own resubmission: not an independent order
                own.append(sh)
                ids.add(number)
                found = _PLACE.search(row["留言主题"]) or _PLACE.search(text)
                place = found.group(0) if found else ""
                orders.append(
                    Order(number, text, row["留言用户"], place, number % 2, row["留言主题"])
                )
    return orders


def _edit(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // rng.choice((40, 20, 12)))):
        at = rng.randrange(len(chars))
        move = rng.random()
        if move < 0.4:
            del chars[at]
        elif move < 0.7:
            chars.insert(at, rng.choice("的了也还都很请"))
        else:
            chars[at] = rng.choice("的是在有和")
    out = "".join(chars)
    if rng.random() < 0.5:
        out += rng.choice(("希望尽快处理。", "请有关部门重视。", "谢谢！", "望早日解决"))
    if rng.random() < 0.3:
        out = rng.choice(("您好，", "领导好！", "我再反映一次：")) + out
    return out


def _punctuate(text: str, rng: random.Random) -> str:
    out = re.sub(r"[，。！？、；：]", lambda m: rng.choice(("", " ", ",", ".", m.group(0))), text)
    if rng.random() < 0.5:
        out = out.translate(_FULL)
    return out


def _abridge(text: str, rng: random.Random) -> str:
    """Another operator's record of the same call: some of its sentences left out."""
    parts = [p for p in _SENTENCE.split(text) if p]
    if len(parts) < 3:
        return text
    keep = sorted(rng.sample(range(len(parts)), max(2, round(len(parts) * rng.uniform(0.6, 0.9)))))
    return "".join(parts[i] for i in keep)


def _reorder(text: str, rng: random.Random) -> str:
    parts = [p for p in _SENTENCE.split(text) if p]
    if len(parts) > 1:
        rng.shuffle(parts)
    return "".join(parts)


def _personal(rng: random.Random) -> tuple[str, str]:
    """A number as typed in full and as masked on another call."""
    if rng.random() < 0.5:
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        return f"联系电话{phone}。", f"联系电话{phone[:3]}****{phone[-4:]}。"
    ident = f"43010{rng.randrange(10**12):012d}{rng.choice('0123456789X')}"
    return f"身份证号{ident}。", f"身份证号{ident[:3]}{'*' * 11}{ident[-4:]}。"


def resubmit(text: str, rng: random.Random) -> tuple[str, str]:
    """The original as indexed and its resubmission (one to three of the changes)."""
    original, again = text, text
    steps = rng.sample(("edit", "punct", "personal", "reorder", "abridge"), rng.randint(1, 4))
    if "personal" in steps:
        full, masked = _personal(rng)
        original, again = original + full, again + masked
    if "abridge" in steps:
        again = _abridge(again, rng)
    if "edit" in steps:
        again = _edit(again, rng)
    if "punct" in steps:
        again = _punctuate(again, rng)
    if "reorder" in steps:
        again = _reorder(again, rng)
    return original, again


def build(
    orders: list[Order], size: int, queries: int, seed: int = 7
) -> tuple[list[Order], list[Query]]:
    """The indexed orders (the messages, their originals, filler) and the queries."""
    rng = random.Random(seed)
    by_place: dict[str, list[Order]] = {}
    for order in orders:
        if order.place:
            by_place.setdefault(order.place, []).append(order)
    placed = [o for o in orders if len(by_place.get(o.place, ())) > 1]
    indexed: list[Order] = []
    out: list[Query] = []
    chosen = rng.sample(placed, min(queries, len(placed)))
    chosen_ids = {o.id for o in chosen}
    for order in orders:
        if order.id not in chosen_ids:
            indexed.append(order)
    for a in chosen:
        original, again = resubmit(a.text, rng)
        indexed.append(Order(a.id, original, a.caller, a.place, a.half))
        out.append(Query(again, a.caller, a.place, "positive", a.id, a.half))
        out.append(
            Query(resubmit(a.text, rng)[1], f"other-{a.id}", a.place, "related", a.id, a.half)
        )
        # Another matter at the same place, as its author titled it: many messages at one
        # place are one matter from several authors (related, not a negative), and a copied
        # text under another title is the same matter too.
        mine, title = shingles(normalise(a.text)), shingles(normalise(a.subject), 2)
        others = [
            b
            for b in by_place[a.place]
            if b.caller != a.caller
            and similarity(title, shingles(normalise(b.subject), 2)) < 0.2
            and similarity(mine, shingles(normalise(b.text))) < 0.5
        ]
        if others:
            b = rng.choice(others)
            out.append(
                Query(resubmit(b.text, rng)[1], a.caller, a.place, "same_place", a.id, a.half)
            )
        c = rng.choice(orders)
        if c.caller != a.caller:
            out.append(Query(resubmit(c.text, rng)[1], a.caller, "", "different", a.id, a.half))
    sentences = [s for o in orders for s in _SENTENCE.split(o.text) if len(s) > 8]
    places = list(by_place)
    next_id = 10**7
    while len(indexed) < size:
        text = "".join(rng.sample(sentences, rng.randint(2, 5)))
        indexed.append(Order(next_id, text, f"filler-{next_id}", rng.choice(places), next_id % 2))
        next_id += 1
    return indexed, out
