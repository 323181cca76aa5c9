"""Issue 14 rule 8 in the console: the channel and the call-back number at intake, by keys, and
a dispatcher's answer to an operator's withdrawal of a dispatched order from the queues."""

from __future__ import annotations

from sqlmodel import col, select
from textual.widgets import Input

from db.models import Ticket
from hotline_tui.services.tickets import intake
from hotline_tui.ui.actions import ACTIONS
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.widgets.choice import Choice
from tests.services.tickets.helpers import load, new_order
from tests.ui.conftest import drive, screen_text, settle

Q = "right_square_bracket"
WITHDRAWALS = (Q, Q, Q, Q, Q)  # the hotline's queues: to dispatch … unsatisfied, withdrawals


def newest(hl) -> Ticket:
    with hl.reading() as s:
        found: Ticket | None = s.exec(select(Ticket).order_by(col(Ticket.id).desc())).first()
    assert found is not None
    return found


def test_the_channel_and_the_callback_number_are_set_at_intake_by_keys(console, hl):
    app = console("op")

    async def scenario(pilot):
        channel = app.screen.query_one("#channel", Choice)
        assert [code for code, _label in channel.options] == list(hl.settings.intake_channels)
        await pilot.press(*"13800138000")
        await settle(pilot)
        # caller kind, name, type, urgency, confidential, then the channel: → 网站 → 微信
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")
        assert app.focused is channel
        await pilot.press("right", "right")
        assert channel.value == "wechat" and "‹ 微信 ›" in screen_text(app)
        await pilot.press("tab", *"13912345678")
        await settle(pilot)
        assert app.screen.query_one("#callback", Input).value == "13912345678"
        form = app.screen.query_one("#intake-form")
        form.query_one("#description").load_text("网上办事大厅无法登录")
        form.query_one("#disposition", Choice).value = "queue"
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert "已保存工单" in screen_text(app)
        assert channel.value == "phone"  # a fresh form starts on the first channel again

    drive(app, scenario)
    saved = newest(hl)
    assert (saved.channel, saved.contact_phone, saved.callback_phone) == (
        "wechat",
        "13800138000",
        "13912345678",
    )


def count(hl) -> int:
    with hl.reading() as s:
        return len(s.exec(select(Ticket.id)).all())


def test_a_wrong_callback_number_is_shown_at_its_field(console, hl):
    app = console("op")
    before = count(hl)

    async def scenario(pilot):
        form = app.screen.query_one("#intake-form")
        form.query_one("#description").load_text("路灯不亮")
        form.query_one("#callback", Input).value = "12345"
        form.query_one("#disposition", Choice).value = "queue"
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert "回拨号码无效" in screen_text(app)
        assert app.focused is not None and app.focused.id == "callback"

    drive(app, scenario)
    assert count(hl) == before  # nothing saved


def _asked(hl, who) -> str:
    number: str = new_order(hl, who, lead="M01")
    intake.withdraw(hl, who["op"], number, "来电人已自行解决")
    return number


def _answer_in_the_queue(console, hl, action: str, typed: str) -> None:
    app = console("disp")

    async def scenario(pilot):
        for key in WITHDRAWALS:
            await pilot.press(key)
            await settle(pilot)
        assert "撤单申请 1" in screen_text(app)
        await pilot.press(ACTIONS[action].key)
        await settle(pilot)
        assert isinstance(app.screen, ActionModal) and app.screen.spec.name == action
        await pilot.press(*typed, "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)
        assert "撤单申请 0" in screen_text(app)

    drive(app, scenario)


def test_a_dispatcher_confirms_a_withdrawal_from_the_withdrawals_queue(console, hl, who):
    number = _asked(hl, who)
    _answer_in_the_queue(console, hl, "withdraw_confirm", "checked")
    ticket, parts = load(hl, number)
    assert (ticket.state, ticket.ending) == ("closed", "withdrawn")
    assert {p.state for p in parts} == {"cancelled"}


def test_a_dispatcher_rejects_a_withdrawal_from_the_withdrawals_queue(console, hl, who):
    number = _asked(hl, who)
    _answer_in_the_queue(console, hl, "withdraw_reject", "caller still waits")
    ticket, _parts = load(hl, number)
    assert (ticket.state, ticket.withdraw_requested_at) == ("pending_sign", None)


def test_an_operator_cannot_confirm_and_the_order_shows_the_request(console, hl, who):
    number = _asked(hl, who)
    app = console("op")

    async def scenario(pilot):
        app.open_order(number)
        await settle(pilot)
        assert "撤单申请待派单员确认：来电人已自行解决" in screen_text(app)
        assert app.screen.check_action("act", ("withdraw_confirm",)) is False
        await pilot.press(ACTIONS["withdraw_confirm"].key)
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)

    drive(app, scenario)
    assert load(hl, number)[0].state == "pending_sign"
