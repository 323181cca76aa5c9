"""The index: building, searching with filters and expiry, any query text, pinyin, snippets,
incremental updates seen by another process, the schema version, the writer lease."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from kb_index import (
    SCHEMA_VERSION,
    Filters,
    IndexMeta,
    IndexReader,
    IndexUnavailable,
    IndexWriter,
    NotLeader,
    SynonymMap,
    planner,
)
from kb_index.analysis import char_bigrams, query_terms
from kb_index.store import Lease, Pointer, current_build, switch_current
from tests.kb_index.conftest import index_of, make_doc, sample_docs

ANY = Filters(statuses=())


def ids(results) -> list[int]:
    return [hit.article_id for hit in results.hits]


def test_two_chinese_words_find_the_article(built):
    root, _ = built
    reader = IndexReader(root)
    assert ids(reader.search("营业执照 办理"))[0] == 1
    assert ids(reader.search("执照"))[0] == 1  # a part of a longer word
    assert ids(reader.search("公积金提取"))[0] == 3
    assert reader.search("火星移民").hits == ()


def test_title_tags_and_synonyms_count_more_than_the_body(built):
    root, _ = built
    reader = IndexReader(root)
    # "租房取公积金" is article 3's alternative question; "家里没电" article 4's.
    assert ids(reader.search("家里没电"))[0] == 4
    assert ids(reader.search("噪音"))[0] == 5  # a tag


@pytest.mark.parametrize(
    "text",
    [
        "社保 AND",
        "(社保",
        "社保)",
        '"社保',
        "社保 OR NOT",
        "社保^2 ~ * ? :",
        "-",
        "AND",
        "[b]社保[/b]",
    ],
)
def test_any_query_text_searches_without_error(built, text):
    root, _ = built
    results = IndexReader(root).search(text)
    if "社保" in text:
        assert ids(results)[0] == 2


def test_pinyin_initials_and_full_pinyin_find_titles(built):
    root, _ = built
    reader = IndexReader(root)
    assert ids(reader.search("yyzz"))[0] == 1
    assert ids(reader.search("yingyezhizhao"))[0] == 1
    assert ids(reader.search("gjj"))[0] == 3
    assert ids(reader.search("zhufanggongjijin"))[0] == 3  # two words' pinyin, split
    assert 1 in ids(reader.search("yingye"))  # the start of a word (still typing)


def test_synonym_lists_expand_queries(built):
    root, _ = built
    reader = IndexReader(root)
    synonyms = SynonymMap([["五险", "社会保险"]])
    assert ids(reader.search("五险", synonyms=synonyms))[0] == 2
    assert reader.search("五险", synonyms=SynonymMap()).hits == ()


def test_filters_by_category_department_and_status(tmp_path):
    docs = [*sample_docs(), make_doc(6, "营业执照遗失补办", "登报声明后申请补领。", status="draft")]
    reader = index_of(tmp_path, docs)
    assert ids(reader.search("营业执照")) == [1]  # published only by default
    assert set(ids(reader.search("营业执照", filters=Filters(statuses=("draft",))))) == {6}
    assert set(ids(reader.search("营业执照", filters=ANY))) == {1, 6}
    both = "社会保险 营业执照 公积金"
    assert set(ids(reader.search(both, filters=Filters(categories=("C0",))))) == {1, 2}
    assert ids(reader.search(both, filters=Filters(categories=("C3",)))) == [3]
    assert ids(reader.search(both, filters=Filters(depts=("M03",)))) == [2]


def test_expired_and_future_articles_are_not_offered(tmp_path):
    docs = [
        make_doc(1, "老政策", "社保补贴旧标准", expires_on=date(2026, 1, 31)),
        make_doc(2, "新政策", "社保补贴新标准", effective_from=date(2026, 2, 1)),
        make_doc(3, "长期有效", "社保补贴说明"),
    ]
    reader = index_of(tmp_path, docs)
    on = lambda day: set(ids(reader.search("社保补贴", filters=Filters(in_effect_on=day))))  # noqa: E731
    assert on(date(2026, 1, 31)) == {1, 3}
    assert on(date(2026, 2, 1)) == {2, 3}
    assert set(ids(reader.search("社保补贴"))) == {1, 2, 3}  # no day given: no date filter


def test_snippets_mark_the_terms_and_are_plain_text(built):
    root, _ = built
    hit = IndexReader(root).search("公积金 租房").hits[0]
    assert any(span.hit and span.text == "公积金" for span in hit.snippet)
    assert any(span.hit for span in hit.title_spans)
    plain = IndexReader(root).search("公积金 租房", highlight_hits=False).hits[0]
    assert not any(span.hit for span in plain.snippet)


def test_long_descriptions_keep_their_most_informative_terms(built):
    root, _ = built
    text = (
        "您好我想问一下，我是灵活就业人员，最近没有单位了，想自己交社会保险，"
        "不知道应该去哪里交，是去人社服务大厅吗，需要带什么，谢谢，麻烦您了，"
        "另外我还想知道以后能不能在手机上交，听说有个App，我不太会用。"
    )
    results = IndexReader(root).search(text, max_terms=6)
    assert results.cut
    assert len(results.terms) == 6
    assert ids(results)[0] == 2


def test_character_bigrams_match_what_jieba_cut_differently(tmp_path):
    # jieba keeps 车撒漏 and 观雪易致 whole in these articles, while a query says 撒漏 and 观雪:
    # no word of the index matches them, their bigrams do.
    docs = [
        make_doc(1, "", "渣土运输需要办理建筑垃圾处置证。"),
        make_doc(2, "", "发现渣土车撒漏，请拍照后向城管部门举报。"),
        make_doc(3, "", "长时间观雪易致雪盲，外出请戴墨镜。"),
    ]
    reader = index_of(tmp_path, docs)
    assert ids(reader.search("渣土撒漏", filters=ANY)) == [2, 1]
    assert ids(reader.search("观雪", filters=ANY)) == [3]


def test_a_cut_query_takes_bigrams_from_its_kept_terms_only(built):
    root, _ = built
    reader = IndexReader(root)
    text = "我想问一下停电了怎么办，家里没电，请问供电热线是多少？麻烦您了谢谢"
    pointer = current_build(root)
    assert pointer is not None
    with whoosh_index.open_dir(str(root / pointer.build)).searcher() as searcher:
        terms, cut, _idf, _counts = planner.pick_terms(searcher, query_terms(text), 3)
        assert cut
        grams = planner.pick_grams(searcher, text, terms, cut)
        assert grams
        assert set(grams) <= set(char_bigrams(" ".join(terms)))
        whole = planner.pick_grams(searcher, text, terms, False)
        assert set(whole) - set(grams)  # the filler's bigrams, left out when cut
    assert ids(reader.search(text, max_terms=3))[0] == 4


def test_the_fast_ranker_ranks_like_whoosh(built):
    root, _ = built
    reader = IndexReader(root)
    texts = ("营业执照 办理", "社会保险 缴纳", "身份证", "yyzz", "公积金 身份证 租房", "租房提取")
    for text in texts:
        fast = reader.search(text, filters=ANY)
        whoosh = reader.search(text, filters=ANY, engine="whoosh")
        assert ids(fast) == ids(whoosh), text
        for a, b in zip(fast.hits, whoosh.hits, strict=True):
            assert a.score == pytest.approx(b.score, rel=1e-4)


def test_incremental_updates_replace_and_delete(built):
    root, writer = built
    reader = IndexReader(root)
    assert ids(reader.search("营业执照"))[0] == 1
    changed = replace(sample_docs()[0], title="个体户名称变更", body="名称变更登记。", version=2)
    writer.apply([changed], [4], IndexMeta(schema=SCHEMA_VERSION, mark_seq=7, mark_mac="m"))
    assert reader.search("营业执照").hits == ()
    assert ids(reader.search("名称变更")) == [1]
    assert reader.search("停电").hits == ()
    assert reader.meta().mark_seq == 7
    assert reader.doc_count() == 4


def _search_in_other_process(root: Path, text: str) -> list[int]:
    code = (
        "import json, sys\n"
        "from kb_index import IndexReader\n"
        "r = IndexReader(__import__('pathlib').Path(sys.argv[1]))\n"
        "print(json.dumps([h.article_id for h in r.search(sys.argv[2]).hits]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root), text], capture_output=True, text=True, check=True
    )
    return [int(x) for x in json.loads(out.stdout)]


def test_a_second_process_reads_the_writers_updates(built):
    root, writer = built
    assert _search_in_other_process(root, "营业执照") == [1]
    writer.apply(
        [make_doc(9, "电动自行车上牌", "携带购车发票和合格证到车管所登记。")],
        [],
        IndexMeta(schema=SCHEMA_VERSION, mark_seq=3, mark_mac="x"),
    )
    assert _search_in_other_process(root, "电动自行车") == [9]


def test_a_reader_in_this_process_reopens_after_a_rebuild(built):
    root, writer = built
    reader = IndexReader(root)
    assert ids(reader.search("停电"))[0] == 4
    writer.rebuild(
        [make_doc(20, "路灯不亮", "拨打市政热线报修。")], IndexMeta(schema=SCHEMA_VERSION)
    )
    assert reader.search("停电").hits == ()
    assert ids(reader.search("路灯")) == [20]
    assert len(list(root.glob("ix-*"))) == 2  # the previous build stays until the next one
    writer.rebuild([make_doc(21, "路灯损坏", "报修。")], IndexMeta(schema=SCHEMA_VERSION))
    assert len(list(root.glob("ix-*"))) == 2
    assert ids(reader.search("路灯")) == [21]


def test_an_index_of_another_schema_version_is_not_used(built):
    root, writer = built
    pointer = current_build(root)
    assert pointer is not None
    switch_current(root, Pointer(pointer.build, SCHEMA_VERSION + 1))
    with pytest.raises(IndexUnavailable) as caught:
        IndexReader(root).search("社保")
    assert caught.value.reason == "schema"
    assert writer.current() is None  # the writer rebuilds instead of updating it


def test_no_index_yet(tmp_path):
    with pytest.raises(IndexUnavailable) as caught:
        IndexReader(tmp_path / "nothing").search("社保")
    assert caught.value.reason == "missing"


def test_only_the_lease_holder_writes(built, tmp_path):
    root, writer = built
    other = IndexWriter(root)
    assert not other.try_lead()
    with pytest.raises(NotLeader):
        other.apply([], [], IndexMeta(schema=SCHEMA_VERSION))
    code = (
        "import sys, pathlib\nfrom kb_index.store import Lease\n"
        "print(Lease(pathlib.Path(sys.argv[1])).try_acquire())\n"
    )
    held = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True
    )
    assert held.stdout.strip() == "False"
    writer.release()
    assert other.try_lead()
    other.release()


def test_a_dead_writer_releases_its_lease(tmp_path):
    root = tmp_path / "kb"
    code = (
        "import os, sys, pathlib\nfrom kb_index.store import Lease\n"
        "assert Lease(pathlib.Path(sys.argv[1])).try_acquire()\nos._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(root)], check=True)
    lease = Lease(root)
    assert lease.try_acquire()
    lease.release()
