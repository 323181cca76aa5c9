"""Rule 6 (issue 14): 提级 and 会商 are more than a flag and a note. They name their
participants (departments, and for 提级 a leader: a supervisor's or administrator's account), get
a due time in working days (setting ``coordination_due_days``, default 5), are told to their
participants, and have their outcome recorded later (who, when, what), audited.

The test clock starts on Monday 2026-03-02 09:30 in Shanghai (7 working hours a day): 5 working
days later is Monday 2026-03-09 09:30.
"""

from __future__ import annotations

import pytest

from hotline_tui.domain.errors import IllegalTransition, NotFound, PermissionDenied, ValidationError
from hotline_tui.domain.states import SupervisionKind
from hotline_tui.services.tickets import (
    closing,
    handling,
    intake,
    notices,
    queries,
    supervision,
)
from tests.services.scheduling_helpers import local
from tests.services.tickets.helpers import load, new_order

ESCALATE, CONSULT = SupervisionKind.ESCALATE, SupervisionKind.CONSULT


def _working(hl, who) -> str:
    number = str(new_order(hl, who, lead="M01", co=["M02"]))
    handling.sign(hl, who["h1"], number)
    return number


def test_escalation_names_a_leader_and_departments_with_a_due_time(hl, who):
    number = _working(hl, who)
    supervision.escalate(hl, who["disp"], number, "涉及多部门，提级协调", leader="sup")
    detail = queries.show(hl, who["adm"], number)
    (item,) = detail.supervisions
    assert (item.kind, item.leader, item.depts) == ("escalate", "sup", ["M01", "M02"])
    assert item.due_at == local(2026, 3, 9, 9, 30)  # 5 working days (coordination_due_days)
    assert (item.created_by, item.answer, item.answered_at) == ("disp", None, None)
    assert detail.flags["escalated"]


def test_escalation_needs_a_supervisor_or_an_administrator_as_leader(hl, who):
    number = _working(hl, who)
    for name in ("op", "disp", "h1", "system", "nobody"):
        with pytest.raises(ValidationError) as refused:
            supervision.escalate(hl, who["sup"], number, "提级", leader=name)
        assert refused.value.code == "validation.leader" and refused.value.params["user"] == name
    with pytest.raises(ValidationError, match="leader_required"):
        supervision.escalate(hl, who["sup"], number, "提级")
    supervision.escalate(hl, who["sup"], number, "提级", leader="adm")
    assert load(hl, number)[0].escalated


def test_consultation_calls_the_departments_working_on_the_order_or_those_named(hl, who):
    first = _working(hl, who)
    supervision.consult(hl, who["disp"], first, "职责交叉，组织会商")
    second = _working(hl, who)
    supervision.consult(hl, who["disp"], second, "请人社局参加", depts=["M03", "M01"], days=2)
    (by_default,) = queries.show(hl, who["sup"], first).supervisions
    (named,) = queries.show(hl, who["sup"], second).supervisions
    assert by_default.depts == ["M01", "M02"] and by_default.leader is None
    assert named.depts == ["M03", "M01"]
    assert named.due_at == local(2026, 3, 4, 9, 30)  # the 2 working days given
    queued = str(new_order(hl, who))  # nobody works on it yet: the departments must be named
    with pytest.raises(ValidationError, match="participants_required"):
        supervision.consult(hl, who["disp"], queued, "会商")
    with pytest.raises(ValidationError, match="due_days"):
        supervision.consult(hl, who["disp"], first, "会商", days=0)


def test_the_due_time_follows_the_setting(hl, who):
    hl.settings.coordination_due_days = 1
    number = _working(hl, who)
    supervision.consult(hl, who["disp"], number, "会商")
    (item,) = queries.show(hl, who["sup"], number).supervisions
    assert item.due_at == local(2026, 3, 3, 9, 30)


def test_participants_are_told_and_a_called_department_may_read_the_order(hl, who):
    start = notices.notice_head(hl)
    number = _working(hl, who)
    with pytest.raises(NotFound):
        queries.show(hl, who["h3"], number)  # M03 has no part of it
    supervision.escalate(hl, who["sup"], number, "提级", leader="adm", depts=["M03"])
    (told,) = notices.notices_since(hl, who["h3"], start)
    assert (told.step, told.number, told.dept) == ("escalate", number, "M03")
    assert told.deadline == local(2026, 3, 9, 9, 30)
    assert notices.notices_since(hl, who["h1"], start) == []  # M01 was not named
    for_supervisors = notices.notices_since(hl, who["sup"], start)
    assert {(n.dept, n.leader) for n in for_supervisors} == {("M03", ""), ("", "adm")}
    assert len({n.seq for n in for_supervisors}) == 1  # one act, told to each party
    assert queries.show(hl, who["h3"], number).number == number
    supervision.consult(hl, who["disp"], number, "会商")
    consulted = notices.notices_since(hl, who["h2"], start)
    assert [n.step for n in consulted] == ["consult"]


def test_the_outcome_is_recorded_later_with_who_when_and_what(hl, who, clock):
    number = _working(hl, who)
    supervision.escalate(hl, who["sup"], number, "提级", leader="adm")
    supervision.consult(hl, who["disp"], number, "会商")
    clock.advance(days=1)
    result = supervision.record_result(hl, who["adm"], number, ESCALATE, "由住建局牵头，三日内办结")
    detail = queries.show(hl, who["sup"], number)
    escalation, consultation = detail.supervisions
    assert escalation.answer == "由住建局牵头，三日内办结"
    assert (escalation.answered_by, escalation.answered_at) == ("adm", clock())
    assert consultation.answered_at is None  # still waiting for its own outcome
    event = detail.timeline[-1]
    assert (event.action, event.actor, event.note) == ("escalate_result", "adm", escalation.answer)
    assert result.version == detail.version
    supervision.record_result(hl, who["disp"], number, CONSULT, "会商确定由市监局主办")
    assert queries.show(hl, who["sup"], number).supervisions[1].answered_by == "disp"


def test_recording_an_outcome_needs_the_role_an_open_item_and_an_open_order(hl, who):
    number = _working(hl, who)
    with pytest.raises(NotFound, match="coordination"):
        supervision.record_result(hl, who["sup"], number, ESCALATE, "结果")
    supervision.escalate(hl, who["sup"], number, "提级", leader="sup")
    for user in ("h1", "op"):
        with pytest.raises(PermissionDenied):
            supervision.record_result(hl, who[user], number, ESCALATE, "结果")
    with pytest.raises(ValidationError, match="required"):
        supervision.record_result(hl, who["sup"], number, ESCALATE, "  ")
    supervision.record_result(hl, who["sup"], number, ESCALATE, "已协调")
    with pytest.raises(NotFound):  # each 提级 has one outcome
        supervision.record_result(hl, who["sup"], number, ESCALATE, "再次")
    closed = str(new_order(hl, who))
    supervision.consult(hl, who["disp"], closed, "会商", depts=["M01"])
    intake.answer(hl, who["op"], closed, "已当场答复")
    with pytest.raises(IllegalTransition):
        supervision.record_result(hl, who["disp"], closed, CONSULT, "结果")
    with pytest.raises(IllegalTransition):  # the state is the news, before the leader named
        supervision.escalate(hl, who["sup"], closed, "提级", leader="op")
    closing.reopen(hl, who["disp"], closed, "来电人再次反映")
    supervision.record_result(hl, who["disp"], closed, CONSULT, "结果")
