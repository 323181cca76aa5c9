"""Who may see a knowledge article, asked three ways — opening it, listing articles, searching
the index with any filter — for every role × article status × owning department: all three
give the one rule's answer (a handler of M01 searching M03's drafts by department got them in
the hits while opening them was refused)."""

from __future__ import annotations

import itertools

import pytest

from hotline_tui.domain.errors import NotFound
from hotline_tui.domain.kb_visibility import article_scope
from hotline_tui.domain.states import Role
from hotline_tui.services.kb import articles as kb_articles
from hotline_tui.services.kb import views as kb_views
from hotline_tui.services.kb.search import KbFilters, KnowledgeBase
from tests.kb_index.service_helpers import article

STATUSES = ("draft", "review", "published", "retired")
DEPTS = ("M01", "M03")
WORD = "排水许可"


@pytest.fixture
def articles(hl, who):
    """One article per status × owning department, all about the same thing."""
    adm = who["adm"]
    made: dict[tuple[str, str], int] = {}
    for status, dept in itertools.product(STATUSES, DEPTS):
        view = kb_articles.create_article(
            hl, adm, article(f"{dept}{status}城镇污水{WORD}怎么申请", dept=dept)
        )
        if status == "review":
            kb_articles.submit_article(hl, adm, view.id)
        elif status in ("published", "retired"):
            kb_articles.publish_article(hl, adm, view.id)
            if status == "retired":
                kb_articles.retire_article(hl, adm, view.id)
        made[(status, dept)] = view.id
    return made


def expected(actor, status: str, dept: str, dept_ids: dict[str, int]) -> bool:
    """The rule written out by hand, as the test's own reference."""
    if actor.role in (Role.SUPERVISOR, Role.ADMIN):
        return True
    if status == "published":
        return True
    return actor.role is Role.HANDLER and actor.dept_id == dept_ids[dept]


def test_opening_listing_and_searching_agree_with_the_rule(hl, who, articles):
    kb = KnowledgeBase(hl, refresh_seconds=0)
    try:
        kb.refresh()
        dept_ids = {"M01": who["h1"].dept_id, "M03": who["h3"].dept_id}
        for name in ("op", "disp", "h1", "h3", "sup", "adm"):
            actor = who[name]
            listed = {a.id for a in kb_articles.list_articles(hl, actor, limit=1000)}
            asked = [
                KbFilters(statuses=STATUSES, dept=dept, include_out_of_effect=True)
                for dept in (None, *DEPTS)
            ] + [KbFilters(statuses=(status,), dept=dept) for status in STATUSES for dept in DEPTS]
            searched = {
                hit.article_id
                for filters in asked
                for hit in kb.search(actor, WORD, filters=filters, limit=50).hits
            }
            for (status, dept), article_id in articles.items():
                allowed = expected(actor, status, dept, dept_ids)
                case = f"{name} × {status} × {dept}"
                try:
                    kb_views.get_article(hl, actor, article_id)
                    opened = True
                except NotFound:
                    opened = False
                assert opened == allowed, case
                assert (article_id in listed) == allowed, case
                if not allowed:
                    assert article_id not in searched, case
            assert searched, f"{name} found nothing at all"
    finally:
        kb.close()


@pytest.mark.parametrize("role", list(Role))
def test_the_scope_admits_exactly_what_the_rule_says(role):
    own, other = 1, 2
    scope = article_scope(role, own if role is Role.HANDLER else None)
    for status in STATUSES:
        for dept in (own, other, None):
            wanted = (
                role in (Role.SUPERVISOR, Role.ADMIN)
                or status == "published"
                or (role is Role.HANDLER and dept == own)
            )
            assert scope.admits(status, dept) == wanted, (role, status, dept)
