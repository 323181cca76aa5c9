"""Tests for hotline_tui.domain.text: text hygiene, identifiers and search segmentation."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import jieba
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.text import (
    MAX_SEARCH_TERMS,
    clean_paste,
    clean_text,
    configure_segmenter,
    normalise_identifier,
    search_terms,
    segment_for_search,
)

FORBIDDEN = (
    {chr(c) for c in range(0x20) if chr(c) not in "\t\n"}
    | {chr(c) for c in range(0x7F, 0xA0)}
    | set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)


@pytest.fixture(scope="module", autouse=True)
def _segmenter_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Keep jieba's cache out of the user's cache directory while testing.
    configure_segmenter(tmp_path_factory.mktemp("jieba-cache"))


# --- clean_text -------------------------------------------------------------------------------


def test_markup_like_text_is_kept_literally() -> None:
    assert clean_text("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"
    assert clean_text("[b]粗体[/b] [red]") == "[b]粗体[/b] [red]"


def test_escape_sequence_loses_esc_and_bel() -> None:
    result = clean_text("\x1b]52;c;ZWNobw==\x07")
    assert "\x1b" not in result
    assert "\x07" not in result
    assert result == "]52;c;ZWNobw=="


def test_csi_sequence_loses_esc() -> None:
    assert "\x1b" not in clean_text("\x1b[2J\x1b[31mred")


def test_bidi_override_removed() -> None:
    assert clean_text("abc\u202edcba") == "abcdcba"


@pytest.mark.parametrize("char", sorted(FORBIDDEN - {"\r"}))
def test_each_forbidden_character_removed(char: str) -> None:
    assert clean_text(f"a{char}b") == "ab"


def test_lone_surrogates_removed() -> None:
    result = clean_text("ab\udcff\ud800c")
    assert result == "abc"
    result.encode("utf-8")


def test_tab_and_newline_kept_in_multiline() -> None:
    assert clean_text("a\tb\nc") == "a\tb\nc"


def test_line_endings_normalised() -> None:
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("a\u2028b\u2029c") == "a\nb\nc"


def test_single_line_has_no_newline() -> None:
    result = clean_text("第一行\r\n第二行\n第三行", multiline=False)
    assert "\n" not in result
    # Lines stay apart: joining them with nothing would glue words together.
    assert result == "第一行 第二行 第三行"


def test_surrounding_whitespace_stripped() -> None:
    assert clean_text("\u3000 \t 张三 \n\n") == "张三"


def test_nfc_normalised() -> None:
    assert clean_text("e\u0301") == "\u00e9"
    # A removed character between base and combining mark does not block composition.
    assert clean_text("e\u202e\u0301") == "\u00e9"


def test_max_length() -> None:
    assert clean_text("一二三", max_length=3) == "一二三"
    with pytest.raises(ValidationError) as info:
        clean_text("一二三四", max_length=3, field="title")
    assert info.value.code == "validation.too_long"
    assert info.value.params == {"field": "title", "max": 3, "length": 4}


def test_max_length_counts_cleaned_text() -> None:
    assert clean_text("  ab\x00c  ", max_length=3) == "abc"


@given(st.text(), st.booleans())
def test_clean_text_output_never_contains_forbidden(value: str, multiline: bool) -> None:
    result = clean_text(value, multiline=multiline)
    assert not FORBIDDEN & set(result)
    assert "\r" not in result
    if not multiline:
        assert "\n" not in result


@given(st.text(), st.booleans())
def test_clean_text_idempotent_and_nfc(value: str, multiline: bool) -> None:
    once = clean_text(value, multiline=multiline)
    assert clean_text(once, multiline=multiline) == once
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip()


# --- normalise_identifier ---------------------------------------------------------------------


def test_normalise_identifier_full_width_and_separators() -> None:
    assert normalise_identifier("１３８\u3000００１３－８０００") == "13800138000"
    assert normalise_identifier(" 138-0013 8000 ") == "13800138000"
    assert normalise_identifier("11010519491231002x") == "11010519491231002X"


def test_normalise_identifier_drops_invisible_characters() -> None:
    assert normalise_identifier("\u202d13800138000\u202c\u200b") == "13800138000"


# --- segmentation -----------------------------------------------------------------------------


def test_segment_for_search_emits_sub_words() -> None:
    tokens = segment_for_search("办理营业执照需要什么材料").split(" ")
    assert {"营业", "执照", "营业执照"} <= set(tokens)


def test_segment_for_search_drops_punctuation_and_lowercases() -> None:
    result = segment_for_search("电话：13800138000，找ABC公司！！")
    tokens = result.split(" ")
    assert "13800138000" in tokens
    assert "abc" in tokens
    assert all(any(ch.isalnum() for ch in token) for token in tokens)
    assert "  " not in result


def test_segment_for_search_folds_full_width() -> None:
    assert segment_for_search("ＡＢＣ１２３") == segment_for_search("abc123")


def test_segment_for_search_empty() -> None:
    assert segment_for_search("") == ""
    assert segment_for_search("，。！  ") == ""


@given(st.text())
def test_segment_tokens_are_single_spaced_words(value: str) -> None:
    result = segment_for_search(value)
    if result:
        for token in result.split(" "):
            assert token
            assert not any(ch.isspace() for ch in token)
            assert any(ch.isalnum() for ch in token)
            assert token == token.lower()


def test_search_terms_keep_query_words_whole() -> None:
    assert search_terms("执照") == ["执照"]
    assert search_terms("营业执照") == ["营业执照"]


def test_search_terms_dedupe_lowercase_and_drop_punctuation() -> None:
    assert search_terms("ABC，abc！ 营业执照 营业执照") == ["abc", "营业执照"]


def test_search_terms_are_in_the_index_of_matching_text() -> None:
    index = set(segment_for_search("请问办理营业执照需要什么材料？").split(" "))
    for query in ("营业执照", "执照", "营业", "材料"):
        assert set(search_terms(query)) <= index


def test_search_terms_capped() -> None:
    query = " ".join(f"word{i}" for i in range(30))
    terms = search_terms(query)
    assert len(terms) == MAX_SEARCH_TERMS
    assert terms[0] == "word0"


def test_configure_segmenter_points_jieba_at_the_cache_dir(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "cache"
    configure_segmenter(target)
    assert target.is_dir()
    assert Path(jieba.dt.tmp_dir) == target
    assert Path(jieba.dt.tmp_dir) != Path(tempfile.gettempdir())


def test_jieba_logger_is_quiet() -> None:
    segment_for_search("测试")
    logger = logging.getLogger("jieba")
    assert logger.level == logging.WARNING
    assert not [h for h in logger.handlers if type(h) is logging.StreamHandler]


_SUBPROCESS_SCRIPT = """
import sys, threading
from pathlib import Path
from hotline_tui.domain.text import configure_segmenter, segment_for_search
if sys.argv[1] != "default":
    configure_segmenter(Path(sys.argv[1]))
results = []
threads = [
    threading.Thread(target=lambda: results.append(segment_for_search("营业执照")))
    for _ in range(4)
]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(set(results)))
"""


def _run_fresh(arg: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A fresh interpreter, because jieba loads its dictionary once per process.
    return subprocess.run(
        [sys.executable, "-c", _SUBPROCESS_SCRIPT, arg],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
        timeout=120,
    )


def test_first_segmentation_is_silent_and_caches_in_configured_dir(tmp_path: Path) -> None:
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp)}
    result = _run_fresh(str(tmp_path / "cache"), env)
    assert result.stderr == ""
    assert result.stdout.strip() == "['营业 执照 营业执照']"
    cache = tmp_path / "cache" / "jieba.cache"
    assert cache.is_file()
    # Other operators' accounts on a shared host read it instead of rebuilding their own.
    assert cache.stat().st_mode & 0o777 == 0o644
    assert list(private_tmp.iterdir()) == []


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME is how Linux picks the dir")
def test_default_cache_dir_is_platformdirs(tmp_path: Path) -> None:
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    result = _run_fresh("default", env)
    assert result.stderr == ""
    assert (tmp_path / "xdg" / "hotline" / "jieba.cache").is_file()
    assert list(private_tmp.iterdir()) == []


def test_a_paste_keeps_its_order_spacing_and_lines_and_loses_its_controls() -> None:
    pasted = "  幸福路\x1b口东\x07，坏了\u202e三天\r\n第二行\r第三行\t末尾  "
    assert clean_paste(pasted) == "  幸福路口东，坏了三天\n第二行\n第三行\t末尾  "
