"""Highlighted snippets as plain-text spans, for the hits on show only.

Whoosh's highlighter analyses each stored text again (jieba, per hit): tens of milliseconds
for a page of long answers. The query's terms are known words, so here they are found with one
regular expression over the folded text, the window with the most distinct terms (rarest
first) is cut out, and the result is a list of ``Span(text, hit)``: plain text for the front
end to style, never markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import NamedTuple

__all__ = ["Span", "highlight", "plain_text", "snippet"]

_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MARKDOWN_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)")
_EMPHASIS = re.compile(r"(\*\*|__|~~|`+)")
_SPACE = re.compile(r"\s+")


class Span(NamedTuple):
    """A piece of text; ``hit`` when it is one of the query's terms."""

    text: str
    hit: bool


def plain_text(markdown: str) -> str:
    """The readable text of a Markdown body on one line: link and image text kept, markers
    (headings, quotes, list bullets, emphasis, code ticks) and line breaks dropped."""
    lines = [_MARKDOWN_LINE.sub("", line) for line in markdown.splitlines()]
    text = _MARKDOWN_LINK.sub(r"\1", " ".join(lines))
    return _SPACE.sub(" ", _EMPHASIS.sub("", text)).strip()


def _folded(text: str) -> tuple[str, list[int] | None]:
    """The text folded as the index folds it, and (only if lengths differ) the position in
    ``text`` of each folded character."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) == len(text):
        return folded, None
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char).lower()
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return "".join(pieces), origin


def _matches(text: str, terms: Sequence[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, term)`` in ``text`` (original positions), longest first."""
    wanted = sorted({t for t in terms if t}, key=len, reverse=True)
    if not wanted or not text:
        return []
    folded, origin = _folded(text)
    pattern = re.compile("|".join(re.escape(t) for t in wanted))
    found: list[tuple[int, int, str]] = []
    for match in pattern.finditer(folded):
        start, end = match.span()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        found.append((start, end, match.group()))
    return found


def _spans(text: str, matches: Sequence[tuple[int, int, str]], start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    cursor = start
    for m_start, m_end, _term in matches:
        if m_end <= start or m_start >= end:
            continue
        m_start, m_end = max(m_start, start), min(m_end, end)
        if m_start > cursor:
            spans.append(Span(text[cursor:m_start], False))
        spans.append(Span(text[m_start:m_end], True))
        cursor = m_end
    if cursor < end:
        spans.append(Span(text[cursor:end], False))
    return spans


def highlight(text: str, terms: Sequence[str]) -> tuple[Span, ...]:
    """The whole of ``text`` with the terms marked (a title)."""
    return tuple(_spans(text, _matches(text, terms), 0, len(text)))


def snippet(
    text: str,
    terms: Sequence[str],
    *,
    width: int = 80,
    weights: Mapping[str, float] | None = None,
) -> tuple[Span, ...]:
    """About ``width`` characters of ``text`` around the best cluster of terms, marked.

    The best window holds the largest weight of distinct terms (``weights``: e.g. their IDF; 1
    each by default); it starts a little before its first term. Cut ends get an ellipsis.
    Without any term in the text, the snippet is its beginning.
    """
    matches = _matches(text, terms)
    if not matches:
        end = min(len(text), width)
        spans = [Span(text[:end], False)] if end else []
        if end < len(text):
            spans.append(Span("…", False))
        return tuple(spans)
    weight_of = weights or {}
    best_start, best_score = matches[0][0], -1.0
    for index, (m_start, _m_end, _term) in enumerate(matches):
        seen: set[str] = set()
        score = 0.0
        for _other_start, other_end, other_term in matches[index:]:
            if other_end - m_start > width:
                break
            if other_term not in seen:
                seen.add(other_term)
                score += weight_of.get(other_term, 1.0)
        if score > best_score:
            best_start, best_score = m_start, score
    lead = min(width // 6, best_start)
    start = best_start - lead
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    spans = _spans(text, matches, start, end)
    if start > 0:
        spans.insert(0, Span("…", False))
    if end < len(text):
        spans.append(Span("…", False))
    return tuple(spans)
