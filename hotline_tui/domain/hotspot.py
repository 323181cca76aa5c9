"""The arithmetic of ``hotline hotspot``: pure functions over counts, no storage.

- :func:`roll_up`: a node of a tree (a category leaf, a street) → its ancestor at a level.
- :func:`baseline`: a series' own baseline for a range of days: for each day, the mean of the
  same weekday over the ``weeks`` weeks before the range begins (so a surge does not raise its own
  baseline), summed over the range's days.
- :func:`per_10k`: a count per 10,000 residents (``None`` without a population).
- :func:`movers`: the cells that grew most against the week before, absolutely and relatively.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

__all__ = [
    "BASELINE_WEEKS",
    "Mover",
    "baseline",
    "excess",
    "movers",
    "per_10k",
    "roll_up",
    "subtree",
]

BASELINE_WEEKS = 8
K = TypeVar("K", bound=Hashable)


def roll_up(
    node: int, parents: Mapping[int, int | None], rank: Mapping[int, int], level: int
) -> int:
    """``node``'s ancestor of rank ``level`` (itself when it is at or above that rank)."""
    seen = {node}
    while rank.get(node, level) > level:
        parent = parents.get(node)
        if parent is None or parent in seen:
            break
        seen.add(parent)
        node = parent
    return node


def subtree(parents: Mapping[int, int | None], root: int) -> set[int]:
    """``root`` and every node under it."""
    children: dict[int | None, list[int]] = {}
    for node, parent in parents.items():
        children.setdefault(parent, []).append(node)
    out, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def baseline(
    series: Mapping[date, int], first: date, last: date, weeks: int = BASELINE_WEEKS
) -> float:
    """The expected count of ``first`` … ``last`` from the ``weeks`` weeks before ``first``.

    Each day of the range expects the mean of its weekday over those weeks (a day missing from
    ``series`` counts 0); the range expects the sum of its days' expectations."""
    means: dict[int, float] = {}
    start = first - timedelta(days=7 * weeks)
    for offset in range(7):
        day = start + timedelta(days=offset)
        total = sum(series.get(day + timedelta(days=7 * k), 0) for k in range(weeks))
        means[day.weekday()] = total / weeks
    days = (last - first).days + 1
    return sum(means[(first + timedelta(days=i)).weekday()] for i in range(days))


def excess(count: int, expected: float) -> float:
    """How far a count lies above its baseline (negative: below)."""
    return count - expected


def per_10k(count: int, population: int | None) -> float | None:
    """``count`` per 10,000 residents; ``None`` when the population is unknown or zero."""
    if not population or population <= 0:
        return None
    return count * 10_000 / population


@dataclass(frozen=True)
class Mover(Generic[K]):
    key: K
    now: int
    before: int

    @property
    def change(self) -> int:
        return self.now - self.before

    @property
    def relative(self) -> float | None:
        """The change as a share of the week before (``None``: nothing the week before)."""
        return None if self.before == 0 else self.change / self.before


def movers(now: Mapping[K, int], before: Mapping[K, int], n: int) -> list[Mover[K]]:
    """The ``n`` cells with the largest increase (then the largest relative one, then the
    larger count); cells that did not grow are left out."""
    rows = [Mover(k, now.get(k, 0), before.get(k, 0)) for k in {*now, *before}]
    grown = [m for m in rows if m.change > 0]
    grown.sort(key=lambda m: (-m.change, -(m.relative or float("inf")), -m.now, str(m.key)))
    return grown[: max(n, 0)]
