"""Near-duplicate orders: the text they are compared by, and the one rule that says whether two
orders are the same request (重复, offered for 并单), related (相关, shown, never merged), or
neither.

- :func:`normalise` - the text as compared: full-width folded to half-width (NFKC), lower case,
  personal data (mobile and landline numbers, ID numbers, masked or not) replaced by one mark
  each, and punctuation and white space dropped. A resubmission that only re-punctuates, masks
  the caller's number or types it in full width compares equal.
- :func:`shingles` / :func:`similarity` - overlapping character ``SHINGLE``-grams of the
  normalised text and their Jaccard similarity (what MinHash estimates).
- :class:`Facts` / :func:`judge` - the rule, here and nowhere else.

The rule. A duplicate is the *same caller's* same request: the caller called back, or two
operators took the same call. Two orders are judged by

    score = similarity + CALLER_BOOST·(same caller) + PLACE_BOOST·(same address or enterprise)

- **重复 duplicate** when the callers are not known to differ and ``score >= DUPLICATE_SCORE``,
  within :data:`WINDOW_DAYS` days. The same caller (a shared phone number or caller record)
  lowers the similarity needed by :data:`CALLER_BOOST`; the same place by :data:`PLACE_BOOST`.
  When one side's caller is unknown (no number, no record), only the text and the place count.
- **相关 related** when the callers are known to differ (many callers about the same thing: a
  noisy building site, one enterprise's unpaid wages), the address or enterprise is the same and
  ``similarity >= RELATED_SIMILARITY``. Related orders are shown side by side; they are never
  offered for merge: each caller's request stands and each caller is called back.

The thresholds were chosen on one half of a test set built from real citizens' messages and
checked on the other (``scripts/bench_dedup.py`` prints both).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CALLER_BOOST",
    "DUPLICATE_SCORE",
    "PLACE_BOOST",
    "RELATED_SIMILARITY",
    "SHINGLE",
    "WINDOW_DAYS",
    "Facts",
    "Relation",
    "Thresholds",
    "judge",
    "normalise",
    "normalise_address",
    "shingles",
    "similarity",
]

WINDOW_DAYS = 30  # orders registered longer ago are never duplicates of a new one
SHINGLE = 3  # characters per shingle
DUPLICATE_SCORE = 0.55
CALLER_BOOST = 0.20
PLACE_BOOST = 0.10
RELATED_SIMILARITY = 0.35

# One mark for every piece of personal data, masked (138****5678) or not: a caller's number
# typed in full on one call and masked on the other must not make two texts differ.
_MARK = "#"
_PERSONAL = re.compile(
    r"""
      [0-9]{6}[0-9*x]{8,11}[0-9x]              # ID numbers (18 or 15 digits), masked or not
    | 1[3-9][0-9][0-9*]{4}[0-9]{4}             # mobile numbers, masked or not
    | 0[0-9]{2,3}-?[0-9*]{3,4}[0-9]{4}         # landlines with an area code
    | [0-9*]{3,}\*+[0-9*]*                     # anything else masked with asterisks
    """,
    re.VERBOSE,
)


def normalise(text: str) -> str:
    """The text as compared (see the module's docstring)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    # Digit groups split by separators (138 1234 5678, 0731-8888-1234) are one number.
    folded = re.sub(r"(?<=[0-9*])[\s-](?=[0-9*])", "", folded)
    masked = _PERSONAL.sub(_MARK, folded)
    return "".join(ch for ch in masked if ch == _MARK or _kept(ch))


def _kept(ch: str) -> bool:
    # Letters (Chinese characters are letters, Lo) and digits; no punctuation, symbols, spaces.
    category = unicodedata.category(ch)
    return category[0] in "LN"


def normalise_address(address: str) -> str:
    """An address as compared for "the same place": the same folding as the text."""
    return normalise(address)


def shingles(normalised: str, size: int = SHINGLE) -> frozenset[str]:
    """The character ``size``-grams of a normalised text (the whole text when shorter)."""
    if len(normalised) <= size:
        return frozenset((normalised,)) if normalised else frozenset()
    return frozenset(normalised[i : i + size] for i in range(len(normalised) - size + 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two shingle sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


class Relation(StrEnum):
    DUPLICATE = "duplicate"  # 重复: the same request; offered for 并单
    RELATED = "related"  # 相关: the same thing from another caller; shown, never merged
    NONE = "none"


@dataclass(frozen=True)
class Facts:
    """What is known about a pair of orders registered within :data:`WINDOW_DAYS` days.

    ``same_caller``: True (a shared phone number or caller record), False (both callers known,
    and different), None (one side's caller is unknown). ``same_place``: the same non-empty
    address or the same enterprise.
    """

    similarity: float
    same_caller: bool | None
    same_place: bool


@dataclass(frozen=True)
class Thresholds:
    """The rule's numbers (the defaults are the module's; the benchmark tries others)."""

    duplicate_score: float = DUPLICATE_SCORE
    caller_boost: float = CALLER_BOOST
    place_boost: float = PLACE_BOOST
    related_similarity: float = RELATED_SIMILARITY


def judge(facts: Facts, t: Thresholds = Thresholds()) -> Relation:
    """The rule (see the module's docstring)."""
    score = (
        facts.similarity
        + (t.caller_boost if facts.same_caller else 0.0)
        + (t.place_boost if facts.same_place else 0.0)
    )
    if facts.same_caller is not False and score >= t.duplicate_score:
        return Relation.DUPLICATE
    if facts.same_place and facts.similarity >= t.related_similarity:
        return Relation.RELATED
    return Relation.NONE
