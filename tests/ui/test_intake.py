"""受理 driven by keys: from the phone number to a saved order, inline validation, drafts."""

from __future__ import annotations

from sqlmodel import col, select
from textual.widgets import Input, TextArea

from db.models import Assignment, Department, KbSearchGap, Ticket
from hotline_tui.services.tickets.drafts import load_draft
from hotline_tui.ui.screens.intake import IntakeScreen
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.picker import Picker
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, history_painted, screen_text, settle, until


def tickets(hl):
    with hl.reading() as s:
        return list(s.exec(select(Ticket).order_by(col(Ticket.id))))


def lead_depts(hl, ticket_id):
    with hl.reading() as s:
        return [
            (code, role)
            for code, role in s.exec(
                select(Department.code, Assignment.role)
                .join(Assignment, col(Assignment.dept_id) == col(Department.id))
                .where(Assignment.ticket_id == ticket_id)
                .order_by(col(Assignment.id))
            )
        ]


def test_a_call_from_phone_to_dispatched_order_without_the_mouse(console, hl, who):
    earlier = new_order(hl, who, lead="M01")
    app = console("op")

    async def scenario(pilot):
        assert isinstance(app.screen, IntakeScreen)
        assert app.focused is not None and app.focused.id == "phone"
        await pilot.press(*"13800138000")
        await settle(pilot)
        assert "重复来电" in screen_text(app)  # the summary answers the number's last digit
        await history_painted(pilot)  # the order lines (open ones marked) once typing pauses
        assert earlier in screen_text(app)
        assert app.screen.query_one("#name", Input).value == "王五"
        # name, caller kind, type (→ 投诉), urgency, confidential, channel and call-back
        # number, then the category by initials
        await pilot.press("tab", "tab", "tab", "right", "right", "tab", "tab", "tab", "tab", "tab")
        await pilot.press(*"yyzz")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#category", Picker).value is not None
        assert app.screen.query_one("#lead", Picker).value == "M01"  # the catalogue's suggestion
        await pilot.press("tab", *"jq", "enter")  # area by pinyin initials
        await settle(pilot)
        await pilot.press("tab", *"fuxing road", "tab")
        await pilot.press(*"shop without licence")
        # disposition stays 派单, the lead is suggested; a co-handler by its short name's initials
        await pilot.press("tab", "tab", "tab", *"szj")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#co", Picker).values == ["M02"]
        await pilot.press("f10")
        await settle(pilot)
        assert "已保存工单" in screen_text(app)
        assert app.screen.query_one("#phone", Input).value == ""  # a fresh form for the next call

    drive(app, scenario)
    saved = tickets(hl)[-1]
    assert saved.number != earlier and saved.state == "pending_sign"
    assert (saved.request_type, saved.contact_phone) == ("complaint", "13800138000")
    assert saved.description == "shop without licence" and saved.address == "fuxing road"
    assert lead_depts(hl, saved.id) == [("M01", "lead"), ("M02", "co")]
    assert load_draft(app.backend.drafts_dir, "op") is None  # saved: no draft left


def test_inline_validation_keeps_the_form(console, hl):
    app = console("op")
    before = len(tickets(hl))

    async def scenario(pilot):
        await pilot.press(*"12345678901")
        await settle(pilot)
        assert "号码无效" in screen_text(app)
        await pilot.press(*["backspace"] * 11, *"13900139000")
        await settle(pilot)
        assert "号码无效" not in screen_text(app)
        await pilot.press("f10")  # no description
        await settle(pilot)
        assert "来电内容：必填" in screen_text(app)
        assert app.focused is not None and app.focused.id == "description"
        await pilot.press(*"water leak")
        await pilot.press("f10")  # dispatch without a lead
        await settle(pilot)
        assert "主办单位：必填" in screen_text(app)
        assert app.screen.query_one("#description", TextArea).text == "water leak"

    drive(app, scenario)
    assert len(tickets(hl)) == before


def test_answer_directly_and_invalid_call(console, hl):
    app = console("op")

    async def scenario(pilot):
        form = app.screen.query_one("#intake-form")
        form.query_one("#description").load_text("公积金怎么提取")
        form.query_one("#disposition", Choice).value = "answer"
        await settle(pilot)
        form.query_one("#answer").load_text("带身份证到公积金中心")
        await pilot.press("f10")
        await settle(pilot)
        form.query_one("#description").load_text("无声电话")
        form.query_one("#disposition", Choice).value = "invalid"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(app, scenario)
    answered, invalid = tickets(hl)[-2:]
    assert (answered.state, answered.ending, answered.answer_text) == (
        "closed",
        "answered",
        "带身份证到公积金中心",
    )
    assert (invalid.state, invalid.ending) == ("closed", "invalid")
    # Answered without an article: the knowledge base lacked it (hotline kb gaps); the
    # invalid call is no gap.
    with hl.reading() as s:
        gaps = [(g.kind, g.query) for g in s.exec(select(KbSearchGap))]
    assert gaps == [("answer", "公积金怎么提取")]


def test_a_service_refusal_is_shown_and_nothing_is_lost(console, hl):
    app = console("op")

    async def scenario(pilot):
        form = app.screen.query_one("#intake-form")
        await pilot.press(*"13800138000")
        form.query_one("#description").load_text("x" * 4001)  # over the service's limit
        form.query_one("#disposition", Choice).value = "queue"
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert "太长" in screen_text(app)
        assert len(form.query_one("#description", TextArea).text) == 4001

    drive(app, scenario)


def test_draft_survives_a_dropped_session_and_is_offered_at_next_login(console, hl, drafts_dir):
    first = console("op")

    async def typing(pilot):
        await pilot.press(*"13800138000")
        first.screen.query_one("#description").load_text("路灯坏了，在幸福路口")
        await settle(pilot)
        first.screen.save_draft_now()
        await settle(pilot)

    drive(first, typing)  # the app ends without saving the order: the connection dropped
    saved = load_draft(drafts_dir, "op")
    assert saved is not None and saved.fields["phone"] == "13800138000"

    second = console("op")

    async def restoring(pilot):
        assert "未保存的受理草稿" in screen_text(second)
        await pilot.press("enter")
        await settle(pilot)
        screen = second.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.query_one("#phone", Input).value == "13800138000"
        assert screen.query_one("#description", TextArea).text == "路灯坏了，在幸福路口"

    drive(second, restoring)

    third = console("op")

    async def discarding(pilot):
        await pilot.press("escape")
        await settle(pilot)

    drive(third, discarding)
    assert load_draft(drafts_dir, "op") is None


def test_an_enterprise_is_found_by_name_and_filled_in(console, hl, who):
    from hotline_tui.domain.intake import CallerInput, IntakeInput
    from hotline_tui.services.tickets import intake

    code = "91350100M000100Y43"
    intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="complaint",
            description="企业投诉",
            caller=CallerInput(kind="enterprise", name="青川示例科技有限公司", credit_code=code),
        ),
    )
    app = console("op")

    async def scenario(pilot):
        await pilot.press("tab", "right", "tab", *"示例科技")  # 来电人: 企业, then the name
        await until(pilot, lambda: app.screen.enterprises)  # looked up after a pause
        assert "青川示例科技有限公司" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "青川示例科技有限公司"
        assert app.screen.query_one("#credit_code", Input).value == code

    drive(app, scenario)


def test_keys_typed_ahead_in_one_burst_land_where_they_were_meant(console):
    """Over a slow link "Tab Tab … text" arrives in one packet; the text must not stay behind
    in the field the Tabs left."""
    from textual import events

    app = console("op")

    async def scenario(pilot):
        # from the phone to the category (past the channel and the call-back number), then type
        burst = ["tab"] * 8 + list("yyzz")
        for key in burst:  # all posted before any is handled
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert app.screen.query_one("#phone", Input).value == ""
        assert app.screen.query_one("#category", Picker).text == "yyzz"

    drive(app, scenario)
