"""The minute scan: deadline flags and the escalation ladder, each step once, in working time.

The test clock starts on Monday 2026-03-02 09:30 in Shanghai; working hours are 09:00–12:00 and
13:30–17:30 (7 h a day). A consultation dispatched then is due Thursday 09:30 (3 wd) with the
warning (20 % left) on Wednesday 13:48.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from db.models import EscalationStep, Supervision
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.reference import calendar_import
from hotline_tui.services.scheduling import escalation
from hotline_tui.services.tickets import closing, dispatch, handling, intake, queries
from hotline_tui.services.tickets.intake import Disposition
from hotline_tui.services.tickets.supervision import supervise_reply
from tests.services.tickets.helpers import load, new_order

SH = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH).astimezone(UTC)


def steps(hl, number=None) -> list[tuple[str, str, datetime]]:
    """(step, department id, acted_at) of every step taken (of one order if named)."""
    with hl.reading() as s:
        query = select(EscalationStep).order_by(col(EscalationStep.id))
        rows = list(s.exec(query))
    if number is not None:
        ticket, _ = load(hl, number)
        rows = [r for r in rows if r.ticket_id == ticket.id]
    return [(r.step, str(r.dept_id), r.acted_at) for r in rows]


def names(hl, number=None) -> list[str]:
    return [step for step, _, _ in steps(hl, number)]


def scan_at(hl, clock, when: datetime) -> escalation.ScanReport:
    clock.current = when
    return escalation.scan(hl, when, holder="test")


def signed_order(hl, who) -> str:
    number = str(new_order(hl, who, lead="M01"))
    handling.sign(hl, who["h1"], number)
    return number


def urgent_order(hl, who, urgency: str = "critical") -> str:
    number = intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="help",
            urgency=urgency,
            description="小区停水，家中老人需要用水",
            caller=CallerInput(name="赵六", phone="13900139000"),
        ),
        Disposition(kind="dispatch", lead_dept="M01"),
    ).number
    handling.sign(hl, who["h1"], number)
    return number


def test_the_ladder_takes_each_step_once_and_on_time(hl, who, clock):
    number = signed_order(hl, who)
    assert scan_at(hl, clock, local(2026, 3, 2, 10)).total_taken == 0
    scan_at(hl, clock, local(2026, 3, 4, 13, 48))  # the warning time: yellow, and 催办
    assert names(hl) == ["near_due", "urge"]
    assert scan_at(hl, clock, local(2026, 3, 4, 15)).total_taken == 0  # nothing twice
    scan_at(hl, clock, local(2026, 3, 5, 9, 30))  # the deadline: red; 督办 waits for tomorrow
    assert names(hl) == ["near_due", "urge", "overdue"]
    scan_at(hl, clock, local(2026, 3, 5, 17, 0))
    assert names(hl) == ["near_due", "urge", "overdue"]
    scan_at(hl, clock, local(2026, 3, 6, 9, 0))  # the working day after the breach
    assert names(hl) == ["near_due", "urge", "overdue", "supervise"]
    ticket, _ = load(hl, number)
    assert ticket.supervised and ticket.urge_count == 1
    # 督办 Friday 09:00 + 5 wd = Thursday 17:30, the end of a working day: 通报 next morning.
    scan_at(hl, clock, local(2026, 3, 12, 17, 20))
    assert "notice" not in names(hl)
    scan_at(hl, clock, local(2026, 3, 13, 9, 0))
    assert names(hl)[-1] == "notice"
    assert scan_at(hl, clock, local(2026, 3, 16, 10)).total_taken == 0
    detail = queries.show(hl, who["sup"], number)
    actions = [e.action for e in detail.timeline]
    for action in ("deadline.near_due", "urge", "deadline.overdue", "supervise", "public_notice"):
        assert actions.count(action) == 1, action
    urge_event = next(e for e in detail.timeline if e.action == "urge")
    assert urge_event.at == local(2026, 3, 4, 13, 48) and urge_event.actor == "system"
    assert [s.kind for s in detail.supervisions] == ["urge", "supervise"]


def test_steps_carry_the_audit_sequence_of_their_event(hl, who, clock):
    number = signed_order(hl, who)
    scan_at(hl, clock, local(2026, 3, 6, 9, 0))
    detail = queries.show(hl, who["sup"], number)
    by_action = {e.action: e.seq for e in detail.timeline}
    with hl.reading() as s:
        rows = {r.step: r for r in s.exec(select(EscalationStep))}
    assert rows["urge"].seq == by_action["urge"]
    assert rows["supervise"].seq == by_action["supervise"]
    assert rows["overdue"].seq == by_action["deadline.overdue"]
    assert rows["supervise"].supervision_id is not None


def test_an_answered_supervision_is_not_publicly_noticed(hl, who, clock):
    number = signed_order(hl, who)
    scan_at(hl, clock, local(2026, 3, 6, 9, 0))
    clock.current = local(2026, 3, 6, 10, 0)
    supervise_reply(hl, who["h1"], number, "已联系来电人，正在处理")
    scan_at(hl, clock, local(2026, 3, 16, 10, 0))
    assert "notice" not in names(hl)
    with hl.reading() as s:
        sup = s.exec(select(Supervision).where(Supervision.kind == "supervise")).one()
    assert sup.answered_at == local(2026, 3, 6, 10, 0)


def test_a_night_breach_is_urged_at_the_next_working_instant(hl, who, clock):
    clock.current = local(2026, 3, 2, 23, 0)  # Monday night: 特急, 2 h natural time
    number = urgent_order(hl, who)
    _, (lead,) = load(hl, number)
    assert lead.due_at == local(2026, 3, 3, 1, 0)
    scan_at(hl, clock, local(2026, 3, 3, 2, 0))  # red at 01:00: flagged at once, not urged
    assert names(hl) == ["overdue"]
    scan_at(hl, clock, local(2026, 3, 3, 8, 59))
    assert names(hl) == ["overdue"]
    scan_at(hl, clock, local(2026, 3, 3, 9, 0))
    assert names(hl) == ["overdue", "urge"]
    assert steps(hl)[-1][2] == local(2026, 3, 3, 9, 0)
    scan_at(hl, clock, local(2026, 3, 3, 17, 0))  # 督办 the working day after: Wednesday
    assert "supervise" not in names(hl)
    scan_at(hl, clock, local(2026, 3, 4, 9, 0))
    assert names(hl) == ["overdue", "urge", "supervise"]


def test_a_breach_before_a_holiday_week_is_escalated_on_the_first_working_day_after(hl, who, clock):
    # National Day 2025: 1–8 October off, Thursday 9 October the first working day after.
    clock.current = local(2025, 9, 29, 17, 0)
    before = urgent_order(hl, who, urgency="urgent")  # 24 h: due Tuesday 30 Sep 17:00
    scan_at(hl, clock, local(2025, 9, 30, 13, 30))  # warned at 12:12, urged after lunch
    clock.current = local(2025, 9, 30, 17, 10)
    during = urgent_order(hl, who, urgency="urgent")  # due (and warned) inside the holiday
    scan_at(hl, clock, local(2025, 9, 30, 17, 20))
    assert names(hl, before) == ["near_due", "urge", "overdue"]
    for day in range(1, 9):
        scan_at(hl, clock, local(2025, 10, day, 10, 0))
    assert names(hl, before) == ["near_due", "urge", "overdue"]
    assert names(hl, during) == ["overdue"]  # turned red on 1 October; nobody told at home
    scan_at(hl, clock, local(2025, 10, 9, 9, 0))
    assert names(hl, before) == ["near_due", "urge", "overdue", "supervise"]
    assert names(hl, during) == ["overdue", "urge", "supervise"]
    assert {at for step, _, at in steps(hl) if step in ("urge", "supervise")} >= {
        local(2025, 10, 9, 9, 0)
    }


def test_after_an_approved_extension_the_new_deadline_is_urged_again(hl, who, clock):
    number = signed_order(hl, who)
    scan_at(hl, clock, local(2026, 3, 4, 14, 0))
    assert names(hl) == ["near_due", "urge"]
    clock.current = local(2026, 3, 4, 14, 10)
    handling.request_extension(hl, who["h1"], number, days=3, reason="需要现场核查")
    dispatch.decide_extension(hl, who["disp"], number, approve=True, days=3)
    _, (lead,) = load(hl, number)
    assert lead.due_at == local(2026, 3, 10, 9, 30)
    scan_at(hl, clock, local(2026, 3, 5, 10, 0))  # the old deadline passes: nothing for it
    assert names(hl) == ["near_due", "urge"]
    scan_at(hl, clock, local(2026, 3, 9, 14, 0))  # the new warning time (Monday 13:48)
    assert names(hl) == ["near_due", "urge", "near_due", "urge"]
    assert scan_at(hl, clock, local(2026, 3, 9, 15, 0)).total_taken == 0
    ticket, _ = load(hl, number)
    assert ticket.urge_count == 2


def test_a_redispatched_order_is_urged_at_its_new_department(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    scan_at(hl, clock, local(2026, 3, 4, 14, 0))
    clock.current = local(2026, 3, 4, 14, 5)
    # Urged after its return window (Wednesday 09:30) closed: a late return the hotline approves.
    hl.settings.return_after_window = "review"
    handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="不属于本单位职责")
    dispatch.review_return(
        hl, who["disp"], number, accept=True, redispatch_to="M02", approve_late=True
    )
    _, (old, new) = load(hl, number)
    scan_at(hl, clock, local(2026, 3, 9, 16, 0))
    got = steps(hl, number)
    assert [(s, d) for s, d, _ in got if s == "urge"] == [
        ("urge", str(old.dept_id)),
        ("urge", str(new.dept_id)),
    ]


def test_a_return_under_review_is_not_urged(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    clock.current = local(2026, 3, 2, 10, 0)
    handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="不属于本单位职责")
    scan_at(hl, clock, local(2026, 3, 9, 10, 0))
    assert "urge" not in names(hl) and "supervise" not in names(hl)


def test_sign_overdue_and_visit_due_flags(hl, who, clock):
    number = new_order(hl, who, lead="M01")
    scan_at(hl, clock, local(2026, 3, 3, 9, 30))  # Monday 09:30 + 1 wd: not signed
    assert names(hl) == ["sign_overdue"]
    clock.current = local(2026, 3, 3, 10, 0)
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="已答复来电人")
    closing.review(hl, who["disp"], number, passed=True)
    ticket, _ = load(hl, number)
    assert ticket.state == "pending_visit"
    scan_at(hl, clock, ticket.visit_due_at)
    assert names(hl) == ["sign_overdue", "visit_due"]
    assert scan_at(hl, clock, local(2026, 3, 9, 10, 0)).total_taken == 0


def test_flags_are_noted_at_night_but_the_ladder_waits(hl, who, clock):
    signed_order(hl, who)
    report = scan_at(hl, clock, local(2026, 3, 5, 22, 0))  # red since 09:30, yellow before
    assert not report.working_time
    assert names(hl) == ["overdue"]
    report = scan_at(hl, clock, local(2026, 3, 6, 9, 0))
    assert names(hl) == ["overdue", "urge", "supervise"]


def test_a_scan_since_the_last_one_misses_nothing_a_full_scan_would_find(hl, who, clock):
    plain = signed_order(hl, who)
    unsigned = new_order(hl, who, lead="M01", phone="13700137000")
    returned = signed_order(hl, who)
    extended = signed_order(hl, who)
    # The return comes after its window (Wednesday 09:30): the hotline reviews it as a late one.
    hl.settings.return_after_window = "review"
    mark = escalation.scan(hl, local(2026, 3, 2, 10, 0)).mark
    timeline = [
        (local(2026, 3, 3, 10, 0), None),
        (local(2026, 3, 4, 13, 0), "return"),  # before the warning: the return stops the clock
        (local(2026, 3, 4, 14, 0), None),  # warned: 催办 for the others, not the return
        (local(2026, 3, 4, 22, 0), "reject"),  # rejected at night: deadline moved, warn passed
        (local(2026, 3, 5, 9, 0), None),  # the new deadline's 催办, found through the feed
        (local(2026, 3, 5, 9, 15), "extend"),  # before its due time (09:30), as it must be
        (local(2026, 3, 6, 9, 0), None),
        (local(2026, 3, 9, 16, 0), None),
        (local(2026, 3, 13, 9, 0), None),
    ]
    for at, action in timeline:
        clock.current = at
        if action == "return":
            handling.return_order(
                hl, who["h1"], returned, reason="not_our_duty", basis="不属于本单位职责"
            )
        elif action == "reject":
            dispatch.review_return(hl, who["disp"], returned, accept=False, note="属于本单位")
        elif action == "extend":
            handling.request_extension(hl, who["h1"], extended, days=2, reason="需要现场核查")
            dispatch.decide_extension(hl, who["disp"], extended, approve=True, days=2)
        report = escalation.scan(hl, at, since=mark, full_every=timedelta(days=30))
        assert not report.full
        mark = report.mark
    assert "urge" in names(hl, returned) and names(hl, extended).count("urge") == 2
    assert names(hl, unsigned)[0] == "sign_overdue" and "notice" in names(hl, plain)
    full = escalation.scan(hl, local(2026, 3, 13, 9, 0))
    assert full.full and full.total_taken == 0


def test_a_scan_searches_in_full_hourly_and_after_a_calendar_import(hl, who, clock, tmp_path):
    signed_order(hl, who)
    first = escalation.scan(hl, local(2026, 3, 2, 10, 0))
    assert first.full and first.mark is not None
    second = escalation.scan(hl, local(2026, 3, 2, 10, 1), since=first.mark)
    assert not second.full and second.mark is not None
    assert second.mark.full == local(2026, 3, 2, 10, 0)
    hourly = escalation.scan(hl, local(2026, 3, 2, 11, 0), since=second.mark)
    assert hourly.full
    evening = escalation.scan(hl, local(2026, 3, 2, 17, 20))
    after_work = escalation.scan(hl, local(2026, 3, 2, 17, 40), since=evening.mark)
    assert not after_work.full and after_work.mark is not None
    assert not after_work.working_time
    assert after_work.mark.ladder == local(2026, 3, 2, 17, 20)  # the ladder did not run
    clock.current = local(2026, 3, 2, 17, 45)
    notice = tmp_path / "2040.json"
    notice.write_text(json.dumps({"year": 2040, "holidays": ["2040-10-01..2040-10-07"]}))
    calendar_import.import_calendar(hl, who["adm"], notice)
    assert escalation.scan(hl, local(2026, 3, 2, 17, 50), since=after_work.mark).full


def urge_notes(hl) -> list[str]:
    with hl.reading() as s:
        query = select(Supervision.note).where(col(Supervision.kind) == "urge")
        return list(s.exec(query.order_by(col(Supervision.id))))


def test_an_urge_says_whether_the_deadline_is_near_or_already_past(hl, who, clock):
    signed_order(hl, who)
    scan_at(hl, clock, local(2026, 3, 4, 14, 0))  # after the warning, before Thursday 09:30
    assert urge_notes(hl) == ["系统催办：办理时限 03-05 09:30 临近"]
    signed_order(hl, who)  # dispatched Wednesday 14:00: due Monday 14:00
    scan_at(hl, clock, local(2026, 3, 10, 10, 0))  # no scan until Tuesday (an outage)
    assert urge_notes(hl)[1:] == ["系统催办：办理时限 03-09 14:00 已过，请尽快办理"]
