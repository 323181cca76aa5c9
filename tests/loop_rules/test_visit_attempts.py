"""Rule 7 (issue 14): return visits. An unreachable call may be tried again only
``visit_retry_gap_minutes`` (default 120) after the last unreachable one (three calls within
seconds closed an order as unreachable); every call and its result is kept, not only the
latest; a reopened order's stale visit due is cleared, and set again by its next reply."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from hotline_tui.domain.errors import IllegalTransition
from hotline_tui.services.tickets import closing, dispatch, handling, queries, visits
from tests.services.scheduling_helpers import local
from tests.services.tickets.helpers import load, new_order

UNREACHABLE = visits.parse_visit("unreachable", None, None)


def _to_visit(hl, who) -> str:
    number = str(new_order(hl, who, lead="M01"))
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="已处理")
    closing.review(hl, who["disp"], number, passed=True)
    return number


def _attempts(hl, number) -> list[Any]:
    from db.models import VisitAttempt  # the table this rule adds

    ticket, _ = load(hl, number)
    with hl.reading() as s:
        query = select(VisitAttempt).where(VisitAttempt.ticket_id == ticket.id)
        return list(s.exec(query.order_by(col(VisitAttempt.id))))


def test_an_unreachable_visit_too_soon_is_refused_naming_when_the_next_is_allowed(hl, who, clock):
    number = _to_visit(hl, who)
    visits.visit(hl, who["op"], number, UNREACHABLE)  # Monday 09:30
    clock.advance(minutes=119)
    with pytest.raises(IllegalTransition) as refused:
        visits.visit(hl, who["op"], number, UNREACHABLE)
    assert refused.value.code == "visit.retry_too_soon"
    assert refused.value.params["next_at"] == "2026-03-02 11:30"
    assert refused.value.params["gap"] == 120
    ticket, _ = load(hl, number)
    assert (ticket.state, ticket.visit_attempts, len(_attempts(hl, number))) == (
        "pending_visit",
        1,
        1,
    )  # nothing was recorded
    clock.advance(minutes=1)
    visits.visit(hl, who["op"], number, UNREACHABLE)
    assert load(hl, number)[0].visit_attempts == 2


def test_three_unreachable_calls_within_seconds_no_longer_close_the_order(hl, who, clock):
    number = _to_visit(hl, who)
    visits.visit(hl, who["op"], number, UNREACHABLE)
    for _ in range(2):
        clock.advance(seconds=5)
        with pytest.raises(IllegalTransition):
            visits.visit(hl, who["op"], number, UNREACHABLE)
    assert load(hl, number)[0].state == "pending_visit"
    for _ in range(2):
        clock.advance(hours=2)
        visits.visit(hl, who["op"], number, UNREACHABLE)
    ticket, _ = load(hl, number)
    assert (ticket.state, ticket.ending) == ("closed", "unreachable")  # three spread-out tries


def test_only_an_unreachable_call_waits_for_the_gap(hl, who, clock):
    called_back = _to_visit(hl, who)
    visits.visit(hl, who["op"], called_back, UNREACHABLE)
    clock.advance(minutes=3)
    with pytest.raises(IllegalTransition):
        visits.visit(hl, who["op"], called_back, UNREACHABLE)
    # The caller rings back: reached (or declined) is recorded at once.
    reached = visits.parse_visit("reached", "resolved", "satisfied")
    visits.visit(hl, who["op"], called_back, reached)
    assert load(hl, called_back)[0].ending == "visited"
    refusing = _to_visit(hl, who)
    visits.visit(hl, who["op"], refusing, UNREACHABLE)
    visits.visit(hl, who["op"], refusing, visits.parse_visit("declined", None, None))
    assert load(hl, refusing)[0].ending == "declined"


def test_the_gap_is_a_setting(hl, who):
    hl.settings.visit_retry_gap_minutes = 0  # no gap: every try may follow at once
    number = _to_visit(hl, who)
    for _ in range(hl.settings.visit_max_attempts):
        visits.visit(hl, who["op"], number, UNREACHABLE)
    assert load(hl, number)[0].ending == "unreachable"


def test_every_visit_attempt_and_result_is_kept(hl, who, clock):
    number = _to_visit(hl, who)
    visits.visit(hl, who["op"], number, visits.parse_visit("unreachable", None, None, "无人接听"))
    clock.advance(hours=3)
    unsatisfied = visits.parse_visit("reached", "unresolved", "unsatisfied", "仍未修好")
    visits.visit(hl, who["op"], number, unsatisfied)
    closing.redo(hl, who["disp"], number, note="请重新办理")
    handling.reply(hl, who["h1"], number, text="已重新修好")
    closing.review(hl, who["disp"], number, passed=True)
    clock.advance(hours=1)
    visits.visit(hl, who["disp"], number, visits.parse_visit("reached", "resolved", "basic"))
    rows = _attempts(hl, number)
    assert [(r.attempt, r.contact, r.resolution, r.satisfaction, r.action) for r in rows] == [
        (1, "unreachable", None, None, "visit_unreachable"),
        (2, "reached", "unresolved", "unsatisfied", "visit_unsatisfied"),
        (1, "reached", "resolved", "basic", "visit_satisfied"),  # a new round after the redo
    ]
    assert [r.made_at for r in rows] == [
        local(2026, 3, 2, 9, 30),
        local(2026, 3, 2, 12, 30),
        local(2026, 3, 2, 13, 30),
    ]
    shown = queries.show(hl, who["sup"], number).visits
    assert [(v.by, v.contact, v.note) for v in shown] == [
        ("op", "unreachable", "无人接听"),
        ("op", "reached", "仍未修好"),
        ("disp", "reached", ""),
    ]
    ticket, _ = load(hl, number)  # the order's summary is the latest call's
    assert (ticket.visit_resolution, ticket.visit_satisfaction, ticket.visit_attempts) == (
        "resolved",
        "basic",
        1,
    )
    assert ticket.visit_unreachable_at == local(2026, 3, 2, 9, 30)


def test_a_reopened_orders_stale_visit_due_is_cleared_and_set_again_on_reply(hl, who, clock):
    number = _to_visit(hl, who)
    first_due = load(hl, number)[0].visit_due_at
    assert first_due is not None
    visits.visit(hl, who["op"], number, UNREACHABLE)
    clock.advance(hours=2)
    visits.visit(hl, who["op"], number, visits.parse_visit("reached", "resolved", "satisfied"))
    clock.advance(days=3)
    closing.reopen(hl, who["disp"], number, "来电人再次反映")
    ticket, _ = load(hl, number)
    assert (ticket.state, ticket.visit_due_at, ticket.visit_unreachable_at) == (
        "pending_dispatch",
        None,
        None,
    )
    assert queries.show(hl, who["sup"], number).due["visit_due_at"] is None
    dispatch.dispatch(hl, who["disp"], number, "M02")
    handling.sign(hl, who["h2"], number)
    handling.reply(hl, who["h2"], number, text="已再次处理")
    assert load(hl, number)[0].visit_due_at is None  # not before the reply passes review
    closing.review(hl, who["disp"], number, passed=True)
    again = load(hl, number)[0].visit_due_at
    assert again is not None and again > first_due + timedelta(days=2)
    visits.visit(hl, who["op"], number, UNREACHABLE)  # the last round's call is no reason to wait
    assert len(_attempts(hl, number)) == 3


def test_a_redone_orders_visit_due_is_cleared_until_its_reply_passes_again(hl, who, clock):
    number = _to_visit(hl, who)
    unsatisfied = visits.parse_visit("reached", "unresolved", "unsatisfied")
    visits.visit(hl, who["op"], number, unsatisfied)
    closing.redo(hl, who["disp"], number, note="请重新办理")
    assert load(hl, number)[0].visit_due_at is None
    clock.advance(days=1)
    handling.reply(hl, who["h1"], number, text="已重新办理")
    closing.review(hl, who["disp"], number, passed=True)
    assert load(hl, number)[0].visit_due_at is not None
