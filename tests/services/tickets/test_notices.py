"""Notices per audience, polled by sequence number, and the 督办 waiting for an answer."""

from __future__ import annotations

from hotline_tui.services.scheduling.escalation import scan
from hotline_tui.services.scheduling.jobs import run_due
from hotline_tui.services.tickets import handling, notices
from hotline_tui.services.tickets.supervision import supervise_reply
from tests.services.scheduling_helpers import local
from tests.services.tickets.helpers import new_order


def test_notices_reach_the_department_and_the_supervisors(hl, who, clock):
    start = notices.notice_head(hl)
    m01 = new_order(hl, who, lead="M01")
    new_order(hl, who, lead="M02", phone="13700137000")
    for number in (m01,):
        handling.sign(hl, who["h1"], number)
    run_due(hl, local(2026, 3, 6, 9, 0), only=["scan"])
    h1 = notices.notices_since(hl, who["h1"], start)
    assert {n.dept for n in h1} == {"M01"}
    assert [n.step for n in h1] == ["overdue", "urge", "supervise"]
    h2 = notices.notices_since(hl, who["h2"], start)
    assert {n.dept for n in h2} == {"M02"} and "sign_overdue" in [n.step for n in h2]
    sup = notices.notices_since(hl, who["sup"], start)
    assert len(sup) == len(h1) + len(h2)
    assert [n.seq for n in sup] == sorted(n.seq for n in sup)
    assert notices.notices_since(hl, who["op"], start) == []  # operators: return visits only
    # Polling from the last number seen gives only what is new.
    assert notices.notices_since(hl, who["sup"], sup[-1].seq) == []
    assert notices.notices_since(hl, who["sup"], sup[0].seq) == sup[1:]


def test_a_supervision_is_listed_until_the_department_answers_it(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    run_due(hl, local(2026, 3, 6, 9, 0), only=["scan"])
    (open_item,) = notices.open_supervisions(hl, who["h1"])
    assert open_item.number == number and open_item.dept == "M01"
    assert notices.open_supervisions(hl, who["h2"]) == []
    assert len(notices.open_supervisions(hl, who["sup"])) == 1
    supervise_reply(hl, who["h1"], number, "已处理，明日答复")
    assert notices.open_supervisions(hl, who["sup"]) == []


def test_the_supervised_queue_lists_a_departments_parts_with_a_supervision_to_answer(hl, who):
    from hotline_tui.services.tickets import supervision
    from hotline_tui.services.tickets.worklists import work_queue

    number = new_order(hl, who, lead="M01", co=["M02"])
    new_order(hl, who, lead="M01", phone="13700137000")  # not supervised
    handling.sign(hl, who["h1"], number)
    supervision.supervise(hl, who["sup"], number, "请尽快办理", dept="M01")
    (item,) = work_queue(hl, who["h1"], "supervised")
    assert (item.number, item.dept, item.supervised) == (number, "M01", True)
    assert work_queue(hl, who["h2"], "supervised") == []  # M02's part has no 督办
    (m02,) = work_queue(hl, who["h2"], "to_sign")
    assert m02.number == number and not m02.supervised  # the order's flag is not M02's
    in_progress = {i.number: i.supervised for i in work_queue(hl, who["h1"], "in_progress")}
    assert in_progress == {number: True}
    supervise_reply(hl, who["h1"], number, "已安排专人办理")
    assert work_queue(hl, who["h1"], "supervised") == []
    assert [i.supervised for i in work_queue(hl, who["h1"], "in_progress")] == [False]


def test_the_schedulers_own_steps_are_told_once(hl, who, clock):
    start = notices.notice_head(hl)
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    scan(hl, local(2026, 3, 6, 9, 0), holder="test")
    steps = [n.step for n in notices.notices_since(hl, who["h1"], start)]
    assert steps == ["overdue", "urge", "supervise"]  # no second copy from the 督办 it made
    assert [n.number for n in notices.notices_since(hl, who["h1"], start)] == [number] * 3
