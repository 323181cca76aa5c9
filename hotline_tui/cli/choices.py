"""Options whose values are a vocabulary's codes, offered in Chinese and accepted either way.

``--size 中型`` and ``--size medium`` mean the same (scripts keep their English codes); the
help's metavar lists the Chinese words (``[微型|小型|中型|大型]``), the help text each word with
its code, and shell completion offers both, each with the other as its description. An unknown
value goes through unchanged, for the service to refuse in its own words, as before.

The words are the product's catalogue's (:mod:`hotline_tui.labels`); ``tests/labels`` walks
every option made here and fails on a value without Chinese text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hotline_tui.labels import code_of, label, vocabulary

__all__ = ["CHOICE_OPTIONS", "choice", "choice_help"]

CHOICE_OPTIONS: list[tuple[str, tuple[str, ...]]] = []
"""Every (vocabulary, codes) made into an option here, for the catalogue's test."""


def _completer(kind: str, codes: Sequence[str]) -> Callable[[str], list[tuple[str, str]]]:
    def complete(incomplete: str) -> list[tuple[str, str]]:
        offered = []
        for code in codes:
            words = label(kind, code)
            offered += [
                (v, h) for v, h in ((words, code), (code, words)) if v.startswith(incomplete)
            ]
        return offered

    return complete


def choice(
    kind: str, codes: Sequence[str] | None = None, name: str | None = None
) -> dict[str, Any]:
    """``typer.Option``/``typer.Argument`` keywords for a value among ``codes`` of vocabulary
    ``kind`` (all of them by default): ``parser``, ``autocompletion``, ``metavar`` (an
    argument's ``name``, which its errors call it by; an option's choices in words)."""
    picked = tuple(codes if codes is not None else vocabulary(kind))
    CHOICE_OPTIONS.append((kind, picked))

    def parse(value: Any) -> Any:
        return code_of(kind, value) if isinstance(value, str) else value

    return {
        "parser": parse,
        "autocompletion": _completer(kind, picked),
        "metavar": name or "[" + "|".join(label(kind, c) for c in picked) + "]",
    }


def choice_help(text: str, kind: str, codes: Sequence[str] | None = None) -> str:
    """``text``, then each value as ``中型(medium)``: what ``--help`` says of such an option."""
    picked = codes if codes is not None else list(vocabulary(kind))
    return f"{text}：" + "、".join(f"{label(kind, c)}({c})" for c in picked)
