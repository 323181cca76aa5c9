"""Hand-written labelled descriptions for the classifier tests (written for these tests; no
text of the shared data): three matters, each told a dozen ways, with places and times varied
so that no two are alike."""

from __future__ import annotations

import csv
from pathlib import Path

PLACES = ["东湖区", "西山区", "南岸区", "城北新区"]
_FUMES = [
    "{p}一家饭店的油烟直接排到居民楼，窗户都不敢开",
    "{p}小区楼下烧烤摊每天晚上冒烟，油烟味很重",
    "{p}餐馆排风口对着我家阳台，油烟熏得墙都黑了",
]
_WAGES = [
    "{p}一家装修公司拖欠工人工资三个月不发",
    "我在{p}的工厂上班，老板一直拖欠工资还不签劳动合同",
    "{p}工地包工头欠我们农民工的工钱，年底了还不给",
]
_BUS = [
    "{p}的公交车经常不按时发车，等了一个小时都没来",
    "{p}这条公交线路被取消了，老人上下班很不方便",
    "{p}公交司机开车太猛，急刹车把乘客摔倒了",
]
MATTERS = {"环境保护": _FUMES, "劳动和社会保障": _WAGES, "交通运输": _BUS}
DEPT_OF = {"环境保护": "M05", "劳动和社会保障": "M04", "交通运输": "M08"}
"""The demo city's departments for the three matters (its catalogue agrees)."""


def rows(label_of: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Twelve descriptions per matter (``label_of`` renames the labels)."""
    found = []
    for matter, templates in MATTERS.items():
        for template in templates:
            for place in PLACES:
                found.append((template.format(p=place), (label_of or {}).get(matter, matter)))
    return found


def write_csv(path: Path, data: list[tuple[str, str]], *, extra: bool = False) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["text", "label", "domain"] if extra else ["text", "label"])
        for text, label in data:
            writer.writerow([text, label, "城建"] if extra else [text, label])
    return path
