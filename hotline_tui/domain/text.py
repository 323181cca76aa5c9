"""Text hygiene and Chinese search segmentation.

Provides:

- :func:`clean_text` - turn untrusted input into safe plain text (DESIGN.md §6): no control
  characters, no bidi overrides, no lone surrogates, NFC, trimmed, optionally length-limited.
- :func:`clean_paste` - pasted text as it will go into a field: line breaks kept as ``\n``,
  the characters :func:`clean_text` removes removed, nothing else changed.
- :func:`normalise_identifier` - NFKC-fold an identifier (phone, ID number, credit code) and drop
  the separators people type inside it.
- :func:`segment_for_search` - the token string stored in a full-text index (jieba search mode).
- :class:`SegmentCache` - the same, remembering the segmentation of each block of text (for
  generators that write many texts built from the same phrases).
- :func:`search_terms` - the terms of a user's query, to be ANDed against that index.
- :func:`char_bigrams` - overlapping pairs of Chinese characters (the knowledge index's "grams").
- :func:`order_search_text` / :func:`fragment_phrases` - an order's indexed text (the words and
  the character bigrams beside them) and a query's phrases over it, so that any two characters
  of an order's text find it, however jieba cut them.
- :func:`configure_segmenter` - where jieba keeps its dictionary cache; jieba is kept quiet.

jieba itself (a tenth of a second to import) is imported by the first segmentation, not by this
module, so that commands and screens that never segment do not pay for it; and a query is cut
without loading jieba's whole dictionary when this host has its word file
(:mod:`hotline_tui.domain.jieba_compat`), so a command that only searches stays quick.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import platformdirs

from hotline_tui.domain import jieba_compat
from hotline_tui.domain.errors import ValidationError

__all__ = [
    "MAX_SEARCH_TERMS",
    "SegmentCache",
    "char_bigrams",
    "clean_paste",
    "clean_text",
    "configure_segmenter",
    "fragment_phrases",
    "normalise_identifier",
    "order_search_text",
    "search_terms",
    "segment_for_search",
]

log = logging.getLogger(__name__)

MAX_SEARCH_TERMS = 12
"""A query is cut to this many terms: more would only slow the index down, never help recall."""

# Bidi controls can make a terminal show text in a different order from what is stored (the
# "Trojan Source" trick); U+FEFF is an invisible BOM/zero-width no-break space that breaks
# equality and search. None of them carry meaning in hotline data.
_INVISIBLE = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"

# C0 (except tab and newline), DEL, C1 and the invisible characters above. Removing ESC and BEL
# is what stops escape sequences (OSC 52 clipboard writes, title changes) reaching a terminal.
# Lone surrogates (from undecodable bytes read with surrogateescape) cannot be encoded as UTF-8
# and would make the database or the terminal fail later, far from the input.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + _INVISIBLE + "]")

# U+2028/U+2029 are line breaks to str.splitlines() and to widgets built on it, so they are
# treated as newlines: a single-line field must not render on two lines.
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")

# Separators people type inside identifiers: whitespace (incl. U+3000, folded to a space by NFKC)
# and hyphens/dashes. NFKC folds the full-width hyphen-minus but not U+2010-U+2015 or U+2212.
_IDENTIFIER_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def clean_text(
    value: str,
    *,
    multiline: bool = True,
    max_length: int | None = None,
    field: str = "text",
) -> str:
    """Return ``value`` as safe plain text.

    Line breaks become ``\\n`` (or a single space when ``multiline`` is false, so words on two
    pasted lines stay apart); control, bidi and BOM characters are removed; the result is NFC and
    stripped. Markup-like text is left exactly as typed: it is data, front ends show it literally.
    ``max_length`` counts code points of the cleaned text; ``field`` names the input in the error.

    Raises:
        ValidationError: ``validation.too_long`` with ``field``, ``max`` and ``length``.
    """
    text = _LINE_BREAKS.sub("\n", value)
    if not multiline:
        text = text.replace("\n", " ")
    # Remove before normalising: a removed character may sit between a base letter and its
    # combining mark, and NFC must see them together.
    text = _FORBIDDEN.sub("", text)
    text = unicodedata.normalize("NFC", text).strip()
    if max_length is not None and len(text) > max_length:
        raise ValidationError("validation.too_long", field=field, max=max_length, length=len(text))
    return text


def clean_paste(value: str) -> str:
    """Return pasted ``value`` with every character :func:`clean_text` would remove removed
    (ESC, BEL and the other controls but tab and newline; bidi controls; lone surrogates) and
    line breaks as ``\n``; everything else stays as it was pasted, in its order, unstripped."""
    return _FORBIDDEN.sub("", _LINE_BREAKS.sub("\n", value))


def normalise_identifier(value: str) -> str:
    """NFKC-fold an identifier, drop separators and invisible characters, and uppercase it.

    ``"１３８ ００１３-８０００"`` becomes ``"13800138000"``; ``"9111…341l"`` is uppercased.
    """
    text = unicodedata.normalize("NFKC", value)
    # Text pasted from office documents and chat apps often carries invisible format characters
    # (zero-width spaces, bidi marks); they are never part of an identifier.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    return _IDENTIFIER_SEPARATORS.sub("", text).upper()


# --- segmentation ------------------------------------------------------------------------------

_segmenter_lock = threading.Lock()
_cache_dir: Path | None = None
_segmenter_ready = False
_words: Any = None  # the query tokenizer over the word file; False when there is none


def _jieba() -> Any:
    """jieba, imported on first use (it has no type information)."""
    return jieba_compat.import_jieba()


def _directory() -> Path:
    return _cache_dir or Path(platformdirs.user_cache_dir("hotline"))


def configure_segmenter(cache_dir: Path | None) -> None:
    """Make jieba quiet and keep its dictionary cache in ``cache_dir``.

    ``None`` means the default, ``platformdirs.user_cache_dir("hotline")``; jieba never writes to
    the shared temporary directory. jieba and its dictionary are loaded lazily, once, by the first
    segmentation, which applies this; configuring after that only changes where a later load
    would cache.
    """
    global _cache_dir, _words
    with _segmenter_lock:
        _cache_dir = cache_dir
        _words = None
        if "jieba" in sys.modules:  # else the first segmentation applies it
            _apply_configuration()


def _apply_configuration() -> None:
    """Set jieba's logging and cache location; the caller holds ``_segmenter_lock``."""
    jieba = _jieba()
    # jieba attaches a DEBUG stream handler to stderr at import time, which would print
    # "Building prefix dict..." over the console. Its records still propagate to the root
    # logger, so the application's own logging decides what is shown; the NullHandler stops
    # Python's last-resort handler from printing warnings to stderr when none is configured.
    for name in ("jieba", "jieba._compat"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.WARNING)
        for handler in list(logger.handlers):
            if isinstance(handler, logging.StreamHandler):
                logger.removeHandler(handler)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())

    directory = _directory()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # A cache is an optimisation: without it jieba rebuilds the dictionary (about a second)
        # and logs that the dump failed. Still point jieba here, never at /tmp.
        log.warning("cannot create segmenter cache directory %s: %s", directory, exc)
    jieba.dt.tmp_dir = str(directory)
    jieba.dt.cache_file = "jieba.cache"


def prepare_segmenter() -> None:
    """Load the dictionary now (about a second, once per process), e.g. before a transaction."""
    _ensure_segmenter()


def _ensure_segmenter() -> None:
    global _segmenter_ready
    if _segmenter_ready:
        return
    with _segmenter_lock:
        if not _segmenter_ready:
            _apply_configuration()
            _jieba().dt.initialize()
            _share_cache()
            _segmenter_ready = True


def _share_cache() -> None:
    """Let every account on the host read the dictionary cache this process may have written.

    jieba writes it through ``mkstemp``, so it is private to whoever wrote it first; on a host
    shared by many SSH operators everyone else would rebuild the dictionary (a second each
    start) and replace the file in turn. It holds jieba's public dictionary, nothing of ours.
    """
    jieba = _jieba()
    cache = Path(jieba.dt.tmp_dir or "") / (jieba.dt.cache_file or "")
    try:
        if cache.is_file() and cache.stat().st_uid == os.geteuid():
            cache.chmod(0o644)
    except OSError as exc:
        log.debug("cannot share the segmenter cache %s: %s", cache, exc)


def _tokens(words: Iterable[str]) -> list[str]:
    """Lowercase the words and drop those without a letter or digit (punctuation, spaces)."""
    tokens: list[str] = []
    for word in words:
        # jieba splits on whitespace already; splitting again guarantees the joined string has
        # exactly the tokens we mean, whatever the tokenizer does with odd input.
        for part in word.lower().split():
            if any(ch.isalnum() for ch in part):
                tokens.append(part)
    return tokens


def _fold(text: str) -> str:
    # Index and query go through the same folding, so full-width "ＡＢＣ１２３" finds "abc123".
    return unicodedata.normalize("NFKC", text)


def segment_for_search(text: str) -> str:
    """Space-separated search-mode tokens of ``text`` for a full-text index.

    Search mode also emits the words inside longer words (营业执照 gives 营业, 执照 and 营业执照),
    so a query for a shorter word finds the document. Lowercased; punctuation dropped.
    """
    _ensure_segmenter()
    return " ".join(_tokens(_jieba().cut_for_search(_fold(text))))


_DIGIT = re.compile("[0-9]")


class SegmentCache:
    """:func:`segment_for_search` that remembers the segmentation of each block it has seen.

    jieba cuts a text into blocks with its own pattern (runs of CJK, ASCII letters and digits;
    everything else, such as punctuation and spaces, stands apart) and segments each block on its
    own; search-mode tokens never span two blocks. So the tokens of a text are the tokens of its
    blocks in order, and ``cache(text) == segment_for_search(text)`` exactly, while a block seen
    before (a template phrase, a topic, a street) costs a dictionary lookup instead of a
    segmentation. Blocks with digits (house numbers, dates) seldom come again and are not
    remembered; at most ``limit`` blocks are (then the memory starts afresh).
    """

    def __init__(self, limit: int = 50_000) -> None:
        self._blocks: dict[str, str] = {}
        self._limit = limit

    def __call__(self, text: str) -> str:
        blocks = self._blocks
        parts: list[str] = []
        for block in _jieba().re_han_default.split(_fold(text)):
            if not block:
                continue
            tokens = blocks.get(block)
            if tokens is None:
                tokens = segment_for_search(block)
                if not _DIGIT.search(block):
                    if len(blocks) >= self._limit:
                        blocks.clear()
                    blocks[block] = tokens
            if tokens:
                parts.append(tokens)
        return " ".join(parts)


def search_terms(query: str) -> list[str]:
    """The distinct terms of a user's query, in order, at most :data:`MAX_SEARCH_TERMS`.

    Precise mode keeps a query word whole (营业执照 stays one term); because the index holds
    search-mode tokens, that whole word and its parts are all present in matching documents.
    """
    terms = list(dict.fromkeys(_tokens(_query_tokenizer().cut(_fold(query)))))
    return terms[:MAX_SEARCH_TERMS]


def _query_tokenizer() -> Any:
    """What cuts a query: the dictionary if this process loaded it; else the word file (a few
    lookups instead of most of a second); else the dictionary, loaded now, and the word file
    written from it for the next query on this host."""
    global _words
    if not _segmenter_ready:
        with _segmenter_lock:
            if _words is None and not _segmenter_ready:
                _apply_configuration()
                _words = jieba_compat.open_words(_directory()) or False
        if _words:
            return _words
        _ensure_segmenter()
        with _segmenter_lock:
            jieba_compat.save_words(_jieba().dt, _directory())
    return _jieba().dt


# --- character bigrams -------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_ONLY = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def char_bigrams(text: str) -> list[str]:
    """Overlapping pairs of Chinese characters, in order (办理执照 → 办理, 理执, 执照); a run
    of one Chinese character, and each run of Latin letters or digits, is a token as it is.

    The same function makes the index's and the query's tokens, so they always agree.
    """
    tokens: list[str] = []
    for run in _RUNS.findall(_fold(text).lower()):
        if len(run) < 2 or not _HAN.match(run):
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def order_search_text(text: str, words: str | None = None) -> str:
    """What the orders' full-text index holds for ``text``: jieba's search-mode words
    (``words``, when the caller segmented already, e.g. with a :class:`SegmentCache`) and then
    the text's character bigrams, in order.

    jieba picks one reading of a run (江滨路路灯不亮 → 江滨 / 路路 / 灯不亮), and a word it did
    not pick (路灯, 不亮) is in no index of words; its bigrams are, and
    :func:`fragment_phrases` looks a fragment up as the phrase of its bigrams.
    """
    segmented = segment_for_search(text) if words is None else words
    return " ".join(part for part in (segmented, " ".join(char_bigrams(text))) if part)


def fragment_phrases(query: str) -> list[str]:
    """The phrases a query is looked up by in :func:`order_search_text`'s index, ANDed.

    The query is cut into words (precise mode, as :func:`search_terms`); a Chinese word becomes
    the phrase of its bigrams (路灯不亮 → "路灯 灯不 不亮"), which an order holds exactly when
    the word is in its text, whatever jieba made of that text; a lone Chinese character is
    joined to the word beside it (路 / 灯不亮 → 路灯不亮: jieba cuts queries too), and stays a
    word of its own only when it is all there is. Other words (Latin letters, digits) are
    looked up as they are. At most :data:`MAX_SEARCH_TERMS` phrases.
    """
    pieces = list(_query_tokenizer().cut(_fold(query)))
    phrases: list[str] = []
    run: list[str] = []

    def flush() -> None:
        for fragment in _glue_single_characters(run):
            phrases.append(" ".join(char_bigrams(fragment)))
        run.clear()

    for piece in pieces:
        if _HAN_ONLY.match(piece):
            run.append(piece)
            continue
        flush()
        phrases.extend(_tokens([piece]))
    flush()
    return list(dict.fromkeys(p for p in phrases if p))[:MAX_SEARCH_TERMS]


def _glue_single_characters(words: list[str]) -> list[str]:
    """Adjacent Chinese words with every one-character word joined to its neighbour."""
    glued: list[str] = []
    for word in words:
        if glued and (len(word) == 1 or len(glued[-1]) == 1):
            glued[-1] += word
        else:
            glued.append(word)
    return glued
