"""Labelled texts: read from a ``text,label`` CSV file and checked before any training.

Any further columns (the shared files' ``domain``) are ignored. A file that cannot teach
anything is refused with the reason (:class:`~hotline_tui.domain.errors.ImportFailed`, worded in
``labels``): not UTF-8, not CSV, no ``text`` or ``label`` column, no rows, one class only.
Rows with an empty text or label are skipped and counted.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.domain.errors import ImportFailed

__all__ = ["Examples", "check_trainable", "read_csv"]

REQUIRED = ("text", "label")


@dataclass(frozen=True)
class Examples:
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    skipped: int = 0  # rows without a text or a label
    source: str = ""

    def counts(self) -> Counter[str]:
        return Counter(self.labels)


def read_csv(path: Path) -> Examples:
    """The rows of a ``text,label`` file (extra columns ignored)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed("import.unreadable", file=str(path), error=exc.strerror) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed("nlp.file_encoding", file=str(path)) from None
    # Descriptions may be long (a complaint with its history): lift csv's field limit.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        rows = list(csv.reader(content.splitlines(keepends=True)))
    except csv.Error as exc:
        raise ImportFailed("nlp.file_syntax", file=str(path), error=str(exc)) from None
    if not rows:
        raise ImportFailed("nlp.file_empty", file=str(path))
    header = [name.strip().lower() for name in rows[0]]
    for name in REQUIRED:
        if name not in header:
            raise ImportFailed("nlp.file_column", file=str(path), column=name)
    at_text, at_label = header.index("text"), header.index("label")
    texts: list[str] = []
    labels: list[str] = []
    skipped = 0
    for row in rows[1:]:
        text = row[at_text].strip() if at_text < len(row) else ""
        label = row[at_label].strip() if at_label < len(row) else ""
        if not text or not label:
            skipped += 1
            continue
        texts.append(text)
        labels.append(label)
    if not texts:
        raise ImportFailed("nlp.file_empty", file=str(path))
    return Examples(tuple(texts), tuple(labels), skipped, str(path))


def check_trainable(
    examples: Examples, min_per_class: int, key: Callable[[str], str] = str
) -> tuple[Examples, list[str]]:
    """The examples of the labels with at least ``min_per_class`` of them, and the labels left
    out; refused when fewer than two labels remain. ``key`` is what is counted (a path's first
    level: its finer labels are thinned within the hierarchy)."""
    counts = Counter(key(label) for label in examples.labels)
    rare = sorted(label for label, n in counts.items() if n < min_per_class)
    kept = [
        (t, y) for t, y in zip(examples.texts, examples.labels, strict=True) if key(y) not in rare
    ]
    if len({key(y) for _, y in kept}) < 2:
        raise ImportFailed(
            "nlp.one_class",
            file=examples.source or "-",
            classes=len(counts),
            minimum=min_per_class,
        )
    texts, labels = zip(*kept, strict=True)
    return Examples(tuple(texts), tuple(labels), examples.skipped, examples.source), rare
