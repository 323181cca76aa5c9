"""The SQL predicates of late work select exactly the parts the domain's rule calls late.

Random parts (any state; due, warning and sign due before, at or after now, or missing) are
written behind the services' back and each predicate of :mod:`~hotline_tui.services.tickets.
due_sql` is asked which of them it selects, on SQLite and PostgreSQL; the answer must be the
domain's (:mod:`hotline_tui.domain.clock`) for every part.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import Session, col, select

from db.models import Assignment
from hotline_tui.domain.clock import DueStatus, clock_runs, due_status, part_due_status
from hotline_tui.domain.states import AssignmentState
from hotline_tui.services.tickets import due_sql
from tests.services.tickets.helpers import load, new_order

# Minutes from now; 0 is "exactly now" (due at now is overdue; warned at now is near).
moments = st.one_of(st.none(), st.sampled_from([-600, -1, 0, 1, 600]))
parts = st.tuples(st.sampled_from([s.value for s in AssignmentState]), moments, moments, moments)


@pytest.fixture
def three_parts(hl, who) -> str:
    """One order of three parts, rewritten for every example."""
    return str(new_order(hl, who, lead="M01", co=("M02", "M03")))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(st.lists(parts, min_size=3, max_size=3))
def test_each_predicate_selects_what_the_domain_calls_late(hl, three_parts, specs):
    now = hl.now()
    _ticket, rows = load(hl, three_parts)
    at: dict[int | None, datetime | None] = {None: None}
    at.update({m: now + timedelta(minutes=m) for m in (-600, -1, 0, 1, 600)})
    with Session(hl.engines.write) as session:
        for row, (state, due, warn, sign) in zip(rows, specs, strict=True):
            session.execute(
                update(Assignment)
                .where(col(Assignment.id) == row.id)
                .values(state=state, due_at=at[due], warn_at=at[warn], sign_due_at=at[sign])
            )
        session.commit()
    ids = [row.id for row in rows]

    def selected(clause) -> set[int]:
        with hl.reading() as session:
            found = session.exec(
                select(Assignment.id).where(col(Assignment.id).in_(ids)).where(clause)
            ).all()
        return set(found)

    def domain(rule) -> set[int]:
        return {
            row.id
            for row, (state, due, warn, sign) in zip(rows, specs, strict=True)
            if rule(state, at[due], at[warn], at[sign])
        }

    def status(state, due, warn, sign):
        return part_due_status(state, due, warn, sign, now)

    def completion(state, due, warn):
        return due_status(due, warn, now) if clock_runs(state) else DueStatus.NONE

    assert selected(due_sql.part_overdue(now)) == domain(
        lambda s, d, w, g: status(s, d, w, g) is DueStatus.OVERDUE
    )
    assert selected(due_sql.part_near(now)) == domain(
        lambda s, d, w, g: status(s, d, w, g) is DueStatus.NEAR
    )
    assert selected(due_sql.completion_overdue(now)) == domain(
        lambda s, d, w, g: completion(s, d, w) is DueStatus.OVERDUE
    )
    assert selected(due_sql.completion_near(now)) == domain(
        lambda s, d, w, g: completion(s, d, w) is DueStatus.NEAR
    )
    assert selected(due_sql.sign_overdue(now)) == domain(
        lambda s, d, w, g: s == AssignmentState.PENDING_SIGN.value and g is not None and g <= now
    )
