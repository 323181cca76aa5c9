"""What one order adds to the roll-up, worked by hand per column and day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hotline_tui.domain.kpi_facts import (
    EventView,
    OrderView,
    PartView,
    VisitView,
    local_day,
    order_facts,
)

T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai, Monday 2 March
D0 = date(2026, 3, 2)
NOW = T0 + timedelta(days=40)


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def order(**kw) -> OrderView:
    base = {
        "id": 1, "created_at": T0, "closed_at": None, "ending": None, "request_type": "complaint",
        "channel": "phone", "category_id": 7, "area_id": 3, "caller_kind": "person",
        "lead_assignment_id": None, "handover_count": 0,
    }  # fmt: skip
    return OrderView(**{**base, **kw})


def part(ident=10, dept=5, role="lead", state="in_progress", **kw) -> PartView:
    base = {"created_at": at(hours=1), "signed_at": None, "replied_at": None,
            "sign_due_at": at(days=1, hours=1), "due_at": at(days=5)}  # fmt: skip
    return PartView(ident, dept, role, state, **{**base, **kw})


def facts(view: OrderView, now: datetime = NOW) -> dict[tuple[date, int, str], int]:
    """(day, department, column) → count; the other keys of the cell checked apart."""
    return {(cell[0], cell[1], column): n for (cell, column), n in order_facts(view, now).items()}


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def test_local_day_is_shanghai():
    assert local_day(datetime(2026, 3, 1, 15, 59, tzinfo=UTC)) == date(2026, 3, 1)
    assert local_day(datetime(2026, 3, 1, 16, 0, tzinfo=UTC)) == date(2026, 3, 2)


CASES = [
    ("answered directly",
     order(ending="answered", closed_at=at(hours=0.1)),
     {(D0, 0, "registered"): 1, (D0, 0, "registered_valid"): 1, (D0, 0, "answered"): 1}),
    ("an invalid call counts as registered only",
     order(ending="invalid", closed_at=at(hours=0.1)),
     {(D0, 0, "registered"): 1}),
    ("dispatched, signed in time, replied late, still open",
     order(lead_assignment_id=10, parts=(
         part(state="replied", signed_at=at(hours=3), replied_at=at(days=6)),)),
     {(D0, 5, "registered"): 1, (D0, 5, "registered_valid"): 1, (D0, 5, "dispatches"): 1,
      (day(1), 5, "sign_due"): 1, (day(1), 5, "sign_on_time"): 1,
      (day(5), 5, "reply_due"): 1, (day(5), 5, "reply_late"): 1,
      (D0, 5, "dispatched_orders"): 1, (D0, 5, "responded"): 1}),
    ("signed exactly at the sign due is late (the clock: due <= moment)",
     order(lead_assignment_id=10, parts=(part(signed_at=at(days=1, hours=1)),)),
     {(D0, 5, "registered"): 1, (D0, 5, "registered_valid"): 1, (D0, 5, "dispatches"): 1,
      (day(1), 5, "sign_due"): 1, (day(5), 5, "reply_due"): 1, (day(5), 5, "reply_late"): 1,
      (D0, 5, "dispatched_orders"): 1}),
    ("unsigned and not yet due: nothing about signing or replying",
     order(lead_assignment_id=10, parts=(
         part(state="pending_sign", sign_due_at=at(days=50), due_at=at(days=60)),)),
     {(D0, 5, "registered"): 1, (D0, 5, "registered_valid"): 1, (D0, 5, "dispatches"): 1,
      (D0, 5, "dispatched_orders"): 1}),
    ("a co-handler counts its dispatch and signing in its own department",
     order(lead_assignment_id=10, parts=(
         part(state="replied", signed_at=at(hours=2), replied_at=at(days=2)),
         part(ident=11, dept=6, role="co", state="done", signed_at=at(days=3)))),
     {(D0, 5, "registered"): 1, (D0, 5, "registered_valid"): 1, (D0, 5, "dispatches"): 1,
      (D0, 6, "dispatches"): 1, (day(1), 5, "sign_due"): 1, (day(1), 5, "sign_on_time"): 1,
      (day(1), 6, "sign_due"): 1, (day(5), 5, "reply_due"): 1, (day(5), 5, "reply_on_time"): 1,
      (D0, 5, "dispatched_orders"): 1, (D0, 5, "responded"): 1}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "view", "expected"), CASES, ids=[c[0] for c in CASES])
def test_order_facts(name, view, expected):
    assert facts(view) == expected


def test_the_rest_of_the_cell_is_the_orders():
    cells = {cell for cell, _ in order_facts(order(caller_kind=None, category_id=None), NOW)}
    assert cells == {(D0, 0, 0, 3, "complaint", "phone", "anonymous")}


def test_time_alone_makes_an_awaited_act_late():
    view = order(lead_assignment_id=10, parts=(part(state="pending_sign"),))
    before = facts(view, at(days=1))  # a moment before the sign due
    assert (day(1), 5, "sign_due") not in before
    after = facts(view, at(days=1, hours=1))
    assert after[(day(1), 5, "sign_due")] == 1 and (day(1), 5, "sign_on_time") not in after
    # The reply's due passes while handling: due and late on the due day.
    handling = order(lead_assignment_id=10, parts=(part(signed_at=at(hours=2)),))
    assert (day(5), 5, "reply_due") not in facts(handling, at(days=4))
    assert facts(handling, at(days=5))[(day(5), 5, "reply_late")] == 1


def test_returns_and_their_rejection_count_on_the_returns_day_in_the_returning_department():
    events = (
        EventView(1, at(days=1), "return", "assignment", 11, 6),
        EventView(2, at(days=3), "return_reject", "assignment", 11, 6),
        EventView(3, at(days=4), "return", "assignment", 11, 6),
    )
    view = order(lead_assignment_id=10, events=events, parts=(
        part(state="pending_sign", sign_due_at=None, due_at=None),
        part(ident=11, dept=6, role="co", state="return_review", sign_due_at=None),
    ))  # fmt: skip
    got = facts(view)
    assert got[(day(1), 6, "returns")] == 1 and got[(day(4), 6, "returns")] == 1
    assert got[(day(1), 6, "returns_rejected")] == 1
    assert (day(4), 6, "returns_rejected") not in got


def test_visits_closing_and_the_handover_histogram():
    passed = EventView(5, at(days=4), "review_pass", "ticket", None, None)
    visits = (
        VisitView(at(days=5), "unreachable", None, None),
        VisitView(at(days=6), "reached", "partly", "basic"),
    )
    view = order(
        lead_assignment_id=10, closed_at=at(days=6), ending="visited", handover_count=12,
        parts=(part(state="done", signed_at=at(hours=2), replied_at=at(days=3)),),
        visits=visits, events=(passed,),
    )  # fmt: skip
    got = facts(view)
    assert got[(day(4), 5, "visit_due")] == 1 and got[(day(4), 5, "visited")] == 1
    assert got[(day(6), 5, "valid_visits")] == 1
    assert got[(day(6), 5, "partly")] == 1 and got[(day(6), 5, "basic")] == 1
    assert (day(6), 5, "resolved") not in got and (day(6), 5, "satisfied") not in got
    assert got[(day(6), 5, "closed")] == 1 and got[(day(6), 5, "handovers")] == 12
    assert got[(day(6), 5, "ho_10")] == 1


def test_a_reply_passed_but_never_called_back():
    passed = EventView(5, at(days=4), "review_pass", "ticket", None, None)
    got = facts(order(lead_assignment_id=10, events=(passed,), parts=(part(state="done"),)))
    assert got[(day(4), 5, "visit_due")] == 1 and (day(4), 5, "visited") not in got
