"""Each ticket service on SQLite and PostgreSQL: side paths, flags, scoping and conflicts."""

from __future__ import annotations

import pytest

from hotline_tui.domain.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.tickets import (
    closing,
    dispatch,
    editing,
    handling,
    intake,
    lookup,
    queries,
    supervision,
    visits,
    worklists,
)
from hotline_tui.services.tickets.intake import Disposition
from tests.services.tickets.helpers import load, new_order


def test_answer_directly_closes_on_the_call(hl, who):
    result = intake.register(
        hl,
        who["op"],
        IntakeInput(request_type="consult", description="公积金怎么提取"),
        Disposition(kind="answer", answer_text="携带身份证到公积金中心办理"),
    )
    ticket, assignments = load(hl, result.number)
    assert (ticket.state, ticket.ending, assignments) == ("closed", "answered", [])
    assert ticket.answer_text == "携带身份证到公积金中心办理"


def test_invalid_and_withdrawn_calls_close_without_assignments(hl, who):
    invalid = intake.register(
        hl,
        who["op"],
        IntakeInput(request_type="other", description="无声"),
        Disposition(kind="invalid", note="无声电话"),
    )
    assert load(hl, invalid.number)[0].ending == "invalid"
    number = new_order(hl, who, lead="M01", co=["M02"])
    intake.withdraw(hl, who["disp"], number, "来电人撤回")  # dispatched: a dispatcher's call
    ticket, assignments = load(hl, number)
    assert ticket.ending == "withdrawn"
    assert {a.state for a in assignments} == {"cancelled"}
    with pytest.raises(IllegalTransition) as err:
        intake.mark_invalid(hl, who["op"], number)
    assert err.value.params["ticket"] == number and err.value.params["state"] == "closed"


def test_lead_cannot_reply_before_co_handlers_unless_released(hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    handling.sign(hl, who["h1"], number)
    with pytest.raises(IllegalTransition) as err:
        handling.reply(hl, who["h1"], number, text="已处理")
    assert err.value.code == "transition.co_handlers_pending"
    dispatch.release(hl, who["disp"], number, "M02", "无需协办")
    handling.reply(hl, who["h1"], number, text="已处理")
    ticket, (_lead, co) = load(hl, number)
    assert ticket.state == "pending_review" and co.state == "released"


def test_review_fail_sends_the_reply_back(hl, who):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="已处理")
    closing.review(hl, who["disp"], number, passed=False, note="答复未回应诉求")
    ticket, (lead,) = load(hl, number)
    assert ticket.state == lead.state == "in_progress"
    handling.reply(hl, who["h1"], number, text="已补充答复")
    assert load(hl, number)[0].state == "pending_review"


def test_rejected_return_goes_back_to_where_it_was(hl, who):
    number = new_order(hl, who, lead="M01")
    handling.return_order(hl, who["h1"], number, reason="wrong_area", basis="不在本辖区")
    assert load(hl, number)[0].state == "return_review"
    dispatch.review_return(hl, who["disp"], number, accept=False, note="属于本单位职责")
    ticket, (lead,) = load(hl, number)
    assert ticket.state == lead.state == "pending_sign"
    handling.sign(hl, who["h1"], number)
    handling.return_order(hl, who["h1"], number, reason="incomplete_info", basis="地址不详")
    dispatch.review_return(hl, who["disp"], number, accept=True)
    ticket, (lead,) = load(hl, number)
    assert ticket.state == "pending_dispatch" and lead.state == "returned"
    dispatch.dispatch(hl, who["disp"], number, "M03")
    ticket, (_, new_lead) = load(hl, number)
    assert ticket.lead_assignment_id == new_lead.id and ticket.state == "pending_sign"


def test_extension_denied_and_limit(hl, who):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    with pytest.raises(ValidationError):
        handling.request_extension(hl, who["h1"], number, days=30, reason="太多")
    handling.request_extension(hl, who["h1"], number, days=5, reason="需协调")
    dispatch.decide_extension(hl, who["disp"], number, approve=False, note="理由不足")
    ticket, (lead,) = load(hl, number)
    assert ticket.state == "in_progress" and lead.extension_days_granted == 0


def test_visit_unreachable_until_give_up_and_declined(hl, who, clock):
    numbers = []
    for _ in range(2):
        number = new_order(hl, who, lead="M01")
        handling.sign(hl, who["h1"], number)
        handling.reply(hl, who["h1"], number, text="已处理")
        closing.review(hl, who["disp"], number, passed=True)
        numbers.append(number)
    unreachable = visits.parse_visit("unreachable", None, None)
    for _ in range(hl.settings.visit_max_attempts - 1):
        visits.visit(hl, who["op"], numbers[0], unreachable)
        assert load(hl, numbers[0])[0].state == "pending_visit"
        clock.advance(minutes=hl.settings.visit_retry_gap_minutes)  # the next try may be made
    visits.visit(hl, who["op"], numbers[0], unreachable)
    assert load(hl, numbers[0])[0].ending == "unreachable"
    visits.visit(hl, who["op"], numbers[1], visits.parse_visit("declined", None, None))
    assert load(hl, numbers[1])[0].ending == "declined"
    with pytest.raises(ValidationError):
        visits.parse_visit("reached", None, "satisfied")


def test_merged_duplicate_is_called_back_after_its_lead(hl, who):
    lead_number = new_order(hl, who, lead="M01")
    duplicate = new_order(hl, who, phone="13900139000")
    intake.merge(hl, who["disp"], duplicate, lead_number, "同一小区同一问题")
    assert load(hl, duplicate)[0].state == "merged"
    handling.sign(hl, who["h1"], lead_number)
    handling.reply(hl, who["h1"], lead_number, text="已处理")
    closing.review(hl, who["disp"], lead_number, passed=True)
    ticket, _ = load(hl, duplicate)
    assert ticket.state == "pending_visit"
    visits.visit(hl, who["op"], duplicate, visits.parse_visit("reached", "resolved", "basic"))
    assert load(hl, duplicate)[0].ending == "merged"
    detail = queries.show(hl, who["sup"], lead_number)
    assert detail.duplicates == [duplicate]


def test_reopen_and_archive_are_counted(hl, who):
    result = intake.register(
        hl,
        who["op"],
        IntakeInput(request_type="consult", description="问"),
        Disposition(kind="answer", answer_text="答"),
    )
    closing.reopen(hl, who["disp"], result.number, "来电人再次反映")
    ticket, _ = load(hl, result.number)
    assert (ticket.state, ticket.reopen_count, ticket.ending) == ("pending_dispatch", 1, None)
    intake.answer(hl, who["disp"], result.number, "再次答复")
    closing.archive(hl, who["sup"], result.number)
    assert load(hl, result.number)[0].state == "archived"
    with pytest.raises(IllegalTransition):
        closing.reopen(hl, who["disp"], result.number, "归档后不能重启")


def test_urge_supervise_reply_escalate_consult(hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    supervision.urge(hl, who["disp"], number, "请尽快签收")
    supervision.supervise(hl, who["sup"], number, "超期督办", dept="M02")
    assert load(hl, number)[0].supervised
    with pytest.raises(NotFound):
        supervision.supervise_reply(hl, who["h1"], number, "本单位无督办")
    supervision.supervise_reply(hl, who["h2"], number, "已安排专人办理")
    supervision.escalate(hl, who["sup"], number, "涉及多部门，提级办理", leader="sup")
    supervision.consult(hl, who["sup"], number, "组织会商")
    ticket, _ = load(hl, number)
    assert (ticket.urge_count, ticket.supervised, ticket.escalated, ticket.consulted) == (
        1,
        False,
        True,
        True,
    )
    detail = queries.show(hl, who["sup"], number)
    assert [(s.kind, s.dept) for s in detail.supervisions] == [
        ("urge", "M01"),
        ("supervise", "M02"),
        ("escalate", None),
        ("consult", None),
    ]
    assert detail.supervisions[1].answer == "已安排专人办理"
    with pytest.raises(PermissionDenied):
        supervision.supervise(hl, who["op"], number, "话务员不能督办")


def test_handler_sees_and_acts_only_on_own_department(hl, who):
    number = new_order(hl, who, lead="M01")
    with pytest.raises(NotFound):
        queries.show(hl, who["h2"], number)
    with pytest.raises(NotFound):
        handling.sign(hl, who["h2"], number)
    with pytest.raises(PermissionDenied):
        handling.sign(hl, who["h1"], number, dept="M02")
    assert queries.find(hl, who["h2"], queries.FindQuery(number=number)) == []
    assert [r.number for r in queries.find(hl, who["h1"], queries.FindQuery(number=number))] == [
        number
    ]
    with pytest.raises(PermissionDenied):
        dispatch.dispatch(hl, who["h1"], number, "M02")


def test_the_order_view_carries_the_co_handlers_opinion_to_whoever_sees_the_order(hl, who):
    number = new_order(hl, who, lead="M01", co=["M03"])
    handling.sign(hl, who["h3"], number)
    handling.reply(hl, who["h3"], number, text="协办意见：社保无异常")
    for user in ("h1", "h3", "disp", "sup"):  # the lead, the co-handler, the hotline
        parts = {a.dept: a for a in queries.show(hl, who[user], number).assignments}
        assert parts["M03"].reply_text == "协办意见：社保无异常", user
        assert (parts["M01"].dept_short, parts["M03"].dept_short) == ("市监局", "市人社局")
    with pytest.raises(NotFound):  # a department not on the order sees none of it
        queries.show(hl, who["h2"], number)


def test_masking_confidentiality_and_audited_reveal(hl, who):
    caller = CallerInput(name="赵六", phone="13800138000", id_number="11010519491231002X")
    number = new_order(hl, who, lead="M01", caller=caller)
    secret = new_order(hl, who, lead="M01", confidential=True, request_type="report")
    shown = queries.show(hl, who["h1"], number)
    assert shown.caller is not None
    assert (shown.caller.phone, shown.caller.id_number) == ("138****8000", "110105********002X")
    seen_by_operator = queries.show(hl, who["op"], number).caller
    assert seen_by_operator is not None and seen_by_operator.phone == "13800138000"
    assert queries.show(hl, who["h1"], secret).caller is None
    summary = queries.find(hl, who["h1"], queries.FindQuery(number=secret))[0]
    assert summary.contact_phone is None
    revealed = queries.reveal(hl, who["h1"], number, "需要联系来电人")
    assert revealed.caller is not None and revealed.caller.phone == "13800138000"
    timeline = queries.show(hl, who["sup"], number).timeline
    assert any(e.action == "caller.reveal" and e.actor == "h1" for e in timeline)
    with pytest.raises(PermissionDenied):
        queries.reveal(hl, who["h1"], secret, "想看")


def test_a_search_by_phone_never_matches_a_confidential_order_for_a_department(hl, who):
    """Hole: a handler searching a whistleblower's number got the confidential report back
    (number hidden), which told the department who reported it."""
    phone = "13900139000"
    plain = new_order(hl, who, lead="M01", phone=phone)
    secret = new_order(hl, who, lead="M01", phone=phone, confidential=True, request_type="report")
    by_handler = queries.find(hl, who["h1"], queries.FindQuery(phone=phone))
    assert [r.number for r in by_handler] == [plain]
    history = lookup.caller_history(hl, who["h1"], phone)
    assert [o.number for o in history.orders] == [plain]
    # The hotline's own staff, who may see the caller, still find both.
    by_dispatcher = queries.find(hl, who["disp"], queries.FindQuery(phone=phone))
    assert [r.number for r in by_dispatcher] == [secret, plain]
    # The department still finds the order by its number: only the caller stays hidden.
    assert [r.number for r in queries.find(hl, who["h1"], queries.FindQuery(number=secret))] == [
        secret
    ]


def test_find_by_phone_number_and_two_character_word(hl, who):
    a = new_order(hl, who, description="办理营业执照需要什么材料", phone="13800138001")
    b = new_order(hl, who, description="小区物业乱收停车费", phone="１３８００１３８００２")
    c = new_order(hl, who, description="个体户执照年报逾期怎么处理", phone="13800138001")
    by_word = queries.find(hl, who["disp"], queries.FindQuery(words="执照"))
    assert {r.number for r in by_word} == {a, c}
    assert [
        r.number for r in queries.find(hl, who["disp"], queries.FindQuery(phone="13800138001"))
    ] == [c, a]
    assert [
        r.number for r in queries.find(hl, who["disp"], queries.FindQuery(phone="13800138002"))
    ] == [b]
    # Query syntax in the user's words is only ever searched for, never an error.
    assert len(queries.find(hl, who["disp"], queries.FindQuery(words='执照 "( *'))) == 2
    assert queries.find(hl, who["disp"], queries.FindQuery(words="执照 AND NOT")) == []
    assert queries.find(hl, who["disp"], queries.FindQuery(words="停车 执照")) == []


def test_word_search_pages_newest_first_within_the_handlers_department(hl, who):
    orders = [
        new_order(hl, who, description=f"营业执照变更第{i}次", lead="M01" if i % 2 else "M02")
        for i in range(6)
    ]
    newest_first = list(reversed(orders))
    found = queries.find(hl, who["disp"], queries.FindQuery(words="执照", limit=4))
    assert [r.number for r in found] == newest_first[:4]
    # A handler sees only the orders their department was dispatched, still newest first.
    mine = queries.find(hl, who["h1"], queries.FindQuery(words="执照"))
    assert [r.number for r in mine] == [n for i, n in reversed(list(enumerate(orders))) if i % 2]
    everything = queries.find(hl, who["h1"], queries.FindQuery())
    assert [r.number for r in everything] == [r.number for r in mine]
    both = queries.find(hl, who["h1"], queries.FindQuery(words="执照", state="pending_sign"))
    assert [r.number for r in both] == [r.number for r in mine]


def test_a_queue_page_is_the_earliest_due_of_the_whole_queue(hl, who, clock):
    numbers = []
    for _ in range(5):
        numbers.append(new_order(hl, who, lead="M01"))
        clock.advance(hours=1)
    page = worklists.work_queue(hl, who["h1"], "to_sign", limit=3)
    assert [i.number for i in page] == numbers[:3]
    due = [i.due_at for i in page]
    assert None not in due and due == sorted(d for d in due if d is not None)


def test_queues(hl, who):
    first = new_order(hl, who, lead="M01")
    second = new_order(hl, who, lead="M01")
    queued = new_order(hl, who)
    handling.sign(hl, who["h1"], second)
    assert [i.number for i in worklists.work_queue(hl, who["h1"], "to_sign")] == [first]
    assert [i.number for i in worklists.work_queue(hl, who["h1"], "in_progress")] == [second]
    assert queued in [i.number for i in worklists.work_queue(hl, who["disp"], "to_dispatch")]
    with pytest.raises(PermissionDenied):
        worklists.work_queue(hl, who["h1"], "to_dispatch")


def test_stale_versions_are_refused_with_who_changed_what(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    seen = load(hl, number)[0].version
    clock.advance(minutes=3)
    editing.edit(hl, who["op"], number, {"title": "营业执照"}, if_version=seen)
    with pytest.raises(Conflict) as err:
        editing.edit(hl, who["disp"], number, {"urgency": "urgent"}, if_version=seen)
    params = err.value.params
    assert (params["changed_by"], params["action"], params["seen"], params["current"]) == (
        "op",
        "edit",
        seen,
        seen + 1,
    )
    assert params["at"] == clock().isoformat()
    lead_version = load(hl, number)[1][0].version
    handling.sign(hl, who["h1"], number, if_version=lead_version)
    with pytest.raises(Conflict):
        supervision.urge(hl, who["disp"], number, "快", if_version=lead_version)


def test_validation_errors_name_the_field(hl, who):
    bad = IntakeInput(
        request_type="consult", description="问", caller=CallerInput(phone="12012345678")
    )
    with pytest.raises(ValidationError) as err:
        intake.register(hl, who["op"], bad)
    assert err.value.code == "validation.phone"
    with pytest.raises(ValidationError) as err:
        intake.register(hl, who["op"], IntakeInput(request_type="咨询", description="问"))
    assert err.value.params["field"] == "request_type"
    with pytest.raises(ValidationError):
        intake.register(hl, who["op"], IntakeInput(request_type="consult", description="\x07 "))


def test_repeat_caller_and_enterprise_are_reused(hl, who):
    company = CallerInput(
        kind="enterprise",
        name="青川测试科技有限公司",
        credit_code="91110000600037341L",
        phone="13800138000",
    )
    first = new_order(hl, who, caller=company)
    second = new_order(hl, who, caller=company)
    assert load(hl, first)[0].caller_id == load(hl, second)[0].caller_id
    detail = queries.show(hl, who["op"], first)
    assert detail.caller is not None
    assert detail.caller.kind == "enterprise" and detail.caller.credit_code == "91110000600037341L"


def test_materials_are_stored_once_and_seen_by_every_department(hl, who, tmp_path):
    from hotline_tui.services.tickets import materials

    number = new_order(hl, who, lead="M01", co=["M02"])
    paper = tmp_path / "营业执照副本.pdf"
    paper.write_bytes(b"%PDF-1.4 demo")
    first = materials.add_material(hl, who["op"], number, paper, "来电人提供")
    again = materials.add_material(hl, who["h1"], number, paper)
    assert first.sha256 == again.sha256
    assert materials.material_path(hl, first.sha256).read_bytes() == b"%PDF-1.4 demo"
    for handler in ("h1", "h2"):
        shown = queries.show(hl, who[handler], number).materials
        assert [(m.filename, m.media_type) for m in shown] == [
            ("营业执照副本.pdf", "application/pdf")
        ]
    with pytest.raises(NotFound):
        materials.add_material(hl, who["h3"], number, paper)


def test_duplicates_are_never_left_waiting(hl, who):
    lead = new_order(hl, who, lead="M01")
    first, second = new_order(hl, who), new_order(hl, who)
    intake.merge(hl, who["disp"], first, second)  # first waits on second ...
    intake.merge(hl, who["disp"], second, lead)  # ... and follows it to the lead
    assert load(hl, first)[0].parent_id == load(hl, lead)[0].id
    intake.withdraw(hl, who["disp"], lead, "来电人撤回")
    for number in (first, second):
        ticket, _ = load(hl, number)
        assert (ticket.state, ticket.parent_id) == ("pending_dispatch", None)

    replied = new_order(hl, who, lead="M02")
    handling.sign(hl, who["h2"], replied)
    handling.reply(hl, who["h2"], replied, text="已处理")
    closing.review(hl, who["disp"], replied, passed=True)
    intake.merge(hl, who["disp"], first, replied)  # the lead already has its answer
    assert load(hl, first)[0].state == "pending_visit"

    answered = new_order(hl, who)
    intake.merge(hl, who["disp"], second, answered)
    intake.answer(hl, who["op"], answered, "政策答复")
    assert load(hl, second)[0].state == "pending_visit"
    with pytest.raises(ValidationError) as err:
        visits.visit(
            hl, who["op"], second, visits.parse_visit("reached", "unresolved", "unsatisfied")
        )
        closing.redo(hl, who["disp"], second, note="重办")
    assert err.value.code == "validation.redo_no_lead"


def test_a_department_holds_one_open_part_of_an_order(hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="非本单位")
    with pytest.raises(ValidationError) as err:
        dispatch.review_return(hl, who["disp"], number, accept=True, redispatch_to="M02")
    assert err.value.code == "validation.dept_already_assigned"
    dispatch.review_return(hl, who["disp"], number, accept=True)  # back to the queue
    with pytest.raises(ValidationError) as err:
        dispatch.dispatch(hl, who["disp"], number, "M03", ["M02"])  # M02 is still on it
    assert err.value.code == "validation.dept_already_assigned"
    with pytest.raises(ValidationError) as err:
        intake.mark_invalid(hl, who["op"], number)
    assert err.value.code == "validation.invalid_after_dispatch"
