"""The console's phrasing of 提级 and 会商 (participants, due time, outcome) and of the
return-visit calls in the order view, merged into :mod:`hotline_tui.ui.i18n`; key: (Chinese,
English). The outcomes' and the kinds' names are the product's (:mod:`hotline_tui.labels`)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "detail.parties": ("参加：{names}", "with {names}"),
    "detail.leader": ("领导 {name}", "leader {name}"),
    "detail.result_due": ("结果期限 {at}", "outcome due {at}"),
    "detail.result_open": ("待反馈结果", "awaiting outcome"),
    "detail.result": ("结果", "Outcome"),
    "detail.visits": ("回访记录", "Return visits"),
    "detail.visit_line": ("第{n}次 {at} {by} {contact}", "#{n} {at} {by} {contact}"),
}
