"""The demo's labelled questions: how callers would ask the demo's standard answers, and what
they ask that the demo's knowledge base does not hold.

The demo seeds one article per topic and question kind (:func:`demo_articles`). Callers do not
type titles: they write 营业执照去哪办, 开个体户要带什么, 办执照几天能下来. So each article gets
questions written from its topic (its subject, its short name and the callers' own words kept
as the article's synonyms) in the phrasings of its kind, one of them its title as written. The
questions with no answer (expected id empty) are of two sorts: the same topics asked what no
demo article says (the fee, the progress of a case), and matters the demo city's knowledge base
has no article on at all. An article the demo seeds already expired is not an answer either.

Deterministic (a seed gives the same rows); :mod:`hotline_tui.demo.kb_calibration`
writes them out and fits the calibrator on them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hotline_tui.demo.kb_articles import EXPIRED_EVERY
from hotline_tui.domain.kb_corpus import DEMO_KINDS, TOPICS, Topic, demo_articles

__all__ = ["DemoQuestion", "demo_questions"]

PER_ARTICLE = 3  # questions per article besides its title

# {x} is a name of the matter (subject, short name or a caller's word for it).
_PHRASINGS: dict[str, tuple[str, ...]] = {
    "how": (
        "{x}怎么办理",
        "{x}怎么办",
        "请问{x}的办理流程是什么",
        "想办{x}，该怎么弄",
        "{x}如何申请",
        "{x}办理步骤",
    ),
    "materials": (
        "{x}需要什么材料",
        "{x}要准备哪些材料",
        "办{x}要带什么证件",
        "{x}需要提交哪些资料",
        "{x}材料清单",
    ),
    "time": (
        "{x}要多久",
        "{x}几天能办好",
        "{x}办理时限是多少天",
        "{x}多长时间能办下来",
        "{x}需要几个工作日",
    ),
    "where": (
        "{x}去哪里办",
        "{x}在哪办理",
        "哪里可以办{x}",
        "{x}的办理地点在哪",
        "{x}去哪个窗口",
    ),
}
# What no demo article says of a topic (the demo seeds only the kinds above).
_UNANSWERED: tuple[str, ...] = (
    "{x}收费吗",
    "{x}要交多少钱",
    "怎么查询{x}的办理进度",
    "{x}办到哪一步了怎么查",
)
# Matters the demo city's knowledge base has no article on.
_ABSENT: tuple[str, ...] = (
    "养犬登记",
    "彩票中奖兑奖",
    "图书馆借书证",
    "电动自行车上牌",
    "公园年票",
    "商标注册",
    "专利申请",
    "法律援助",
    "公证书",
    "残疾人证",
    "退役军人优待证",
    "献血证",
    "二手车过户",
    "机动车年检",
    "无人机登记",
    "渔业捕捞许可证",
    "殡葬补贴",
    "文物鉴定",
    "游泳馆开放时间",
    "垃圾分类投放点",
    "宠物疫苗",
    "导游证",
    "律师执业证",
    "烟草专卖许可证",
)
_ABSENT_PHRASINGS: tuple[str, ...] = tuple(
    phrasing for kind in DEMO_KINDS for phrasing in _PHRASINGS[kind][:2]
)


@dataclass(frozen=True)
class DemoQuestion:
    question: str
    expected: str  # the article's source key (``demo:<topic>:<kind>``); "" = no answer


def _names(topic: Topic) -> tuple[str, ...]:
    """What callers call the matter: its subject, its short name and their own words."""
    return tuple(dict.fromkeys((topic.subject, topic.key, *topic.synonyms)))


def demo_questions(seed: int = 12345) -> list[DemoQuestion]:
    """The labelled questions, in a fixed order for ``seed``: for each demo article its title
    and :data:`PER_ARTICLE` phrasings; then the topics' unanswered questions and the absent
    matters' questions (expected empty)."""
    rng = random.Random(seed)  # noqa: S311  (made-up questions, not secrets)
    rows: list[DemoQuestion] = []
    for index, article in enumerate(demo_articles(), start=1):
        topic_key, kind = article.key.split(":", 1)
        expected = "" if index % EXPIRED_EVERY == 0 else f"demo:{article.key}"
        topic = next(t for t in TOPICS if t.key == topic_key)
        names = _names(topic)
        phrasings = rng.sample(_PHRASINGS[kind], k=PER_ARTICLE)
        asked = [article.title, *(p.format(x=rng.choice(names)) for p in phrasings)]
        rows.extend(DemoQuestion(q, expected) for q in dict.fromkeys(asked))
    for topic in TOPICS:
        phrasing = rng.choice(_UNANSWERED)
        rows.append(DemoQuestion(phrasing.format(x=rng.choice(_names(topic))), ""))
    for matter in _ABSENT:
        for phrasing in rng.sample(_ABSENT_PHRASINGS, k=3):
            rows.append(DemoQuestion(phrasing.format(x=matter), ""))
    return rows
