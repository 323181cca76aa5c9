"""jieba without its whole dictionary: the word file cuts a query exactly as jieba does."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_tui.demo import text
from hotline_tui.demo.city import CATEGORIES
from hotline_tui.domain.jieba_compat import FILE_NAME, WRITTEN_FOR, open_words, save_words
from hotline_tui.domain.text import configure_segmenter, prepare_segmenter

ROOT = Path(__file__).resolve().parents[2]
ALPHABET = (
    "营业执照办理小区垃圾无人清运噪音扰民晚上很吵的了是在不有人这中大为上个国我以要他时来用们"
    "生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着"
    "等部度家电力里如水化高自二理起物现实加量都两体制机当使点从业本去把性好应开它合还因由其些"
    "社保缴费路灯不亮退休金咨询投诉举报建议表扬湖滨街道翠苑営한Ελ"
    "ABCabcxyz0123456789 ，。！？、：-_.%#&+\n\t"
)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """jieba's own tokenizer with its whole dictionary."""
    configure_segmenter(tmp_path_factory.mktemp("jieba-cache"))
    prepare_segmenter()
    return jieba.dt


@pytest.fixture(scope="module")
def words(loaded: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    directory = tmp_path_factory.mktemp("words")
    save_words(loaded, directory)
    tokenizer = open_words(directory)
    assert tokenizer is not None
    return tokenizer


def queries() -> list[str]:
    rng = random.Random(13)
    found = [
        "",
        "执照",
        "营业执照怎么办理",
        "ＡＢＣ１２３营业执照",
        "电话：13800138000，找ABC公司！！",
    ]
    for _ in range(200):
        spec = rng.choice(CATEGORIES)
        found.append(text.description(rng, spec.path, "complaint", "湖滨", "人民路1号"))
    return found


def test_written_for_the_pinned_jieba():
    """An upgrade of jieba must be looked at: the tokenizer's insides may have changed."""
    assert jieba.__version__ == WRITTEN_FOR


def test_the_file_holds_jiebas_dictionary(loaded, words):
    assert words.total == loaded.total
    sample = random.Random(7).sample(sorted(loaded.FREQ), 3000)
    assert all(words.FREQ[word] == loaded.FREQ[word] for word in sample)
    assert "不是一个词语吧" not in words.FREQ and words.FREQ.get("不是一个词语吧", 5) == 5


def test_the_demos_queries_cut_the_same(loaded, words):
    for query in queries():
        assert list(words.cut(query)) == list(loaded.cut(query)), query


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_any_text_cuts_the_same(loaded, words, query):
    assert list(words.cut(query)) == list(loaded.cut(query))


def test_a_file_from_another_jieba_is_ignored(loaded, tmp_path):
    save_words(loaded, tmp_path)
    with sqlite3.connect(tmp_path / FILE_NAME) as connection:
        connection.execute("UPDATE meta SET value = '0.41' WHERE key = 'jieba'")
    assert open_words(tmp_path) is None
    save_words(loaded, tmp_path)  # replaced by a current one
    assert open_words(tmp_path) is not None


def test_no_file_no_tokenizer(tmp_path):
    assert open_words(tmp_path) is None
    (tmp_path / FILE_NAME).write_text("not a database")
    assert open_words(tmp_path) is None


FRESH = """
import sys
from pathlib import Path
from hotline_tui.domain.text import configure_segmenter, search_terms
configure_segmenter(Path(sys.argv[1]))
terms = search_terms("营业执照怎么办理，小区垃圾无人清运")
import jieba
print(terms, jieba.dt.initialized, "pkg_resources" in sys.modules)
"""


def test_the_first_query_on_a_host_writes_the_file_and_the_next_reads_it(tmp_path):
    def run() -> list[str]:
        result = subprocess.run(
            [sys.executable, "-c", FRESH, str(tmp_path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
            timeout=120,
        )
        assert result.stderr == ""
        return result.stdout.strip().rsplit(" ", 2)

    first_terms, first_loaded, _ = run()
    assert first_loaded == "True" and (tmp_path / FILE_NAME).is_file()
    assert (tmp_path / FILE_NAME).stat().st_mode & 0o777 == 0o644
    terms, loaded, pkg_resources = run()
    assert (terms, loaded, pkg_resources) == (first_terms, "False", "False")
    assert first_terms == "['营业执照', '怎么', '办理', '小区', '垃圾', '无人', '清运']"
