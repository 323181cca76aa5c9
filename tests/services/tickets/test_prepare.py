"""A registration reads and makes what it can before its write transaction begins: on SQLite
the transaction's first statement takes the write lock every other operator's save waits for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event

from db.models import Assignment, Caller, Ticket
from hotline_tui.domain.errors import NotFound
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.tickets import due_times, intake
from hotline_tui.services.tickets.intake import Disposition


@pytest.fixture
def steps(hl, monkeypatch):
    """What happened, in order: rows made, due times computed, write transactions begun."""
    happened: list[str] = []

    def began(_connection: object) -> None:
        happened.append("begin")

    def maker(name: str) -> Callable[..., None]:
        return lambda *_args: happened.append(name)

    listeners = [(hl.engines.write, "begin", began)] + [
        (model, "init", maker(model.__name__)) for model in (Ticket, Assignment, Caller)
    ]
    for target, name, listener in listeners:
        event.listen(target, name, listener)
    real = due_times.on_dispatched

    def timed(*args: Any) -> None:
        happened.append("due times")
        real(*args)

    monkeypatch.setattr(due_times, "on_dispatched", timed)
    yield happened
    for target, name, listener in listeners:
        event.remove(target, name, listener)


def call(lead: str) -> tuple[IntakeInput, Disposition]:
    return (
        IntakeInput(
            request_type="complaint",
            description="店铺占道经营",
            category="T003",
            area="S1",
            caller=CallerInput(name="赵六", phone="13911112222"),
        ),
        Disposition(kind="dispatch", lead_dept=lead),
    )


def test_registering_and_dispatching_makes_its_rows_before_the_transaction_begins(hl, who, steps):
    intake.register(hl, who["op"], *call("M01"))
    assert steps.count("begin") == 1
    before = steps[: steps.index("begin")]
    assert {"Ticket", "Assignment", "Caller", "due times"} <= set(before), steps


def test_an_unknown_department_is_refused_before_any_write_transaction(hl, who, steps):
    with pytest.raises(NotFound) as refused:
        intake.register(hl, who["op"], *call("X99"))
    assert refused.value.code == "not_found.dept"
    assert "begin" not in steps
