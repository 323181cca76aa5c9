"""Hand-written descriptions for the intake suggestions' console tests: three matters of the
demo city, each told four ways in four places, labelled as the demo city's orders are (the
category's path, the request type's code, the lead department's code)."""

from __future__ import annotations

PLACES = ["青川路", "东湖小区", "西山镇", "南门街"]
MATTERS = {
    "fumes": (
        "环境保护/大气污染/餐饮油烟",
        "complaint",
        "M05",
        [
            "{p}楼下的饭店油烟直排，家里窗户一开全是油烟味",
            "{p}烧烤店每晚排油烟，熏得居民没法晾衣服",
            "{p}那家餐馆的排烟管对着住户，油烟太呛了",
            "{p}新开的火锅店没有装油烟净化器，油烟扰民",
        ],
    ),
    "wages": (
        "劳动和社会保障/劳动关系/拖欠工资",
        "help",
        "M04",
        [
            "{p}的工地老板拖欠我们两个月工资",
            "我在{p}的厂里干活，工资一直拖着不发",
            "{p}一家公司欠员工工资，老板找不到人",
            "{p}包工头拖欠农民工工资，快过年了还没结",
        ],
    ),
    "bus": (
        "交通运输/公共交通/公交线路调整",
        "suggestion",
        "M08",
        [
            "建议{p}增开一条公交线路，上班太挤了",
            "{p}的公交线路改了以后绕远路，希望调整回来",
            "希望{p}公交站多停几趟车，末班车太早",
            "{p}附近没有公交车，建议延长线路到这里",
        ],
    ),
}
TASK_COLUMN = {"category": 0, "request_type": 1, "department": 2}
FUMES = "楼下饭店油烟直排，油烟味太呛了，窗户一开全是油烟"


def examples(task: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The texts and their labels for ``task``."""
    texts, labels = [], []
    for matter in MATTERS.values():
        for template in matter[3]:
            for place in PLACES:
                texts.append(template.format(p=place))
                labels.append(str(matter[TASK_COLUMN[task]]))
    return tuple(texts), tuple(labels)
