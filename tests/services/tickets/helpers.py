"""Small builders for service tests."""

from __future__ import annotations

from sqlmodel import col, select

from db.models import Assignment, Ticket
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.tickets import intake
from hotline_tui.services.tickets.intake import Disposition


def new_order(
    hl,
    who,
    *,
    lead=None,
    co=(),
    description="咨询营业执照办理需要哪些材料",
    phone="13800138000",
    confidential=False,
    request_type="consult",
    caller=None,
):
    disposition = (
        Disposition(kind="dispatch", lead_dept=lead, co_depts=tuple(co))
        if lead
        else Disposition(kind="queue")
    )
    return intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type=request_type,
            description=description,
            confidential=confidential,
            caller=caller or CallerInput(name="王五", phone=phone),
        ),
        disposition,
    ).number


def load(hl, number):
    with hl.reading() as s:
        ticket = s.exec(select(Ticket).where(Ticket.number == number)).one()
        rows = list(
            s.exec(
                select(Assignment)
                .where(Assignment.ticket_id == ticket.id)
                .order_by(col(Assignment.id))
            )
        )
        return ticket, rows
