"""The console's words for the intake suggestions (request type, category, lead department
suggested from the description), merged into :mod:`hotline_tui.ui.i18n`; key: (Chinese,
English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nlp.line": ("建议 ", "Suggested "),
    "nlp.lean": ("建议:", "Sugg:"),
    "nlp.task.request_type": ("类型", "Type"),
    "nlp.task.category": ("分类", "Category"),
    "nlp.task.department": ("主办", "Lead"),
    "nlp.catalogue": ("目录", "rule"),
    # After the values: * marks those filled in, and the key that empties them again.
    "nlp.undo_hint": (" *已填 ^R撤销", " *filled ^R undo"),
    "nlp.undo_lean": (" ^R撤销", " ^R undo"),
    "nlp.undone": ("已撤销建议填写：{fields}", "Suggestions undone: {fields}"),
    "key.nlp_undo": ("撤销建议", "Undo suggestion"),
}
