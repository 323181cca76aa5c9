"""Rule 6 (issue 14): a supervisor's own 催办 and 督办 reach the department's notices as the
scheduler's do: the same step, the same shape, the same audience, in the change feed's order."""

from __future__ import annotations

from hotline_tui.services.scheduling.escalation import scan
from hotline_tui.services.tickets import handling, notices, supervision
from tests.services.scheduling_helpers import local
from tests.services.tickets.helpers import load, new_order


def _signed(hl, who, **kw) -> str:
    number = str(new_order(hl, who, **kw))
    handling.sign(hl, who["h1"], number)
    return number


def test_a_supervisors_urge_reaches_the_departments_notices(hl, who):
    start = notices.notice_head(hl)
    number = _signed(hl, who, lead="M01", co=["M02"])
    supervision.urge(hl, who["sup"], number, "请加快办理")
    (told,) = notices.notices_since(hl, who["h1"], start)
    _, (lead, _co) = load(hl, number)
    assert (told.step, told.number, told.dept) == ("urge", number, "M01")
    assert told.deadline == lead.due_at  # the part's completion due, as the scheduler's
    assert told.dept_name == "市监局" and told.leader == ""
    assert notices.notices_since(hl, who["h2"], start) == []  # M02 was not urged
    assert notices.notices_since(hl, who["sup"], start) == [told]
    assert notices.notices_since(hl, who["disp"], start) == [told]
    assert notices.notices_since(hl, who["op"], start) == []  # operators: return visits only


def test_a_supervisors_supervise_reaches_the_departments_notices_like_the_schedulers(
    hl, who, clock
):
    start = notices.notice_head(hl)
    by_hand = _signed(hl, who, lead="M01")
    late = _signed(hl, who, lead="M01", phone="13700137000")
    supervision.supervise(hl, who["sup"], by_hand, "请说明办理进度")
    # The scheduler's 督办 of the other order, the working day after its deadline.
    scan(hl, local(2026, 3, 6, 9, 0), holder="test")
    seen = notices.notices_since(hl, who["h1"], start)
    supervised = [n for n in seen if n.step == "supervise"]
    mine = supervised[0]  # given by hand before the scan
    schedulers = next(n for n in supervised if n.number == late)
    assert mine.number == by_hand and mine.at < schedulers.at
    assert type(mine) is type(schedulers)
    assert (mine.dept, mine.dept_name, mine.urgency) == (
        schedulers.dept,
        schedulers.dept_name,
        schedulers.urgency,
    )
    assert mine.deadline == load(hl, by_hand)[1][0].due_at
    assert [n.seq for n in seen] == sorted(n.seq for n in seen)
    assert mine in notices.notices_since(hl, who["sup"], start)
    assert notices.notices_since(hl, who["h2"], start) == []


def test_polling_after_a_hand_given_notice_repeats_nothing(hl, who):
    start = notices.notice_head(hl)
    number = _signed(hl, who, lead="M01")
    supervision.urge(hl, who["disp"], number, "请尽快")
    (first,) = notices.notices_since(hl, who["h1"], start)
    assert notices.notices_since(hl, who["h1"], first.seq) == []
    supervision.supervise(hl, who["sup"], number, "请回复")
    (second,) = notices.notices_since(hl, who["h1"], first.seq)
    assert second.step == "supervise" and second.seq > first.seq
    assert notices.notice_head(hl) >= second.seq
