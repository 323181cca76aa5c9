"""What a classifier sees of a text: TF-IDF over character n-grams and over jieba's words.

Character 1-3-grams need no dictionary and catch the short, telling pieces of an order (噪音,
油烟, 退费); jieba's words (search mode, so 营业执照 also gives 营业 and 执照) and their pairs add
the longer terms and their order. Both are sub-linear TF-IDF, so a word repeated in a long
complaint does not drown the rest. A text is cut to :data:`MAX_CHARS` first: the opening of a
description says what it is about, and the cut bounds the time a prediction takes.

scikit-learn is imported here, and this module only by the ``nlp`` commands and the
background loader: ``hotline --help`` and the console's start never pay for it.
"""

from __future__ import annotations

import functools
from typing import Any

from hotline_tui.domain.text import clean_text, segment_for_search

__all__ = ["MAX_CHARS", "OPENING_CHARS", "make_features", "opening_grams", "prepare", "words"]

MAX_CHARS = 1000


def prepare(text: str) -> str:
    """The text as the features read it: cleaned and cut."""
    return clean_text(text)[:MAX_CHARS]


@functools.lru_cache(maxsize=32768)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(segment_for_search(text).split())


def words(text: str) -> list[str]:
    """jieba's search-mode words of ``text`` (remembered: cross-validation cuts each text
    once, not once per fold). Module-level, so a stored model names it and can be loaded."""
    return list(_cut(text))


OPENING_CHARS = 40
"""The opening of a message (its subject, or the caller's first sentence) names the matter more
often than the rest: its character n-grams count once more, as features of their own."""


def opening_grams(text: str) -> list[str]:
    """Character 1-3-grams of the opening (module-level, so a stored model names it)."""
    head = text[:OPENING_CHARS]
    return [head[i : i + n] for n in (1, 2, 3) for i in range(len(head) - n + 1)]


def make_features(
    *, words_too: bool = True, opening: bool = False, char_range: tuple[int, int] = (1, 3)
) -> Any:
    """A fresh, unfitted vectoriser: characters alone (the baseline), or with jieba's words
    and word pairs, and with the opening's characters counted apart."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    chars = TfidfVectorizer(analyzer="char", ngram_range=char_range, sublinear_tf=True)
    if not words_too and not opening:
        return chars
    parts: list[tuple[str, Any]] = [("chars", chars)]
    if words_too:
        terms = TfidfVectorizer(
            tokenizer=words,
            token_pattern=None,
            lowercase=False,
            ngram_range=(1, 2),
            sublinear_tf=True,
        )
        parts.append(("words", terms))
    if opening:
        parts.append(("opening", TfidfVectorizer(analyzer=opening_grams, sublinear_tf=True)))
    return FeatureUnion(parts)
