"""Issue 15, item 5: the return-visit lists carry whom to call, masked as the reader may see it
by the one rule of the order view (``present_contact``: ``may_see_caller`` and
``present_phone``), and the visit note is kept with the call and in the audit trail."""

from __future__ import annotations

from types import SimpleNamespace

from sqlmodel import col, select

from db.models import AuditEvent, VisitAttempt
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.states import CallerKind
from hotline_tui.services.scheduling.visit_due import visit_due_board
from hotline_tui.services.tickets import closing, handling, intake, queries, visits
from hotline_tui.services.tickets.intake import Disposition
from hotline_tui.services.tickets.views import present_contact
from hotline_tui.services.tickets.worklists import work_queue
from tests.services.tickets.helpers import load, new_order


def _replied(hl, who, number: str) -> str:
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="已修复路灯")
    closing.review(hl, who["disp"], number, passed=True)
    return number


def _register(hl, who, caller: CallerInput, **fields) -> str:
    form = IntakeInput(request_type="complaint", description="路灯不亮", caller=caller, **fields)
    number: str = intake.register(
        hl, who["op"], form, Disposition(kind="dispatch", lead_dept="M01")
    ).number
    return _replied(hl, who, number)


def test_the_visit_lists_name_whom_to_call(hl, who, clock):
    plain = _replied(hl, who, new_order(hl, who, lead="M01", phone="13800138000"))
    secret = _register(
        hl,
        who,
        CallerInput(name="赵六", phone="13900139000"),
        confidential=True,
        callback_phone="13700137000",
    )
    nobody = _register(hl, who, CallerInput(kind=CallerKind.ANONYMOUS, phone="13600136000"))
    rows = {item.number: item for item in work_queue(hl, who["op"], "visits")}
    plain_caller = rows[plain].caller
    assert plain_caller is not None and plain_caller.name == "王五"
    assert plain_caller.dial == "13800138000"  # the hotline's staff see it in full
    assert rows[plain].reply_text == "已修复路灯"
    secret_caller = rows[secret].caller
    assert secret_caller is not None
    assert (secret_caller.name, secret_caller.confidential, secret_caller.hidden) == (
        "赵六",
        True,
        False,
    )
    assert secret_caller.dial == "13700137000"  # the call-back number the caller gave
    nobody_caller = rows[nobody].caller
    assert nobody_caller is not None and nobody_caller.anonymous
    assert nobody_caller.dial == "13600136000"
    clock.advance(days=10)  # every visit is due now: the visit-due board has them too
    due = {row.number: row for row in visit_due_board(hl, who["op"]).rows}
    assert due[plain].caller == rows[plain].caller
    assert due[secret].caller == rows[secret].caller
    assert due[plain].reply_text == "已修复路灯"


def test_whom_to_call_follows_the_order_views_rule(hl, who):
    """The same masking and hiding as the order view, for every role and both kinds of order."""
    for confidential in (False, True):
        number = new_order(hl, who, lead="M01", confidential=confidential)
        ticket, _parts = load(hl, number)
        row = SimpleNamespace(
            confidential=ticket.confidential,
            caller_id=ticket.caller_id,
            contact_name=ticket.contact_name,
            contact_phone=ticket.contact_phone,
            callback_phone=ticket.callback_phone,
        )
        for user in ("op", "disp", "sup", "h1"):
            shown = present_contact(who[user], row)
            detail = queries.show(hl, who[user], number).caller
            if detail is None:
                assert shown.hidden and shown.phone is None and not shown.name, user
            else:
                assert (shown.name, shown.phone) == (detail.name, detail.phone), user
        assert present_contact(who["h1"], row).hidden is confidential
        if not confidential:
            assert present_contact(who["h1"], row).phone == "138****8000"


def test_the_visit_note_is_kept_with_the_call_and_audited(hl, who):
    number = _replied(hl, who, new_order(hl, who, lead="M01"))
    note = "市民表示路灯已亮\n希望加强巡查"
    visits.visit(hl, who["op"], number, visits.parse_visit("reached", "resolved", "basic", note))
    with hl.reading() as session:
        ticket, _parts = load(hl, number)
        attempt = session.exec(
            select(VisitAttempt).where(VisitAttempt.ticket_id == ticket.id)
        ).one()
        event = session.exec(
            select(AuditEvent)
            .where(AuditEvent.ticket_id == ticket.id)
            .order_by(col(AuditEvent.seq).desc())
        ).first()
    assert (attempt.note, attempt.satisfaction) == (note, "basic")
    assert event is not None and event.note == note and event.action == "visit_satisfied"
    assert ticket.state == "closed"
