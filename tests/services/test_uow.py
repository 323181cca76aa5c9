"""The unit of work's new rows (``add_new``): written with the transaction, in foreign-key order,
attached afterwards so that later changes are kept, and never written when the work fails."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from db.models import Caller, CallerPhone, Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import CallerInput, IntakeInput, clean_intake
from hotline_tui.services import uow as uow_module
from hotline_tui.services.tickets.intake import register_op
from hotline_tui.services.tickets.store import next_ids
from hotline_tui.services.uow import UnitOfWork


def _callers(hl, phone):
    with hl.reading() as session:
        return list(
            session.exec(
                select(Caller.name)
                .join(CallerPhone, col(CallerPhone.caller_id) == col(Caller.id))
                .where(CallerPhone.phone == phone)
            )
        )


def test_a_row_changed_after_a_flush_keeps_the_change(hl, who):
    def work(uow: UnitOfWork) -> None:
        caller = Caller(id=next_ids(uow, "caller")[0], kind="person", name="甲", created_at=uow.now)
        phone = CallerPhone(
            id=next_ids(uow, "caller_phone")[0], caller_id=caller.id or 0, phone="13912345678"
        )
        uow.add_new(phone, caller)  # children before parents: the flush orders them
        assert uow.is_new(caller)
        uow.flush()
        assert not uow.is_new(caller)
        # Written, so a query in the same transaction finds it, as the same object.
        found = uow.session.exec(select(Caller).where(Caller.id == caller.id)).one()
        assert found is caller
        caller.name = "乙"  # an update of the attached row

    uow_module.write(hl, who["op"], work)
    assert _callers(hl, "13912345678") == ["乙"]


def test_new_rows_of_a_failed_transaction_are_not_written(hl, who):
    def work(uow: UnitOfWork) -> None:
        caller = Caller(id=next_ids(uow, "caller")[0], kind="person", name="丙", created_at=uow.now)
        phone = CallerPhone(
            id=next_ids(uow, "caller_phone")[0], caller_id=caller.id or 0, phone="13912340000"
        )
        uow.add_new(caller, phone)
        uow.flush()
        raise ValidationError("validation.required", field="description")

    with pytest.raises(ValidationError):
        uow_module.write(hl, who["op"], work)
    assert _callers(hl, "13912340000") == []


def test_two_calls_from_one_new_number_in_one_transaction_share_the_caller(hl, who):
    call = clean_intake(
        IntakeInput(
            request_type="consult",
            description="咨询社保缴费",
            caller=CallerInput(name="丁", phone="13700001111"),
        ),
        today=hl.now().date(),
    )

    def work(uow: UnitOfWork) -> tuple[int | None, int | None]:
        first = register_op(uow, call)
        second = register_op(uow, call)  # the caller is not written yet: found among new rows
        return first.caller_id, second.caller_id

    first, second = uow_module.write(hl, who["op"], work)
    assert first == second and first is not None
    assert _callers(hl, "13700001111") == ["丁"]
    with hl.reading() as session:
        orders = session.exec(select(Ticket.id).where(Ticket.caller_id == first)).all()
    assert len(orders) == 2
