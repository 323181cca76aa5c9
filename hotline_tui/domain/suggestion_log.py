"""The intake suggestions as logged, and what their log says: was a suggestion kept?

One row per order and task (request type, category, lead department) records what the
suggestion was when the order was registered (the label and its probability), whether it
filled the field in (auto-filled) or was only offered, and the value the operator registered.
:func:`kept` says whether the operator kept the suggestion; :func:`acceptance` counts, per task
and per way (auto-filled / offered), how many were kept: the suggestions' real acceptance rate
(``hotline nlp stats``). Pure functions, tested with hand-counted vectors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["TASKS", "WAYS", "Acceptance", "LoggedSuggestion", "acceptance", "kept"]

TASKS = ("request_type", "category", "department")
WAYS = ("auto", "offered")  # filled in (at or above the threshold) / offered first (below it)
PATH_SEPARATOR = "/"


@dataclass(frozen=True)
class LoggedSuggestion:
    """What one task's suggestion was when an order was registered, and what was registered."""

    task: str
    suggested: str  # the model's label: a request-type code, a category path, a department code
    probability: float
    auto_filled: bool
    final: str | None  # the registered value, as the model's labels say it (None: left empty)


def kept(row: LoggedSuggestion) -> bool:
    """Whether the registered value is the suggestion. Categories are suggested (and their
    threshold chosen) on the first level: a finer category within it keeps the suggestion."""
    if row.final is None:
        return False
    if row.task == "category":
        return row.final.split(PATH_SEPARATOR)[0] == row.suggested.split(PATH_SEPARATOR)[0]
    return row.final == row.suggested


@dataclass(frozen=True)
class Acceptance:
    task: str
    way: str  # one of WAYS, or "all"
    suggested: int
    kept: int

    @property
    def rate(self) -> float | None:
        return self.kept / self.suggested if self.suggested else None


def acceptance(rows: Iterable[LoggedSuggestion]) -> list[Acceptance]:
    """Per task (in :data:`TASKS` order), per way then for all: suggestions and those kept."""
    counts: dict[tuple[str, str], list[int]] = {
        (task, way): [0, 0] for task in TASKS for way in (*WAYS, "all")
    }
    for row in rows:
        way = "auto" if row.auto_filled else "offered"
        hit = 1 if kept(row) else 0
        for key in ((row.task, way), (row.task, "all")):
            if key in counts:
                counts[key][0] += 1
                counts[key][1] += hit
    return [Acceptance(task, way, n, k) for (task, way), (n, k) in counts.items()]
