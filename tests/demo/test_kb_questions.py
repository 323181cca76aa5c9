"""The demo's labelled questions: each points at a demo article that answers it (or at none),
callers' phrasings outnumber the titles, and the set is the same for a seed."""

from __future__ import annotations

from collections import Counter

from hotline_tui.demo.kb_articles import EXPIRED_EVERY
from hotline_tui.demo.kb_questions import PER_ARTICLE, demo_questions
from hotline_tui.domain.kb_corpus import demo_articles


def test_questions_point_at_the_demo_articles_or_at_none():
    articles = demo_articles()
    keys = {f"demo:{a.key}" for a in articles}
    titles = {a.title for a in articles}
    expired = {f"demo:{a.key}" for i, a in enumerate(articles, start=1) if i % EXPIRED_EVERY == 0}
    rows = demo_questions()
    assert rows == demo_questions()  # deterministic
    answerable = [r for r in rows if r.expected]
    assert {r.expected for r in answerable} == keys - expired
    per_article = Counter(r.expected for r in answerable)
    assert all(2 <= n <= PER_ARTICLE + 1 for n in per_article.values())
    # Mostly as callers write, not as the articles are titled.
    assert sum(1 for r in answerable if r.question in titles) < len(answerable) / 3
    unanswerable = [r for r in rows if not r.expected]
    assert len(unanswerable) >= 100
    # An article the demo seeds expired answers nothing: its own title is expected empty.
    in_force = {a.title for a in articles if f"demo:{a.key}" not in expired}
    assert not {r.question for r in unanswerable} & in_force
