"""The whole closed loop through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlmodel import col, select

from db.models import Assignment, Ticket
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.admin import audit
from hotline_tui.services.tickets import closing, dispatch, handling, intake, visits
from tests.world import leaf_code


def _ticket(hl, number):
    with hl.reading() as s:
        t = s.execute(select(Ticket).where(Ticket.number == number)).scalar_one()
        a = list(
            s.execute(
                select(Assignment).where(Assignment.ticket_id == t.id).order_by(col(Assignment.id))
            ).scalars()
        )
        return t, a


def test_full_loop_with_a_co_handler_return_extension_redo(hl, who, clock):
    leaf = leaf_code(hl, "营业执照办理")
    reg = intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="complaint",
            description="办理营业执照多次被退回，无人说明原因",
            category=leaf,
            area="D1",
            caller=CallerInput(name="张三", phone="13800138000"),
        ),
    )
    number = reg.number
    assert reg.state == "pending_dispatch"
    clock.advance(minutes=5)
    dispatch.dispatch(hl, who["disp"], number, "M01", ["M02"])
    t, (lead, co) = _ticket(hl, number)
    assert t.state == "pending_sign" and lead.state == co.state == "pending_sign"
    handling.return_order(hl, who["h2"], number, reason="not_our_duty", basis="不属于住建职责")
    t, (lead, co) = _ticket(hl, number)
    assert co.state == "return_review" and t.state == "pending_sign"
    dispatch.review_return(hl, who["disp"], number, accept=True, redispatch_to="M03", dept="M02")
    t, (lead, co, co2) = _ticket(hl, number)
    assert co.state == "returned" and co2.state == "pending_sign" and co2.role == "co"
    handling.sign(hl, who["h1"], number)
    handling.sign(hl, who["h3"], number)
    handling.request_extension(hl, who["h1"], number, days=5, reason="需要现场核查")
    t, _ = _ticket(hl, number)
    assert t.state == "extension_review"
    dispatch.decide_extension(hl, who["disp"], number, approve=True, days=3)
    handling.reply(hl, who["h3"], number, text="已协助核查社保记录")
    handling.reply(hl, who["h1"], number, text="已联系企业，说明补正材料")
    t, _ = _ticket(hl, number)
    assert t.state == "pending_review"
    closing.review(hl, who["disp"], number, passed=True)
    visits.visit(hl, who["op"], number, visits.parse_visit("reached", "unresolved", "unsatisfied"))
    t, _ = _ticket(hl, number)
    assert t.state == "unsatisfied"
    closing.redo(hl, who["disp"], number, note="企业仍不满意，重办")
    t, (lead, co, co2) = _ticket(hl, number)
    assert t.state == "in_progress" and lead.state == "in_progress" and co2.state == "done"
    handling.reply(hl, who["h1"], number, text="已办结营业执照")
    closing.review(hl, who["disp"], number, passed=True)
    visits.visit(hl, who["op"], number, visits.parse_visit("reached", "resolved", "satisfied"))
    t, (lead, co, co2) = _ticket(hl, number)
    assert t.state == "closed" and t.ending == "visited"
    assert lead.extension_days_granted == 3
    assert t.redo_count == 1
    assert t.handover_count >= 8
    report = audit.verify(hl)
    assert report.ok, report
