"""Issue 15, item 5: the return visit made from what the screen shows. The visit list and the
visits-due board show whom to call (name, the number to dial) and the reply; the call dialog
shows them with the whole reply to read out, takes the outcome in digits and a multi-line note,
and says what was recorded and what became of the order."""

from __future__ import annotations

from sqlmodel import select

from db.models import VisitAttempt
from hotline_tui.domain.intake import CallerInput
from hotline_tui.ui.screens.visit_call import QuickVisit
from hotline_tui.ui.screens.visit_due import VisitDueScreen
from hotline_tui.ui.screens.visits import VisitsScreen
from hotline_tui.ui.widgets.bars import MessageLine
from tests.services.tickets.helpers import load
from tests.ui.conftest import drive, screen_text, settle
from tests.ui.test_order_tools import open_visit_due, waiting_for_visit
from tests.ui.test_supervision_visits import _to_visit

REPLY = "已于3月1日更换路灯灯泡，经现场核实已恢复照明"


def _attempts(hl, number: str) -> list[VisitAttempt]:
    ticket, _parts = load(hl, number)
    with hl.reading() as session:
        return list(session.exec(select(VisitAttempt).where(VisitAttempt.ticket_id == ticket.id)))


async def _open_call(pilot) -> QuickVisit:
    await pilot.press("f5")
    await settle(pilot)
    assert isinstance(pilot.app.screen, VisitsScreen)
    await pilot.press("enter")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, QuickVisit)
    return modal


def test_the_visit_list_shows_whom_to_call_and_the_reply(console, hl, who):
    waiting_for_visit(hl, who, reply=REPLY)
    app = console("op")

    async def scenario(pilot):
        await pilot.press("f5")
        await settle(pilot)
        shown = screen_text(app)
        for words in ("来电人", "回访电话", "答复摘要", "王五", "13800138000", "已于3月1日"):
            assert words in shown, words

    drive(app, scenario)


def test_a_confidential_callers_row_is_marked_and_dials_the_callback_number(console, hl, who):
    from hotline_tui.domain.intake import IntakeInput
    from hotline_tui.services.tickets import closing, handling, intake
    from hotline_tui.services.tickets.intake import Disposition

    form = IntakeInput(
        request_type="report",
        description="举报无证经营",
        caller=CallerInput(name="赵六", phone="13900139000"),
        confidential=True,
        callback_phone="13700137000",
    )
    number = intake.register(hl, who["op"], form, Disposition("dispatch", lead_dept="M01")).number
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="已查处")
    closing.review(hl, who["disp"], number, passed=True)
    app = console("op")

    async def scenario(pilot):
        await pilot.press("f5")
        await settle(pilot)
        shown = screen_text(app)
        assert "赵六 保密" in shown and "13700137000" in shown
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "13700137000（回拨号码；来电 13900139000）" in shown

    drive(app, scenario)


def test_the_call_shows_whom_to_call_records_the_note_and_says_what_was_recorded(console, hl, who):
    number = waiting_for_visit(hl, who, reply=REPLY)
    app = console("op")

    async def scenario(pilot):
        modal = await _open_call(pilot)
        shown = screen_text(app)
        assert "来电人：王五" in shown and "回访电话：13800138000" in shown
        assert REPLY in shown  # the whole reply, to read out
        await pilot.press("3", "escape")  # a wrong digit: Esc picks again
        await settle(pilot)
        assert modal.resolution is None and isinstance(app.screen, QuickVisit)
        await pilot.press("1", "2")  # resolved, fairly satisfied: the note takes the focus
        await settle(pilot)
        assert "已联系 · 已解决 · 基本满意" in screen_text(app)
        await pilot.press(*"灯已亮", "enter", *"希望加强巡查", "ctrl+s")
        await settle(pilot)
        shown = screen_text(app)
        assert isinstance(app.screen, QuickVisit)  # it says what was recorded first
        for words in (
            f"已记录回访 · {number}",
            "结果：已联系 · 已解决 · 基本满意",
            "回访记录：灯已亮",
            "希望加强巡查",
            "工单已办结",
        ):
            assert words in shown, words
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VisitsScreen)
        said = str(app.screen.query_one(MessageLine).render())
        assert f"上次回访：{number} 已联系 · 已解决 · 基本满意，工单已办结" in said
        assert "待回访：0 件" in said

    drive(app, scenario)
    ticket, _parts = load(hl, number)
    assert (ticket.state, ticket.visit_resolution, ticket.visit_satisfaction) == (
        "closed",
        "resolved",
        "basic",
    )
    (attempt,) = _attempts(hl, number)
    assert attempt.note == "灯已亮\n希望加强巡查"


def test_no_outcome_no_record(console, hl, who):
    number = waiting_for_visit(hl, who)
    app = console("op")

    async def scenario(pilot):
        await _open_call(pilot)
        await pilot.press("tab", *"12", "ctrl+s")  # digits typed in the note are the note's
        await settle(pilot)
        assert "请先按数字键选择回访结果" in screen_text(app)
        await pilot.press("escape", "escape")  # out of the note, then cancel
        await settle(pilot)
        assert isinstance(app.screen, VisitsScreen)

    drive(app, scenario)
    assert load(hl, number)[0].state == "pending_visit" and not _attempts(hl, number)


def test_an_unanswered_call_is_recorded_and_the_order_stays_to_call_back(console, hl, who):
    number = _to_visit(hl, who)
    app = console("op")

    async def scenario(pilot):
        await _open_call(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert "未接通（第 1 次）" in screen_text(app)
        await pilot.press(*"无人接听", "ctrl+s")
        await settle(pilot)
        shown = screen_text(app)
        assert "结果：未接通（第 1 次）" in shown and "回访记录：无人接听" in shown
        assert "工单仍待回访，稍后再拨" in shown
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "已回访 1 次未接通" in screen_text(app)  # the next call knows of the first

    drive(app, scenario, size=(120, 40))
    assert load(hl, number)[0].state == "pending_visit"
    assert [a.contact for a in _attempts(hl, number)] == ["unreachable"]


def test_the_visits_due_board_shows_whom_to_call(console, hl, who, clock):
    waiting_for_visit(hl, who, reply=REPLY)
    clock.advance(days=10)
    app = console("op")

    async def scenario(pilot):
        await open_visit_due(pilot)
        shown = screen_text(app)
        assert "王五" in shown and "13800138000" in shown and "已于3月1日" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuickVisit)
        assert "来电人：王五" in screen_text(app) and REPLY in screen_text(app)
        await pilot.press("1", "1", "ctrl+s", "enter")
        await settle(pilot)
        assert isinstance(app.screen, VisitDueScreen)
        assert "工单已办结" in str(app.screen.query_one(MessageLine).render())

    drive(app, scenario)
