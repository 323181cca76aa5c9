"""The one definition of a part's lateness, by hand-computed cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hotline_tui.domain.clock import (
    DeadlineKind,
    DueStatus,
    part_deadline,
    part_due_status,
    shown_due,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("state", "due", "warn", "sign", "expected"),
    [
        ("in_progress", NOW + H, NOW + H, None, DueStatus.NONE),
        ("in_progress", NOW + H, NOW, None, DueStatus.NEAR),  # warned at exactly now
        ("in_progress", NOW, NOW - H, None, DueStatus.OVERDUE),  # due at exactly now
        ("in_progress", None, NOW - H, None, DueStatus.NONE),  # no due time, nothing late
        ("return_review", NOW - H, NOW - 2 * H, None, DueStatus.OVERDUE),
        ("extension_review", NOW + H, NOW - H, None, DueStatus.NEAR),
        ("pending_sign", NOW + 9 * H, NOW + 8 * H, NOW - H, DueStatus.OVERDUE),  # sign late
        ("pending_sign", NOW + H, NOW - H, NOW - H, DueStatus.OVERDUE),  # not near: sign late
        ("pending_sign", NOW + H, NOW - H, NOW + H, DueStatus.NEAR),
        ("pending_sign", NOW + H, NOW - H, None, DueStatus.NEAR),
        ("replied", NOW - H, NOW - 2 * H, None, DueStatus.NONE),  # the clock stopped
        ("returned", NOW - H, NOW - 2 * H, NOW - H, DueStatus.NONE),
    ],
)
def test_part_due_status(state, due, warn, sign, expected):
    assert part_due_status(state, due, warn, sign, NOW) is expected


def test_a_part_is_measured_by_its_sign_due_until_signed():
    due, sign = NOW + 9 * H, NOW + H
    assert part_deadline("pending_sign", due, sign) == (sign, DeadlineKind.SIGN)
    assert part_deadline("pending_sign", due, None) == (due, DeadlineKind.COMPLETE)
    assert part_deadline("in_progress", due, sign) == (due, DeadlineKind.COMPLETE)
    assert part_deadline("replied", due, sign) == (None, DeadlineKind.NONE)
    assert shown_due("replied", due, sign) == (due, DeadlineKind.COMPLETE)  # kept on view
