"""The console's words for the knowledge base (知识库 mode, intake suggestions), merged into the
catalogue of :mod:`hotline_tui.ui.i18n`; key: (Chinese, English)."""

from __future__ import annotations

__all__ = ["KB_MESSAGES"]

KB_MESSAGES: dict[str, tuple[str, str]] = {
    "mode.kb": ("知识库", "Knowledge"),
    "kb.query": ("检索", "Search"),
    "kb.placeholder": (
        "关键词、拼音首字母（如 yyzz）或来电内容，回车检索",
        "Words, pinyin initials (yyzz) or the caller's words; Enter searches",
    ),
    "kb.loading": ("知识库索引加载中…", "Opening the knowledge index…"),
    "kb.found": ("找到约 {n} 篇，↑↓ 选择，回车查看", "About {n} found; ↑↓ and Enter to read"),
    "kb.none": ("没有找到相关文章", "Nothing found"),
    "kb.none_logged": (
        "没有找到相关文章（已记入知识库缺口）",
        "Nothing found (recorded as a knowledge gap)",
    ),
    "kb.untitled": ("（无标题）", "(untitled)"),
    "kb.uncategorised": ("未分类", "No category"),
    "kb.meta": (
        "{category} · {owner} · 第 {version} 版 · 已用 {usage} 次",
        "{category} · {owner} · version {version} · used {usage} times",
    ),
    "kb.dates": ("有效期 {start} 至 {end}", "In effect {start} to {end}"),
    "kb.expired": ("⚠ 已过期", "⚠ Expired"),
    "kb.not_in_effect": ("⚠ 不在有效期内，不能用于答复", "⚠ Not in effect: not for answers"),
    "kb.policy": ("政策依据", "Policy references"),
    "kb.feedback_counts": (
        "反馈：有用 {helpful} · 已过时 {outdated} · 有错误 {wrong}",
        "Feedback: helpful {helpful} · outdated {outdated} · wrong {wrong}",
    ),
    "key.kb_feedback": ("反馈", "Feedback"),
    "key.kb_open": ("查看", "Open"),
    "key.kb_search": ("检索", "Search"),
    "kb.feedback_title": ("对文章 {id} 的反馈", "Feedback on article {id}"),
    "kb.feedback_kind": ("评价", "Verdict"),
    "kb.feedback_note": ("说明", "Note"),
    "kb.feedback_done": ("已记录反馈：{kind}", "Feedback recorded: {kind}"),
    # Intake: suggestions that follow the description, their preview, answering from one.
    "intake.kb": ("知识库", "Knowledge"),
    "intake.kb_line": ("知识库 F9：", "Knowledge F9: "),
    "intake.kb_more": ("（另 {n} 篇）", " (+{n})"),
    "key.kb_suggest": ("推荐", "Suggested"),
    "key.kb_answer": ("按此答复", "Answer from it"),
    "kb.preview_title": (
        "知识库建议（↑↓ 选择，F10 按此直接答复，Esc 返回）",
        "Suggestions (↑↓ to choose, F10 answers from it, Esc goes back)",
    ),
    "kb.preview_empty": (
        "来电内容还没有对应的知识库文章",
        "No article matches the description yet",
    ),
    "kb.preview_needs_text": ("请先填写来电内容", "Type the description first"),
    "kb.answered": (
        "已按知识库文章 {id} 直接答复，工单 {number}（{state}）",
        "Answered from article {id}: order {number} ({state})",
    ),
}
