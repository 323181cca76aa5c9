"""The console's words for near-duplicate orders (可能重复 at intake, the dispatch queue's marks
and its one-key 并单), merged into :mod:`hotline_tui.ui.i18n`; key: (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The intake's line: how many orders the call may repeat, the first one's number.
    "dup.line": ("可能重复：{n}（{number}） ", "Possible duplicate: {n} ({number}) "),
    "dup.related": ("相关：{n} ", "Related: {n} "),
    # The dispatch queue's marks on a row (one cell each, before the state).
    "queue.duplicate_mark": ("重", "D "),
    "queue.related_mark": ("相", "R "),
    "dup.note": ("可能重复（相似度 {percent}%）", "possible duplicate ({percent}% similar)"),
    "dup.merged": (
        "已并单：{number} 并入 {lead}（M 撤销）",
        "Merged {number} into {lead} (M to undo)",
    ),
    "dup.queue_line": (
        "{number} 可能重复：{lead}（相似度 {percent}%）；m 并单",
        "{number} may repeat {lead} ({percent}% similar); m merges",
    ),
    "dup.queue_related": (
        "{number} 相关：{numbers}（他人反映同一事项，不并单）",
        "{number} related: {numbers} (other callers, not merged)",
    ),
}
