"""Acceptance of the intake suggestions, on a hand-counted log."""

from __future__ import annotations

from hotline_tui.domain.suggestion_log import Acceptance, LoggedSuggestion, acceptance, kept

ROWS = [
    LoggedSuggestion("request_type", "complaint", 0.97, True, "complaint"),  # kept
    LoggedSuggestion("request_type", "complaint", 0.96, True, "help"),  # changed
    LoggedSuggestion("request_type", "consult", 0.40, False, "consult"),  # kept
    LoggedSuggestion("category", "环境保护", 0.91, True, "环境保护/大气/油烟"),  # kept (level 1)
    LoggedSuggestion("category", "环境保护", 0.50, False, "交通运输/公交"),  # changed
    LoggedSuggestion("category", "交通运输", 0.30, False, None),  # left empty: not kept
    LoggedSuggestion("department", "M05", 0.99, True, "M05"),  # kept
]


def test_kept_compares_categories_on_their_first_level():
    assert [kept(row) for row in ROWS] == [True, False, True, True, False, False, True]


def test_acceptance_per_task_and_way():
    found = {(a.task, a.way): a for a in acceptance(ROWS)}
    assert found["request_type", "auto"] == Acceptance("request_type", "auto", 2, 1)
    assert found["request_type", "offered"] == Acceptance("request_type", "offered", 1, 1)
    assert found["request_type", "all"] == Acceptance("request_type", "all", 3, 2)
    assert found["category", "auto"].rate == 1.0
    assert found["category", "offered"] == Acceptance("category", "offered", 2, 0)
    assert found["department", "offered"].rate is None  # none offered: no rate, not 0
    assert len(found) == 9
