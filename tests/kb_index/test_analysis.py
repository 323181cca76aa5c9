"""Chinese analysis: segmentation, query terms, pinyin, synonyms."""

from __future__ import annotations

from hotline_tui.domain.text import segment_for_search
from kb_index.analysis import (
    SynonymMap,
    char_bigrams,
    index_tokens,
    is_pinyin_query,
    pinyin_tokens,
    query_terms,
    split_pinyin,
    word_parts,
)


def test_index_tokens_hold_words_and_their_parts():
    tokens = index_tokens("办理营业执照需要哪些材料？")
    assert {"营业", "执照", "营业执照", "材料"} <= set(tokens)
    assert "？" not in tokens


def test_index_tokens_equal_plain_segmentation_whatever_the_cache():
    text = "如材料不齐全，窗口将一次性告知。ＡＢＣ１２３ 如材料不齐全，窗口将一次性告知。"
    assert index_tokens(text) == segment_for_search(text).split()
    assert index_tokens(text) == index_tokens(text)  # the second time from the cache
    assert "abc123" in index_tokens(text)


def test_query_terms_keep_whole_words_and_drop_question_words():
    assert query_terms("营业执照怎么办理？") == ["营业执照", "办理"]
    assert query_terms("如何") == ["如何"]  # nothing else: the stop word stays


def test_query_syntax_is_just_text():
    assert query_terms('社保 AND (缴费 OR "补缴"') == ["社保", "and", "缴费", "or", "补缴"]
    assert query_terms("))((") == []


def test_word_parts_are_the_search_mode_pieces():
    assert "公积金" in word_parts("住房公积金")
    assert "住房公积金" not in word_parts("住房公积金")


def test_pinyin_tokens_give_full_pinyin_and_initials_per_word():
    tokens = pinyin_tokens(["营业执照办理"])
    assert {"yingyezhizhao", "yyzz", "banli", "bl"} <= set(tokens)
    assert all(t.isascii() and t.isalpha() for t in tokens)


def test_split_pinyin_uses_known_words_fewest_pieces():
    known = {"sb", "jf", "shebao", "jiaofei", "s", "b"}.__contains__
    assert split_pinyin("sbjf", known) == ["sb", "jf"]
    assert split_pinyin("shebaojiaofei", known) == ["shebao", "jiaofei"]
    assert split_pinyin("xyz", known) == []
    assert split_pinyin("sbxx", known) == []


def test_pinyin_query_detection():
    assert is_pinyin_query("yyzz")
    assert not is_pinyin_query("yyzz1")
    assert not is_pinyin_query("社保")


def test_synonyms_expand_both_ways_and_inside_longer_words():
    synonyms = SynonymMap([["社保", "社会保险"], ["公积金", "住房公积金"], ["x"]])
    assert len(synonyms) == 2  # a group of one word is no group
    assert synonyms.expansions("社保怎么交") == ["社会保险"]
    assert synonyms.expansions("社会保险缴费") == ["社保"]
    assert synonyms.expansions("社保卡补办") == ["社会保险"]
    # 住房公积金 contains 公积金: both are present, nothing to add.
    assert synonyms.expansions("住房公积金提取") == []
    assert synonyms.expansions("公积金提取") == ["住房公积金"]


def test_char_bigrams_overlap_within_runs_of_chinese():
    assert char_bigrams("办理执照") == ["办理", "理执", "执照"]
    # Punctuation ends a run; a lone character and Latin or digit runs stay whole (folded).
    assert char_bigrams("水，ＡＰＰ下载2024年") == ["水", "app", "下载", "2024", "年"]
    assert char_bigrams("") == []
