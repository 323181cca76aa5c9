"""Due times through the loop and the deadline boards, on SQLite and PostgreSQL.

The test clock starts on Monday 2026-03-02 09:30 in Shanghai, a working day; the default
working hours are 09:00–12:00 and 13:30–17:30 (a working day is 7 working hours). A consultation
has a 1 wd sign limit and a 3 wd completion limit (DESIGN.md §4 defaults).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline_tui.domain.errors import ValidationError
from hotline_tui.services.tickets import closing, deadlines, dispatch, handling, queries, visits
from hotline_tui.services.tickets.deadlines import Board
from tests.services.tickets.helpers import load, new_order

SH = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH).astimezone(UTC)


def test_dispatch_sets_sign_due_completion_due_and_warning(hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    ticket, (lead, co) = load(hl, number)
    for a in (lead, co):
        assert a.sign_due_at == local(2026, 3, 3, 9, 30)  # + 1 wd
        assert a.due_at == local(2026, 3, 5, 9, 30)  # + 3 wd
        # 80 % of 21 working hours (16 h 48 min) after Monday 09:30: Wednesday 13:48.
        assert a.warn_at == local(2026, 3, 4, 13, 48)
        assert a.time_limit == "3wd" and a.sign_limit == "1wd"
        assert a.provisional is False
        assert a.clock_started_at == local(2026, 3, 2, 9, 30)
    assert ticket.dispatch_due_at is None


def test_queued_order_has_a_dispatch_due_time(hl, who):
    number = new_order(hl, who)  # queued for a dispatcher
    ticket, _ = load(hl, number)
    assert ticket.state == "pending_dispatch"
    assert ticket.dispatch_due_at == local(2026, 3, 3, 9, 30)
    dispatch.dispatch(hl, who["disp"], number, "M01")
    ticket, _ = load(hl, number)
    assert ticket.dispatch_due_at is None


def test_approved_extension_moves_the_due_time_by_the_days_granted(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    handling.request_extension(hl, who["h1"], number, days=3, reason="需要现场核查")
    clock.advance(hours=1)
    dispatch.decide_extension(hl, who["disp"], number, approve=True, days=2)
    _, (lead,) = load(hl, number)
    assert lead.due_at == local(2026, 3, 9, 9, 30)  # Thursday + 2 wd = Monday
    assert lead.warn_at == local(2026, 3, 6, 13, 48)


def test_a_return_under_review_stops_the_clock_until_it_is_rejected(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="不属于本单位职责")
    _, (lead,) = load(hl, number)
    assert lead.paused_at == local(2026, 3, 2, 9, 30)
    clock.advance(hours=4)  # 09:30 → 13:30: 2.5 working hours paused (lunch is not work)
    dispatch.review_return(hl, who["disp"], number, accept=False, note="属于本单位职责")
    _, (lead,) = load(hl, number)
    assert lead.paused_at is None and lead.paused_seconds == int(2.5 * 3600)
    assert lead.due_at == local(2026, 3, 5, 12, 0)  # Thursday 09:30 + 2.5 working hours


def test_clock_starting_at_signing_is_a_setting(hl, who, clock):
    hl.settings.sla_clock_start = "sign"
    number = new_order(hl, who, lead="M01")
    _, (lead,) = load(hl, number)
    assert lead.due_at is None and lead.sign_due_at == local(2026, 3, 3, 9, 30)
    clock.advance(days=1)  # Tuesday 09:30
    handling.sign(hl, who["h1"], number)
    _, (lead,) = load(hl, number)
    assert lead.clock_started_at == local(2026, 3, 3, 9, 30)
    assert lead.due_at == local(2026, 3, 6, 9, 30)


def test_reply_review_and_redo_set_visit_due_and_a_new_clock(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    clock.advance(hours=1)
    handling.reply(hl, who["h1"], number, text="已电话告知办理材料")
    closing.review(hl, who["disp"], number, passed=True)
    ticket, _ = load(hl, number)
    assert ticket.state == "pending_visit"
    assert ticket.visit_due_at == local(2026, 3, 3, 17, 30)  # the end of the next working day
    visits.visit(hl, who["op"], number, visits.parse_visit("reached", "unresolved", "unsatisfied"))
    clock.advance(days=1)  # Tuesday 10:30
    closing.redo(hl, who["disp"], number, note="来电人不满意，重办")
    _, (lead,) = load(hl, number)
    assert lead.clock_started_at == local(2026, 3, 3, 10, 30)
    assert lead.due_at == local(2026, 3, 6, 10, 30)


def test_a_year_without_a_calendar_gives_provisional_due_times(hl, who, clock):
    clock.current = local(2099, 3, 2, 9, 30)  # a Monday, in a year no notice covers
    number = new_order(hl, who, lead="M01")
    _, (lead,) = load(hl, number)
    assert lead.provisional is True
    assert lead.due_at == local(2099, 3, 5, 9, 30)  # counted Monday to Friday
    detail = queries.show(hl, who["disp"], number)
    assert detail.assignments[0].provisional is True
    found = queries.find(hl, who["disp"], queries.FindQuery(number=number))
    assert found[0].provisional is True and found[0].due_at == lead.due_at


def test_deadline_boards_follow_the_clock(hl, who, clock):
    late = new_order(hl, who, lead="M01", phone="13800138001")
    handling.sign(hl, who["h1"], late)
    unsigned = new_order(hl, who, lead="M02", phone="13800138002")
    start = clock.current
    assert deadlines.rows(hl, who["sup"], Board.OVERDUE) == []

    clock.current = local(2026, 3, 3, 10, 0)  # Tuesday: M02 has not signed within 1 wd
    sign_late = deadlines.rows(hl, who["sup"], Board.SIGN_OVERDUE)
    assert [r.number for r in sign_late] == [unsigned]

    clock.current = local(2026, 3, 4, 14, 0)  # Wednesday 14:00: past the warning, not due
    near = deadlines.rows(hl, who["sup"], Board.NEAR_DUE)
    assert {r.number for r in near} == {late, unsigned}

    clock.current = local(2026, 3, 5, 10, 0)  # Thursday 10:00: both overdue
    overdue = deadlines.rows(hl, who["sup"], Board.OVERDUE)
    assert [r.number for r in overdue] == [late, unsigned]  # earliest deadline first
    assert overdue[0].deadline == local(2026, 3, 5, 9, 30) and overdue[0].dept == "M01"
    counts = {
        (c.board, c.dept): c.count
        for c in deadlines.counts(hl, who["sup"])
        if c.board is Board.OVERDUE
    }
    assert counts == {(Board.OVERDUE, "M01"): 1, (Board.OVERDUE, "M02"): 1}
    # A handler sees only their own department, whatever they ask for.
    mine = deadlines.rows(hl, who["h1"], Board.OVERDUE, dept="M02")
    assert [r.number for r in mine] == [late]
    assert start < clock.current


def test_visit_due_board_names_the_lead_department(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="已答复")
    closing.review(hl, who["disp"], number, passed=True)
    assert deadlines.rows(hl, who["op"], Board.VISIT_DUE) == []
    clock.advance(days=2)
    rows = deadlines.rows(hl, who["op"], Board.VISIT_DUE)
    assert [(r.number, r.dept) for r in rows] == [(number, "M01")]
    assert rows[0].assignment_state is None


def test_boards_refuse_unknown_names(hl, who):
    with pytest.raises(ValidationError):
        deadlines.rows(hl, who["sup"], "late")


def test_due_times_are_recorded_on_the_order_detail(hl, who):
    number = new_order(hl, who, lead="M01")
    detail = queries.show(hl, who["disp"], number)
    (lead,) = detail.assignments
    assert lead.due_at == local(2026, 3, 5, 9, 30) and lead.time_limit == "3wd"
    assert detail.due == {"dispatch_due_at": None, "visit_due_at": None}
    assert timedelta(0) < lead.due_at - lead.sign_due_at  # type: ignore[operator]
