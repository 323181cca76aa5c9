"""The intake suggestions' log (SQLite and PostgreSQL): written with the registration, in its
transaction, and nothing at all when the registration is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from db.models import NlpSuggestion, Ticket
from hotline_tui.domain.errors import HotlineError
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.suggestion_log import Acceptance
from hotline_tui.services.suggestion_log import Offered, acceptance_between
from hotline_tui.services.tickets import intake
from hotline_tui.services.tickets.intake import Disposition
from tests.world import leaf_code

OFFERED = (
    Offered("request_type", "complaint", 0.97, True),
    Offered("category", "城乡建设", 0.62, False),
    Offered("department", "M01", 0.55, False),
)


def register(hl, who, *, lead="M02", category=None, offered=OFFERED, phone="13800138000"):
    return intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="complaint",
            description="小区物业不管楼道垃圾，堆了一个星期",
            category=category,
            caller=CallerInput(name="王五", phone=phone),
        ),
        Disposition(kind="dispatch", lead_dept=lead, suggestions=offered),
    ).number


def logged(hl):
    with hl.reading() as s:
        rows = s.exec(select(NlpSuggestion).order_by(col(NlpSuggestion.id))).all()
        numbers = {t.id: t.number for t in s.exec(select(Ticket)).all()}
        return [
            (numbers[r.ticket_id], r.task, r.suggested, r.probability, r.auto_filled, r.final)
            for r in rows
        ]


def test_the_log_is_written_with_the_registration(hl, who):
    number = register(hl, who, category=leaf_code(hl, "物业管理"))
    assert logged(hl) == [
        (number, "request_type", "complaint", 0.97, True, "complaint"),
        (number, "category", "城乡建设", 0.62, False, "城乡建设/住房/物业管理"),
        (number, "department", "M01", 0.55, False, "M02"),
    ]


def test_a_refused_registration_logs_nothing(hl, who):
    with pytest.raises(HotlineError):
        register(hl, who, lead="NOPE")  # no such department: the whole transaction goes
    assert logged(hl) == []
    with hl.reading() as s:
        assert s.exec(select(Ticket)).all() == []


def test_without_suggestions_no_row_and_a_queued_call_has_no_department(hl, who):
    register(hl, who, offered=())
    assert logged(hl) == []
    intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="consult",
            description="咨询社保缴费基数怎么算",
            caller=CallerInput(name="李四", phone="13900139000"),
        ),
        Disposition(kind="queue", suggestions=(Offered("department", "M03", 0.99, True),)),
    )
    assert [row[1:] for row in logged(hl)] == [("department", "M03", 0.99, True, None)]


def test_acceptance_over_a_period_counts_the_logged_rows(hl, who, clock):
    register(hl, who, category=leaf_code(hl, "物业管理"))
    clock.advance(days=2)
    register(hl, who, phone="13700137000")
    start = hl.now() - timedelta(days=1)
    found = {
        (a.task, a.way): a
        for a in acceptance_between(hl, who["sup"], start, hl.now() + timedelta(seconds=1))
    }
    # Only the second order is in the period: complaint kept (auto); no category registered;
    # M01 offered, M02 registered.
    assert found["request_type", "auto"] == Acceptance("request_type", "auto", 1, 1)
    assert found["category", "offered"] == Acceptance("category", "offered", 1, 0)
    assert found["department", "all"] == Acceptance("department", "all", 1, 0)
    with pytest.raises(HotlineError):
        acceptance_between(hl, who["op"], start, hl.now())
