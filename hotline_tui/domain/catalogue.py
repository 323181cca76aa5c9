"""The dispatch catalogue (派单目录) precedence, and derived category codes. Pure: no I/O.

One function decides which catalogue rule leads on an order, so that the services (rules in the
database) and the demo data (rules in Python) can never disagree:

* the most specific category wins: a rule on the leaf beats a rule on its branch, which beats a
  rule on the first-level class;
* for the same category, the nearest area wins (street → district → city), and a rule without
  an area applies last, anywhere.

A more specific category beats a nearer area on purpose: a city-wide rule for "物业管理" is more
telling than a street's rule for all of "城乡建设".
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TypeVar

__all__ = ["CODE_PREFIX", "category_code", "path_keys", "pick_rule"]

T = TypeVar("T")

CODE_PREFIX = "C"
"""Derived category codes start with this letter, so they never look like a number."""

_CODE_HEX_LENGTH = 10


def pick_rule(
    rules: Mapping[tuple[str, str | None], T],
    category_chain: Sequence[str],
    area_chain: Sequence[str],
) -> T | None:
    """The rule that leads for a category in an area, or ``None`` when no rule applies.

    ``rules`` maps ``(category key, area key or None)`` to a rule; ``category_chain`` is the
    leaf's key followed by its ancestors' keys, ``area_chain`` the area's key followed by its
    ancestors' keys (empty when the order has no area). Keys are whatever identifies the nodes
    to the caller (codes in the database, name paths in the demo data).
    """
    for category in category_chain:
        for area in area_chain:
            # ``in`` rather than ``get``: a rule value that is falsy is still a rule.
            if (category, area) in rules:
                return rules[(category, area)]
        if (category, None) in rules:
            return rules[(category, None)]
    return None


def path_keys(path: Sequence[str], separator: str = "/") -> list[str]:
    """``("a", "b", "c")`` → ``["a/b/c", "a/b", "a"]``: a category chain keyed by name paths."""
    return [separator.join(path[:depth]) for depth in range(len(path), 0, -1)]


def category_code(path: Sequence[str]) -> str:
    """A stable code for a category that an import file gives without one.

    Derived from the name path alone (``"C"`` + the first 10 hex digits of the SHA-1 of the
    names joined by ``/`` in UTF-8), so the same file yields the same codes on every run and
    every machine. SHA-1 is used as a fingerprint here, not for security.
    """
    digest = hashlib.sha1("/".join(path).encode("utf-8"), usedforsecurity=False).hexdigest()
    return CODE_PREFIX + digest[:_CODE_HEX_LENGTH].upper()
