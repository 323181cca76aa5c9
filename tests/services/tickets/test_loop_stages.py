"""Each stage of the closed loop in DESIGN.md §3, one test named after it, on both backends.

The main path, then the side paths and other endings in the order §3 lists them, then the rules
for several departments on one order. The whole loop in one piece is in ``test_loop.py``; here
each stage stands alone, so a broken stage is named by the test that fails.
"""

from __future__ import annotations

import pytest

from hotline_tui.domain.errors import HotlineError, IllegalTransition, PermissionDenied
from hotline_tui.services.tickets import closing, dispatch, handling, intake, supervision, visits
from tests.services.tickets.helpers import load, new_order


def _reached(resolution: str = "resolved", satisfaction: str = "satisfied") -> visits.VisitResult:
    return visits.parse_visit("reached", resolution, satisfaction)


def _to_visit(hl, who, clock, number: str) -> None:
    """Sign, reply and pass the review of an order dispatched to M01 alone."""
    handling.sign(hl, who["h1"], number)
    clock.advance(minutes=30)
    handling.reply(hl, who["h1"], number, text="已电话联系来电人并办理")
    closing.review(hl, who["disp"], number, passed=True)


# ------------------------------------------------------------------------------------ main path


def test_stage_registered_then_answered_directly_is_closed(hl, who):
    number = new_order(hl, who)
    done = intake.answer(hl, who["op"], number, "所需材料：身份证、申请书")
    ticket, parts = load(hl, number)
    assert done.state == ticket.state == "closed"
    assert ticket.ending == "answered" and parts == []


def test_stage_main_path_from_dispatch_queue_to_archive(hl, who, clock):
    number = new_order(hl, who)
    assert load(hl, number)[0].state == "pending_dispatch"
    dispatch.dispatch(hl, who["disp"], number, "M01", [])
    assert load(hl, number)[0].state == "pending_sign"
    handling.sign(hl, who["h1"], number)
    assert load(hl, number)[0].state == "in_progress"
    handling.reply(hl, who["h1"], number, text="已办理")
    assert load(hl, number)[0].state == "pending_review"
    closing.review(hl, who["disp"], number, passed=True)
    assert load(hl, number)[0].state == "pending_visit"
    visits.visit(hl, who["op"], number, _reached())
    ticket, (part,) = load(hl, number)
    assert (ticket.state, ticket.ending, part.state) == ("closed", "visited", "done")
    closing.archive(hl, who["sup"], number)
    assert load(hl, number)[0].state == "archived"


# ----------------------------------------------------------------------------------- side paths


def test_stage_return_from_pending_sign_accepted_is_redispatched(hl, who, clock):
    number = new_order(hl, who, lead="M02")
    clock.advance(hours=1)
    handling.return_order(hl, who["h2"], number, reason="not_our_duty", basis="不属于住建职责")
    assert load(hl, number)[0].state == "return_review"
    dispatch.review_return(hl, who["disp"], number, accept=True, redispatch_to="M01")
    ticket, (old, new) = load(hl, number)
    assert (old.state, new.state, new.role) == ("returned", "pending_sign", "lead")
    assert ticket.state == "pending_sign" and ticket.lead_assignment_id == new.id


def test_stage_return_from_in_progress_rejected_goes_back_to_the_department(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    clock.advance(hours=1)
    handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="非本局职责")
    dispatch.review_return(hl, who["disp"], number, accept=False, note="属市监职责")
    ticket, (part,) = load(hl, number)
    assert ticket.state == "in_progress" and part.state == "in_progress"


def test_stage_extension_approved_moves_the_due_time(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    due_before = load(hl, number)[1][0].due_at
    handling.request_extension(hl, who["h1"], number, days=3, reason="需现场核查")
    assert load(hl, number)[0].state == "extension_review"
    dispatch.decide_extension(hl, who["disp"], number, approve=True, days=2)
    ticket, (part,) = load(hl, number)
    assert ticket.state == "in_progress" and part.extension_days_granted == 2
    assert part.due_at is not None and due_before is not None and part.due_at > due_before


def test_stage_extension_denied_keeps_the_due_time(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    due_before = load(hl, number)[1][0].due_at
    handling.request_extension(hl, who["h1"], number, days=3, reason="需现场核查")
    dispatch.decide_extension(hl, who["disp"], number, approve=False, note="理由不足")
    ticket, (part,) = load(hl, number)
    assert ticket.state == "in_progress" and part.extension_days_granted == 0
    assert part.due_at == due_before


def test_stage_review_failed_goes_back_to_the_department(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="已办理")
    closing.review(hl, who["disp"], number, passed=False, note="答复未说明依据")
    ticket, (part,) = load(hl, number)
    assert ticket.state == "in_progress" and part.state == "in_progress"


def test_stage_unsatisfied_visit_is_redone_and_counted(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    _to_visit(hl, who, clock, number)
    visits.visit(hl, who["op"], number, _reached("unresolved", "unsatisfied"))
    assert load(hl, number)[0].state == "unsatisfied"
    closing.redo(hl, who["disp"], number, note="来电人不满意")
    ticket, (part,) = load(hl, number)
    assert ticket.state == part.state == "in_progress"
    assert ticket.redo_count == 1 and part.redo_count == 1


def test_stage_unsatisfied_visit_may_be_closed_without_redo(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    _to_visit(hl, who, clock, number)
    visits.visit(hl, who["op"], number, _reached("unresolved", "unsatisfied"))
    closing.close(hl, who["disp"], number, "诉求不合理，已解释")
    ticket, _parts = load(hl, number)
    assert (ticket.state, ticket.ending) == ("closed", "unsatisfied_closed")


def test_stage_merged_duplicate_closes_with_its_lead_and_its_caller_is_visited(hl, who, clock):
    lead = new_order(hl, who, lead="M01", description="小区路灯不亮")
    duplicate = new_order(hl, who, description="小区路灯不亮，同一问题", phone="13900139000")
    intake.merge(hl, who["disp"], duplicate, lead, "同一路灯")
    assert load(hl, duplicate)[0].state == "merged"
    _to_visit(hl, who, clock, lead)
    child = load(hl, duplicate)[0]
    assert child.state == "pending_visit"  # its own caller is called back
    visits.visit(hl, who["op"], duplicate, _reached())
    assert load(hl, duplicate)[0].state == "closed"


# -------------------------------------------------------------------------------- other endings


def test_stage_caller_withdraws_before_dispatch(hl, who):
    number = new_order(hl, who)
    intake.withdraw(hl, who["op"], number, "来电人已自行解决")
    ticket, _parts = load(hl, number)
    assert (ticket.state, ticket.ending) == ("closed", "withdrawn")


def test_stage_invalid_call_is_closed_and_refused_once_dispatched(hl, who):
    number = new_order(hl, who)
    intake.mark_invalid(hl, who["op"], number, "无声电话")
    ticket, parts = load(hl, number)
    assert (ticket.state, ticket.ending, parts) == ("closed", "invalid", [])
    worked = new_order(hl, who, lead="M01")
    with pytest.raises(IllegalTransition):
        intake.mark_invalid(hl, who["op"], worked, "误判")


def test_stage_visit_unreachable_after_the_attempts_closes_with_that_outcome(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    _to_visit(hl, who, clock, number)
    attempts = hl.settings.visit_max_attempts
    for _ in range(attempts - 1):
        visits.visit(hl, who["op"], number, visits.parse_visit("unreachable", None, None))
        assert load(hl, number)[0].state == "pending_visit"
        clock.advance(hours=3)  # attempts are spread over the day
    visits.visit(hl, who["op"], number, visits.parse_visit("unreachable", None, None))
    ticket, _parts = load(hl, number)
    assert (ticket.state, ticket.ending) == ("closed", "unreachable")


def test_stage_visit_declined_closes_with_that_outcome(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    _to_visit(hl, who, clock, number)
    visits.visit(hl, who["op"], number, visits.parse_visit("declined", None, None))
    ticket, _parts = load(hl, number)
    assert (ticket.state, ticket.ending) == ("closed", "declined")


def test_stage_closed_order_reopened_by_a_dispatcher_is_counted(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    _to_visit(hl, who, clock, number)
    visits.visit(hl, who["op"], number, _reached())
    with pytest.raises(PermissionDenied):
        closing.reopen(hl, who["op"], number, "来电人反映未解决")
    closing.reopen(hl, who["disp"], number, "来电人反映未解决")
    ticket, _parts = load(hl, number)
    assert ticket.state == "pending_dispatch"  # back to the dispatcher, to send it again
    assert ticket.reopen_count == 1 and ticket.ending is None


# ------------------------------------------------------------------ flags beside the state


def test_stage_urge_supervise_escalate_consult_are_flags_not_states(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    supervision.urge(hl, who["sup"], number, "请尽快办理")
    supervision.supervise(hl, who["sup"], number, "已超期，督办")
    supervision.escalate(hl, who["sup"], number, "涉及多部门，提级协调", leader="sup")
    supervision.consult(hl, who["sup"], number, "组织会商")
    ticket, (part,) = load(hl, number)
    assert ticket.state == part.state == "in_progress"
    assert ticket.urge_count == 1 and ticket.supervised
    assert ticket.escalated and ticket.consulted


# ------------------------------------------------------------------- several departments


def test_stage_co_handler_return_is_reviewed_for_its_part_only(hl, who, clock):
    number = new_order(hl, who, lead="M01", co=["M02"])
    clock.advance(hours=1)
    handling.return_order(hl, who["h2"], number, reason="not_our_duty", basis="非住建职责")
    ticket, (lead, co) = load(hl, number)
    assert co.state == "return_review" and ticket.state == lead.state == "pending_sign"


def test_stage_lead_replies_once_every_co_handler_replied_or_was_released(hl, who, clock):
    number = new_order(hl, who, lead="M01", co=["M02", "M03"])
    for handler in ("h1", "h2", "h3"):
        handling.sign(hl, who[handler], number)
    with pytest.raises(HotlineError):
        handling.reply(hl, who["h1"], number, text="主办答复")
    handling.reply(hl, who["h2"], number, text="协办意见")
    dispatch.release(hl, who["disp"], number, "M03", "无需协办")
    handling.reply(hl, who["h1"], number, text="主办答复")
    ticket, (lead, co2, co3) = load(hl, number)
    assert ticket.state == "pending_review"
    assert (lead.state, co2.state, co3.state) == ("replied", "replied", "released")


def test_stage_extension_is_per_part_and_the_order_due_is_the_leads(hl, who, clock):
    number = new_order(hl, who, lead="M01", co=["M02"])
    handling.sign(hl, who["h1"], number)
    handling.sign(hl, who["h2"], number)
    _ticket, (lead_before, co_before) = load(hl, number)
    handling.request_extension(hl, who["h2"], number, days=2, reason="协办需调取档案")
    dispatch.decide_extension(hl, who["disp"], number, approve=True, days=2, dept="M02")
    ticket, (lead, co) = load(hl, number)
    assert lead.due_at == lead_before.due_at and co.extension_days_granted == 2
    assert co.due_at is not None and co_before.due_at is not None
    assert co.due_at > co_before.due_at
    assert ticket.state == "in_progress"  # the order follows its lead, not the co-handler


def test_stage_redo_goes_to_the_lead_and_the_co_handlers_picked(hl, who, clock):
    number = new_order(hl, who, lead="M01", co=["M02", "M03"])
    for handler in ("h1", "h2", "h3"):
        handling.sign(hl, who[handler], number)
    handling.reply(hl, who["h2"], number, text="协办意见")
    handling.reply(hl, who["h3"], number, text="协办意见")
    handling.reply(hl, who["h1"], number, text="主办答复")
    closing.review(hl, who["disp"], number, passed=True)
    clock.advance(hours=2)
    visits.visit(hl, who["op"], number, _reached("unresolved", "unsatisfied"))
    closing.redo(hl, who["disp"], number, co_depts=["M03"], note="需人社配合重办")
    _ticket, (lead, co2, co3) = load(hl, number)
    assert (lead.state, co2.state, co3.state) == ("in_progress", "done", "in_progress")


def test_redo_revives_co_handlers_only_never_a_former_lead(hl, who, clock):
    """M03 led the order once; after a reopen M01 leads it. A redo that names M03 may not
    bring M03's old lead part back to work (two leads at once): M03 was never a co-handler,
    so the redo is refused and nothing changes. Found by the lifecycle state machine."""
    number = new_order(hl, who, lead="M03")
    handling.sign(hl, who["h3"], number)
    handling.reply(hl, who["h3"], number, text="已处理")
    closing.review(hl, who["disp"], number, passed=True)
    visits.visit(hl, who["op"], number, _reached())
    closing.reopen(hl, who["disp"], number, "来电人再次反映")
    dispatch.dispatch(hl, who["disp"], number, "M01")
    _to_visit(hl, who, clock, number)
    visits.visit(hl, who["op"], number, _reached("unresolved", "unsatisfied"))
    with pytest.raises(HotlineError) as refused:
        closing.redo(hl, who["disp"], number, co_depts=("M03",), note="重办")
    assert refused.value.code == "validation.redo_dept"
    ticket, parts = load(hl, number)
    assert ticket.state == "unsatisfied"
    assert sum(1 for p in parts if p.role == "lead" and p.state != "done") == 0
    closing.redo(hl, who["disp"], number, note="重办")  # the lead alone is redone
    ticket, parts = load(hl, number)
    open_leads = [p for p in parts if p.role == "lead" and p.state == "in_progress"]
    assert ticket.state == "in_progress" and len(open_leads) == 1
