"""A scripted history for the two stores: every step the demo generator takes, in the
combinations it takes them, by named actors at moving times."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from hotline_tui.demo.ops import DemoOps
from hotline_tui.domain.intake import CallerInput, IntakeInput, clean_intake
from hotline_tui.domain.lifecycle import TicketAction
from hotline_tui.domain.states import (
    Ending,
    Resolution,
    Satisfaction,
    SupervisionKind,
    TicketState,
    VisitContact,
)
from hotline_tui.services.context import Actor
from hotline_tui.services.tickets.visits import VisitResult

START = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
# Callers: a person, the same phone again (an ID number filled in), an enterprise twice with a
# second phone, the same phone as another kind, anonymous, no phone at all.
PERSON = CallerInput(name="李四", phone="13900139000")
COMPANY = CallerInput(
    kind="enterprise",
    name="青川市示例商贸有限公司",
    phone="13700137000",
    credit_code="91110000600037341L",
    industry="批发和零售业",
    size="small",
    area_code="S1",
)


class Script:
    """Steps at moving times as named actors; the bulk path commits now and then."""

    def __init__(self, ops: DemoOps[Any, Any], who: dict[str, Actor], *, commits: bool) -> None:
        self.ops, self.who, self.commits = ops, who, commits
        self.at = START
        self.steps = 0

    def __call__(self, username: str, minutes: float = 7) -> DemoOps[Any, Any]:
        self.steps += 1
        if self.commits and self.steps % 3 == 0:
            self.ops.commit()  # rows written earlier are updated from now on
        self.at += timedelta(minutes=minutes)
        self.ops.begin_step(self.at)
        self.ops.act(self.who[username])
        return self.ops


def _call(
    description: str,
    *,
    request_type: str = "complaint",
    caller: CallerInput | None = None,
    category: str | None = None,
    confidential: bool = False,
) -> IntakeInput:
    return clean_intake(
        IntakeInput(
            request_type=request_type,
            description=description,
            caller=caller or CallerInput(name="张三", phone="13800138000"),
            title=f"{request_type}：{description[:8]}",
            category=category,
            area="S1",
            address="一街道人民路8号",
            confidential=confidential,
        )
    )


def _reached(
    satisfaction: Satisfaction, resolution: Resolution = Resolution.RESOLVED
) -> VisitResult:
    return VisitResult(VisitContact.REACHED, resolution, satisfaction, "回访记录。")


UNREACHABLE = VisitResult(VisitContact.UNREACHABLE, note="未接通。")
DECLINED = VisitResult(VisitContact.DECLINED, note="拒绝回访。")


def scenario(step: Script, leaf: str) -> None:
    """Every step the generator takes, in the combinations it takes them."""
    _callers_and_the_loop(step, leaf)
    _returns(step)
    _duplicates(step)
    _endings_and_archive(step)


def _callers_and_the_loop(step: Script, leaf: str) -> None:
    """Callers found again and filled in; one order round the whole loop, twice."""
    ops = step("op")
    consult = _call("请问营业执照怎么办理？", request_type="consult", caller=PERSON)
    answered = ops.register(consult)
    step("op").answer(answered, "已告知营业执照的办理流程。")
    again = CallerInput(name="", phone="13900139000", id_number="11010519491231002X")
    ops = step("op")
    first = ops.register(_call("物业乱收费，多次反映无人处理。", caller=again, category=leaf))
    ops.move(first, TicketAction.QUEUE, bump=False)
    ops = step("disp")
    lead, co = ops.dispatch(first, "M01", ["M02"])
    # The co-handler returns its part; the dispatcher sends it to another bureau.
    step("h2", 30).return_(first, co, "not_our_duty", "不属于我单位职责。")
    step("disp").review_return(first, co, accept=True, redispatch_to="M03", note="同意改派。")
    co = step("disp").assignments_of(first)[-1]
    step("h1").sign(first, lead)
    step("h3").sign(first, co)
    step("sup").urge(first, lead, "请加快办理。")
    step("sup").supervise(first, lead, "请单位负责人督办。")
    step("h1").supervise_reply(first, lead, "已督办。")
    step("sup").flag(first, SupervisionKind.ESCALATE, "提级处理。")
    step("disp").flag(first, SupervisionKind.CONSULT, "组织会商。")
    step("h1", 60).request_extension(first, lead, 5, "需要现场勘查。")
    step("disp").decide_extension(first, lead, approve=True, days=None, note="同意延期。")
    # One request per part (extension_max_requests): the co-handler asks too, and is denied.
    step("h3", 60).request_extension(first, co, 3, "还需协调。")
    step("disp").decide_extension(first, co, approve=False, days=None, note="不同意。")
    step("h3", 600).reply(first, co, "协办意见：已配合处理。")
    step("h1", 600).reply(first, lead, "已处理。")
    step("disp").review(first, passed=False, note="请补充办理情况。")
    step("h1", 300).reply(first, lead, "已补充办理情况。")
    step("disp").review(first, passed=True, note="")
    step("op", 120).visit(first, _reached(Satisfaction.UNSATISFIED, Resolution.UNRESOLVED))
    step("disp").redo(first, ["M03"], "请重新办理。")
    step("h3", 600).reply(first, co, "协办已重新办理。")
    step("h1", 600).reply(first, lead, "已重新办理。")
    step("disp").review(first, passed=True, note="")
    step("op", 60).visit(first, _reached(Satisfaction.SATISFIED))
    step("disp", 1440).reopen(first, "来电人再次反映。")
    step("disp").dispatch(first, "M02", [])
    second_lead = step("disp").lead_of(first)
    step("h2").sign(first, second_lead)
    step("h2", 600).reply(first, second_lead, "已处理完毕。")
    step("disp").review(first, passed=True, note="")
    step("op").visit(first, DECLINED)


def _returns(step: Script) -> None:
    """Returns reviewed every way, a co-handler released, a caller never reached."""
    # The lead returns: to another area (re-dispatched), after signing (rejected), again
    # (back to the queue); then a co-handler released; unreachable until given up.
    ops = step("op")
    returned = ops.register(_call("路灯不亮。", caller=COMPANY))
    step("op").move(returned, TicketAction.QUEUE, bump=False)
    (lead,) = step("disp").dispatch(returned, "M01", [])
    step("h1").return_(returned, lead, "wrong_area", "属地不符。")
    step("disp").review_return(returned, lead, accept=True, redispatch_to="S01", note="改派。")
    lead = step("disp").lead_of(returned)
    step("h1").sign(returned, lead)
    step("h1").return_(returned, lead, "not_our_duty", "非职责范围。")
    step("disp").review_return(returned, lead, accept=False, redispatch_to=None, note="驳回。")
    step("h1").return_(returned, lead, "ownership_unclear", "权属不清。")
    step("disp").review_return(returned, lead, accept=True, redispatch_to=None, note="待定。")
    lead, co = step("disp").dispatch(returned, "M02", ["M03"])
    step("h2").sign(returned, lead)
    step("disp").release(returned, co, "释放协办。")
    step("h2", 600).reply(returned, lead, "已修复。")
    step("disp").review(returned, passed=True, note="")
    for _ in range(3):
        step("op", 180).visit(returned, UNREACHABLE)


def _duplicates(step: Script) -> None:
    """Duplicates merged, moved along a chain, released and called back."""
    # Duplicates: merged while dispatched, a chain moved to the new lead, one merged after the
    # lead's reply passed (released at once); all called back. (They are merged in the order
    # of their ids: the services release them in the database's order, which is that one.)
    ops = step("op")
    main_caller = CallerInput(name="王五", phone="13600136000")
    main = ops.register(_call("小区垃圾无人清运。", caller=main_caller))
    ops.move(main, TicketAction.QUEUE, bump=False)
    (main_lead,) = step("disp").dispatch(main, "M02", [])
    dups = []
    for i, phone in enumerate(("13600136001", "13600136002", "13600136003")):
        dup = step("op").register(
            _call("垃圾没人收。", caller=CallerInput(name=f"邻居{i}", phone=phone))
        )
        step("op").move(dup, TicketAction.QUEUE, bump=False)
        dups.append(dup)
    step("disp").dispatch(dups[0], "M01", [])
    step("disp").merge(dups[0], main, "并单。")  # cancels its own assignment
    step("disp").merge(dups[2], dups[1], "并单。")  # dups[2] waits on dups[1] …
    step("disp").merge(dups[1], main, "并单。")  # … and follows it to main
    step("h2").sign(main, main_lead)
    step("h2", 600).reply(main, main_lead, "已清运。")
    step("disp").review(main, passed=True, note="")
    late_caller = CallerInput(name="赵六", phone="13600136004")
    late = step("op").register(_call("垃圾问题。", caller=late_caller))
    step("op").move(late, TicketAction.QUEUE, bump=False)
    step("disp").merge(late, main, "并单。")  # the lead's reply passed: called back at once
    step("op").visit(dups[0], _reached(Satisfaction.SATISFIED))
    step("op").visit(dups[1], _reached(Satisfaction.UNSATISFIED, Resolution.PARTLY))
    step("disp").close_unsatisfied(dups[1], "已做好解释。")
    step("op").visit(dups[2], UNREACHABLE)
    step("op").visit(late, _reached(Satisfaction.BASIC, Resolution.PARTLY))
    step("op").visit(main, _reached(Satisfaction.SATISFIED))


def _endings_and_archive(step: Script) -> None:
    """Withdrawn, answered, invalid and anonymous orders, then the archive job."""
    # A lead withdrawn midway: its duplicate goes back to the queue and is answered; a lead
    # answered on the call releases its duplicate; an invalid call from an abusive caller; a
    # call withdrawn at intake; an anonymous report; then the archive job.
    ops = step("op")
    neighbour = CallerInput(name="孙七", phone="13500135000")
    withdrawn = ops.register(_call("噪音扰民。", caller=neighbour))
    ops.move(withdrawn, TicketAction.QUEUE, bump=False)
    (wl,) = step("disp").dispatch(withdrawn, "M03", [])
    step("h3").sign(withdrawn, wl)
    orphan = step("op").register(_call("晚上很吵。", caller=PERSON))
    step("op").move(orphan, TicketAction.QUEUE, bump=False)
    step("disp").merge(orphan, withdrawn, "并单。")
    step("op").close(withdrawn, TicketAction.WITHDRAW, Ending.WITHDRAWN, "来电人撤单。")
    step("op").answer(orphan, "已答复。")
    quick = step("op").register(_call("咨询社保缴费。", request_type="consult", caller=COMPANY))
    echo = step("op").register(_call("社保缴费怎么办？", caller=CallerInput(name="周八")))
    step("op").move(echo, TicketAction.QUEUE, bump=False)
    step("disp").merge(echo, quick, "并单。")
    step("op").answer(quick, "已告知。")
    step("op").visit(echo, _reached(Satisfaction.SATISFIED))
    abusive = CallerInput(name="匿名", phone="13400134000")
    invalid = step("op").register(_call("来电人辱骂话务员。", request_type="other", caller=abusive))
    step("op").close(invalid, TicketAction.INVALID, Ending.INVALID, "无效来电。")
    step("op").mark_abusive(invalid, "多次辱骂话务员。")
    # The enterprise again, from the person's phone (a second phone of the enterprise).
    same_company = dataclasses.replace(COMPANY, phone="13900139000")
    gone = step("op").register(_call("已自行解决。", caller=same_company))
    step("op").close(gone, TicketAction.WITHDRAW, Ending.WITHDRAWN, "撤回。")
    anonymous = CallerInput(kind="anonymous", phone="13300133000")
    report = _call("举报无证经营。", request_type="report", caller=anonymous, confidential=True)
    secret = step("op").register(report)
    step("op").answer(secret, "已登记。")
    ops = step("system", 60 * 24 * 70)
    for ticket in ops.tickets(ops.closed_before(step.at - timedelta(days=60), 1)):
        if ticket.state == TicketState.CLOSED:
            ops.move(ticket, TicketAction.ARCHIVE)
