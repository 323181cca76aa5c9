"""Chinese analysis for the knowledge index: tokens, query terms, pinyin, synonyms.

Whoosh's own analysers split on spaces and find nothing in Chinese text, so text is segmented
here with jieba (through :mod:`hotline_tui.domain.text`, which keeps jieba quiet and its cache in
the installation's cache directory) and the index stores the tokens as space-separated words.
Documents use jieba's search mode, which also emits the words inside longer words (营业执照 gives
营业, 执照 and 营业执照), so a query for a shorter word finds the longer one; queries use the
precise mode (one term per word), and fall back to a word's parts when the index lacks it.

Every text is also indexed as overlapping character bigrams (:func:`char_bigrams`, its own
field with a lower weight): a question and its answer often say the same thing with words jieba
cuts differently (观雪易致 / 观雪; 补领 / 补办驾驶证), and the bigrams still match.

Titles and synonyms also get pinyin tokens: the full pinyin and the initials of each word, so
``yyzz`` (and ``yingyezhizhao``, and the start of either) finds 营业执照办理, and a query of
several words' pinyin (``sbjf``: 社保缴费) is split into the words' tokens.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import jieba
from pypinyin import Style, lazy_pinyin

from hotline_tui.domain.text import (
    char_bigrams,
    prepare_segmenter,
    search_terms,
    segment_for_search,
)

__all__ = [
    "STOPWORDS",
    "SynonymMap",
    "char_bigrams",
    "fold",
    "index_tokens",
    "is_pinyin_query",
    "is_single_han",
    "pinyin_tokens",
    "query_terms",
    "short_tokens",
    "split_pinyin",
    "word_parts",
]

# Function words and the words every question is asked with. They say nothing about which
# answer is meant; dropping them from a query (never from the index) makes the content words
# decide the ranking. A query made only of them keeps them.
_STOPWORDS_TEXT = """
    的 了 是 吗 呢 吧 啊 呀 么 嘛 哦 和 与 及 或 或者 在 有 没有 有没有 我 我们 你 您 你们 他 她
    它 他们 这 那 这个 那个 这些 那些 该 其 之 个 哪 哪个 哪些 哪里 哪儿 什么 怎么 怎样 怎么样
    如何 为什么 为何 是否 是不是 可以 可不可以 能否 能 能不能 会 会不会 要 需要 应 应该 应当
    还 也 都 就 又 再 对 把 被 给 从 向 到 为 以 等 多少 几 请问 问 想 想问 一下 咨询 请
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_ASCII_WORD = re.compile(r"^[a-z]+$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def fold(text: str) -> str:
    """The form text is matched in: NFKC (full-width letters and digits) and lowercase."""
    return unicodedata.normalize("NFKC", text).lower()


_BLOCK_CACHE_MAX = 200_000
_blocks: dict[str, list[str]] = {}


def index_tokens(text: str) -> list[str]:
    """The tokens a document field is indexed with (jieba search mode, in order).

    jieba segments each run of letters and digits between punctuation on its own, so the
    tokens of a text are those of its runs in order; a run seen before (the standard sentences
    articles share: "如材料不齐全，…", office names, legal bases) is looked up instead of being
    segmented again. The result is exactly :func:`segment_for_search`'s.
    """
    if not text:
        return []
    tokens: list[str] = []
    for block in jieba.re_han_default.findall(unicodedata.normalize("NFKC", text)):
        found = _blocks.get(block)
        if found is None:
            if len(_blocks) >= _BLOCK_CACHE_MAX:
                _blocks.clear()
            found = _blocks[block] = segment_for_search(block).split()
        tokens.extend(found)
    return tokens


def short_tokens(text: str) -> list[str]:
    """Tokens of a short field (title, tags, synonyms): jieba's search mode, plus every
    dictionary word found anywhere in the text (its "full mode"). Segmentation picks one reading
    and sometimes not the one a query uses (路灯不亮 → 路 / 灯不亮, while the query says 路灯);
    for the few words of a title, indexing every reading costs little and finds it."""
    tokens = index_tokens(text)
    if text:
        prepare_segmenter()
        known = set(tokens)
        for word in jieba.cut(fold(text), cut_all=True):
            for part in word.split():
                if part not in known and any(ch.isalnum() for ch in part):
                    known.add(part)
                    tokens.append(part)
    return tokens


def query_terms(text: str) -> list[str]:
    """The distinct words of a query, in order, without stop words (unless nothing else is
    left). Precise mode keeps a query word whole (营业执照); the index holds it and its parts
    (search mode), so the whole word finds every document a part would find with it, with one
    term instead of three. :func:`word_parts` gives the parts of a word the index lacks.
    """
    prepare_segmenter()
    words: list[str] = []
    for word in jieba.cut(fold(text)):
        for part in word.split():
            if any(ch.isalnum() for ch in part):
                words.append(part)
    terms = list(dict.fromkeys(words))
    content = [term for term in terms if term not in STOPWORDS]
    return content or terms


def word_parts(word: str) -> list[str]:
    """The search-mode parts of ``word`` other than itself (社保卡 → 社保)."""
    return [part for part in dict.fromkeys(index_tokens(word)) if part != word]


def is_single_han(term: str) -> bool:
    return len(term) == 1 and bool(_HAN.match(term))


def is_pinyin_query(term: str) -> bool:
    """A lowercase ASCII word of letters only, which may be pinyin or its initials."""
    return bool(_ASCII_WORD.match(term))


# --- pinyin ------------------------------------------------------------------------------------

_PINYIN_CACHE_MAX = 200_000
_pinyin_cache: dict[str, tuple[str, str]] = {}
_pinyin_lock = threading.Lock()


def _word_pinyin(word: str) -> tuple[str, str]:
    """(full pinyin, initials) of one word, remembered (a corpus repeats its words)."""
    found = _pinyin_cache.get(word)
    if found is not None:
        return found
    syllables: list[str] = lazy_pinyin(word, style=Style.NORMAL)
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    with _pinyin_lock:
        if len(_pinyin_cache) >= _PINYIN_CACHE_MAX:
            _pinyin_cache.clear()
        _pinyin_cache[word] = (full, initials)
    return full, initials


def pinyin_tokens(phrases: Iterable[str]) -> list[str]:
    """Pinyin tokens of short phrases (a title, synonyms): the full pinyin and the initials of
    each Chinese word of two characters or more (营业执照 → ``yingyezhizhao``, ``yyzz``).

    Per word, not per phrase, so the field's vocabulary stays that of the words (a phrase is
    found by splitting the query into words' pinyin, see :func:`split_pinyin`).
    """
    tokens: list[str] = []
    for phrase in phrases:
        for word in search_terms(phrase):
            if len(word) >= 2 and _HAN.search(word):
                tokens.extend(_word_pinyin(word))
    return [t for t in dict.fromkeys(tokens) if is_pinyin_query(t)]


def split_pinyin(text: str, known: Callable[[str], bool], *, max_pieces: int = 4) -> list[str]:
    """``text`` as the fewest known pinyin tokens (each of two letters or more), or ``[]``.

    ``shebaojiaofei`` → ``["shebao", "jiaofei"]``; ``sbjf`` → ``["sb", "jf"]``. ``known``
    says whether the index holds a token. Texts longer than 30 letters are not split.
    """
    size = len(text)
    if size < 4 or size > 30:
        return []
    # best[i]: the fewest pieces covering text[:i] (as the list of cut points).
    best: list[list[int] | None] = [None] * (size + 1)
    best[0] = []
    for end in range(2, size + 1):
        for start in range(0, end - 1):
            before = best[start]
            if before is None or len(before) >= max_pieces:
                continue
            if known(text[start:end]):
                candidate = [*before, end]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    cuts = best[size]
    if not cuts or len(cuts) < 2:
        return []
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(text[last:cut])
        last = cut
    return pieces


# --- synonyms ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    members: tuple[str, ...]


class SynonymMap:
    """Lists of words the search treats as the same: a query with one finds the others.

    Applied to queries only, so changing a list takes effect at once without a rebuild. A member
    found anywhere in the query text (社保卡 contains 社保) brings in the other members.
    """

    def __init__(self, groups: Iterable[Sequence[str]] = ()) -> None:
        cleaned: list[_Group] = []
        for words in groups:
            members = tuple(dict.fromkeys(fold(m).strip() for m in words if m and m.strip()))
            if len(members) > 1:
                cleaned.append(_Group(members))
        self._groups = tuple(cleaned)
        self._by_member: dict[str, list[_Group]] = {}
        for group in self._groups:
            for member in group.members:
                self._by_member.setdefault(member, []).append(group)
        # Longest first: 住房公积金 is looked for before 公积金.
        self._members = sorted(self._by_member, key=len, reverse=True)

    @property
    def groups(self) -> list[list[str]]:
        return [list(group.members) for group in self._groups]

    def __len__(self) -> int:
        return len(self._groups)

    def expansions(self, query: str) -> list[str]:
        """The other members of every group one of whose members occurs in ``query``."""
        text = fold(query)
        found: list[str] = []
        present: set[str] = set()
        for member in self._members:
            if member in text:
                present.add(member)
                for group in self._by_member[member]:
                    found.extend(group.members)
        return [m for m in dict.fromkeys(found) if m not in present and m not in text]
