"""The product's words for its codes, shared by every front end (console, command line, scheduler,
and the web front end to come): one catalogue, so a state or an error reads the same everywhere.

- :mod:`.codes` - the domain's vocabularies (states, request types, urgencies, choices, queues,
  steps …), code → (Chinese, English);
- :mod:`.actions` - the order actions, their inputs, the audit trail's codes, the permissions;
- :mod:`.error_texts` and :mod:`.errors` - the error catalogue and :func:`describe`.

Pure data and lookups: no Textual, no typer, nothing from a front end (an import contract holds
it). Chinese is the product's language and English the console's second (``--lang en``).

Why Python tables and not gettext/Babel catalogues: the strings here are keyed by the domain's
codes (``pending_dispatch``), not by English source text, and gettext's key is the source text;
every code must have its Chinese text, which a test over Python tables checks in milliseconds
against the domain's enumerations, while ``.po`` files would need an extraction step, a compile
step in the build and a loader at start (the console's first paint imports this package). With
two languages side by side in one tuple, a missing English text is seen in review at once.
Should a third language come, the tables convert to ``.po`` files mechanically.
"""

from __future__ import annotations

from collections.abc import Iterable

from hotline_tui.labels.actions import ACTIONS, EVENTS, FIELDS, PERMISSIONS
from hotline_tui.labels.codes import VOCABULARIES, Vocabulary
from hotline_tui.labels.errors import action_words, describe

__all__ = [
    "ACTIONS",
    "EVENTS",
    "FIELDS",
    "PERMISSIONS",
    "VOCABULARIES",
    "action_words",
    "code_of",
    "describe",
    "label",
    "labelled",
    "vocabulary",
]


def vocabulary(kind: str) -> Vocabulary:
    """The vocabulary ``kind`` (a key of :data:`VOCABULARIES`, or ``action``, ``field``,
    ``event``, ``permission``)."""
    if kind in VOCABULARIES:
        return VOCABULARIES[kind]
    return {"action": ACTIONS, "field": FIELDS, "event": EVENTS, "permission": PERMISSIONS}[kind]


def label(kind: str, code: str | None, lang: str = "zh") -> str:
    """The code ``code`` of vocabulary ``kind`` in words (``lang`` ``"zh"`` or ``"en"``); the
    code itself for one no text was written for (a test fails on those), "" for none."""
    if not code:
        return ""
    pair = vocabulary(kind).get(str(code))
    if pair is None:
        return str(code)
    return pair[1] if lang == "en" else pair[0]


def code_of(kind: str, typed: str) -> str:
    """The code a user means by ``typed``: a code as it is, or its Chinese (or English) words
    (``中型`` → ``medium``); anything else unchanged, for the service to refuse in its words."""
    words = vocabulary(kind)
    if typed in words:
        return typed
    for code, (zh, en) in words.items():
        if typed in (zh, en):
            return code
    return typed


def labelled(kind: str, codes: Iterable[str] | None = None, lang: str = "zh") -> list[str]:
    """``中型(medium)`` for each code (every one of ``kind`` by default), as help lists a choice."""
    words = vocabulary(kind)
    return [f"{label(kind, c, lang)}({c})" for c in (words if codes is None else codes)]
