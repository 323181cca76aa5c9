"""``SegmentCache`` gives exactly ``segment_for_search``, for the demo's texts and odd ones."""

from __future__ import annotations

import random

from hotline_tui.demo import text
from hotline_tui.demo.city import CATEGORIES
from hotline_tui.domain.text import SegmentCache, segment_for_search

ODD = [
    "",
    "，。！  ",
    "ＡＢＣ１２３营业执照",
    "电话：13800138000，找ABC公司！！",
    "营业执照\n办理\t要多久？ＯＫ",
    "a-b_c.d%e#f&g+h 办理 営業 한국어 Ελληνικά",
    "湖滨街道人民路123号翠湖苑2栋1单元1203室门口有垃圾",
    "ｅｍａｉｌ：ＴＥＳＴ＠ＥＸＡＭＰＬＥ．ＣＯＭ",
]


def test_the_same_tokens_as_segment_for_search() -> None:
    cache = SegmentCache(limit=50)  # small: the cache is cleared along the way too
    rng = random.Random(5)
    paths = [spec.path for spec in CATEGORIES]
    samples = list(ODD)
    for _ in range(400):
        path = rng.choice(paths)
        kind = rng.choice(["consult", "complaint", "help", "report", "suggestion", "praise"])
        address = text.address(rng, "湖滨街道")
        title = f"湖滨{path[-1]}{text.REQUEST_TYPE_LABELS[kind]}"
        samples.append(f"{title} {text.description(rng, path, kind, '湖滨', address)}")
    for sample in samples * 2:  # the second round from the cache
        assert cache(sample) == segment_for_search(sample), sample
