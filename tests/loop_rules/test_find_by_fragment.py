"""Rule 9 of issue 14: any two characters of an order's text find it, however jieba cut them.

jieba cuts 江滨路路灯不亮 into 江滨 / 路路 / 灯不亮, so an index of its words alone has neither
路灯 nor 不亮; the character bigrams indexed beside the words have both. On SQLite and
PostgreSQL, through the service, the command line, and on a database made before the bigrams.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from db import migrate
from hotline_tui.domain.intake import IntakeInput
from hotline_tui.domain.text import char_bigrams
from hotline_tui.services.tickets import queries
from hotline_tui.services.tickets.intake import searchable
from tests.services.tickets.helpers import new_order

STREETLIGHT = "江滨路路灯不亮，晚上出行很不安全"


def _found(hl, who, words: str, user: str = "op") -> list[str]:
    return [r.number for r in queries.find(hl, who[user], queries.FindQuery(words=words))]


def test_a_fragment_the_segmenter_cut_apart_finds_its_order(hl, who):
    number = new_order(hl, who, description=STREETLIGHT)
    other = new_order(hl, who, description="小区噪音扰民")
    assert _found(hl, who, "路灯") == [number]
    assert _found(hl, who, "不亮") == [number]
    assert _found(hl, who, "路灯不亮") == [number]  # cut 路 / 灯不亮: the lone 路 is kept
    assert _found(hl, who, "噪音") == [other]


def test_every_two_character_fragment_of_an_order_finds_it(hl, who):
    number = new_order(hl, who, description=STREETLIGHT)
    for fragment in dict.fromkeys(char_bigrams(STREETLIGHT)):
        assert number in _found(hl, who, fragment), fragment


def test_a_fragment_finds_only_orders_that_contain_it_as_written(hl, who):
    new_order(hl, who, description=STREETLIGHT)
    assert _found(hl, who, "路不亮") == []  # its bigrams 路不 is in no order
    assert _found(hl, who, "灯亮") == []
    assert _found(hl, who, "路灯 停水") == []  # every word must be there


def test_words_still_find_orders_as_before(hl, who):
    licence = new_order(hl, who, description="咨询营业执照办理需要哪些材料")
    assert _found(hl, who, "执照") == [licence]
    assert _found(hl, who, "营业执照 材料") == [licence]
    assert _found(hl, who, "ABC") == []


def test_find_by_fragment_through_the_command_line(cli):
    created = cli.json("ticket", "new", "-d", STREETLIGHT, "--phone", "13800138000", user="op")
    found = cli.json("ticket", "find", "不亮", user="op")
    assert [row["number"] for row in found["results"]] == [created["number"]]
    table = cli("ticket", "find", "路灯", user="op").stdout
    assert created["number"] in table


def test_an_existing_database_is_upgraded_to_find_fragments(hl, who):
    """A database made before the bigrams (the revision before theirs: words only) finds 路灯
    once ``hotline db upgrade`` has rewritten its orders' search text."""
    number = new_order(hl, who, description=STREETLIGHT)
    config = migrate.alembic_config(hl.engines.write)
    command.downgrade(config, "0010")  # the revision before the bigrams (0011)
    with hl.engines.read.connect() as conn:
        words_only = conn.execute(text("SELECT search_text FROM ticket")).scalar_one()
    assert "路灯" not in words_only.split()
    migrate.upgrade(hl.engines.write)
    assert _found(hl, who, "路灯") == [number]
    assert _found(hl, who, "不亮") == [number]
    with hl.engines.read.connect() as conn:
        upgraded = conn.execute(text("SELECT search_text FROM ticket")).scalar_one()
    assert upgraded == searchable(IntakeInput(request_type="consult", description=STREETLIGHT))
