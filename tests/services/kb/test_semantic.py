"""The knowledge service ranking by meaning (the real model): the leader's background thread
embeds the published articles, the status says how many have vectors, and a question that
shares no word with an article's body finds it through its meaning."""

from __future__ import annotations

import time

from hotline_tui.services.kb.search import KnowledgeBase
from tests.kb_index.service_helpers import published


def wait_for(condition, seconds: float = 60.0) -> bool:
    """Poll ``condition`` (the background thread's work), giving up after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_leader_embeds_in_the_background_and_search_then_ranks_by_meaning(hl, who):
    adm, op = who["adm"], who["op"]
    licence = published(hl, adm)
    elderly = published(
        hl, adm, title="下雪天老人出门", body="注意保暖防滑，天气寒冷时尽量减少外出。", tags=()
    )
    driving = published(
        hl,
        adm,
        title="雨雪天气驾车安全提示",
        body="降低车速，保持安全车距，避免急刹车和急转弯。",
        tags=("交通安全",),
    )
    kb = KnowledgeBase(hl, refresh_seconds=0.05, semantic=True)
    try:
        kb.start()
        assert kb.wait_ready(60)
        assert wait_for(lambda: kb.status().vectors == 3)
        status = kb.status()
        assert status.semantic and status.leader
        question = "开车遇到下雪路滑怎么办"
        found = [hit.article_id for hit in kb.search(op, question).hits]
        assert found == [elderly.id, driving.id]  # the second shares no word with it
        assert licence.id not in found
    finally:
        kb.close()
    words = KnowledgeBase(hl, refresh_seconds=0, semantic=False)
    try:
        assert [hit.article_id for hit in words.search(op, question).hits] == [elderly.id]
    finally:
        kb.close()


def test_semantic_ranking_can_be_switched_off(hl, who):
    published(hl, who["adm"])
    kb = KnowledgeBase(hl, refresh_seconds=0, semantic=False)
    try:
        kb.refresh()
        assert kb.fill_vectors().embedded == 0
        assert not kb.status().semantic and kb.status().vectors == 0
        assert len(kb.search(who["op"], "营业执照").hits) == 1
    finally:
        kb.close()
