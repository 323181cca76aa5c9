"""No call lost at intake (issue 15, items 3, 4 and part of 11): F8 asks before it gives up a
typed call; a saved order leaves no draft behind and a blank form never becomes one; the draft
offer shows the call whole at 80×24; the last keys before the console closes or the terminal
hangs up are in the draft; keys typed before the session is ready take effect when it is; an
anonymous caller has no name field; the last call's message goes when the next call starts."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from datetime import UTC, datetime

import pytest
from textual import events
from textual.widgets import Input, TextArea

from hotline_tui.services.tickets.drafts import (
    CHOICE_FIELDS,
    Draft,
    is_blank,
    load_draft,
    save_draft,
)
from hotline_tui.ui.backend import Backend
from hotline_tui.ui.screens.intake import IntakeScreen
from hotline_tui.ui.screens.intake_dialogs import DraftOffer, NewCallConfirm
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.intake_form import IntakeForm
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, history_painted, screen_text, settle, until

DESCRIPTION = (
    "幸福路与和平街交叉口东侧的路灯已经连续三天不亮，晚上行人和电动车很多，"
    "前天有老人在这里摔倒，请尽快派人维修，另外附近的井盖也有松动"
)


def field(app, name: str) -> str:
    widget = app.screen.query_one(f"#{name}")
    return widget.text if isinstance(widget, TextArea) else widget.value


async def type_a_call(pilot, phone: str = "13912345678", text: str = "路灯不亮") -> None:
    await pilot.press(*phone)
    pilot.app.screen.query_one("#description", TextArea).load_text(text)
    await settle(pilot)


# ---------------------------------------------------------------------- F8


def test_f8_on_a_typed_call_asks_and_enter_keeps_it(console, drafts_dir):
    app = console("op")

    async def scenario(pilot):
        await type_a_call(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, NewCallConfirm)
        shown = screen_text(app)
        assert "本次来电尚未保存" in shown and "13912345678" in shown and "路灯不亮" in shown
        await pilot.press("enter")  # keep working
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert (field(app, "phone"), field(app, "description")) == ("13912345678", "路灯不亮")
        await pilot.press("f8", "escape")  # Esc keeps it too
        await settle(pilot)
        assert field(app, "phone") == "13912345678"
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("f8")  # the same key again: give the call up
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert (field(app, "phone"), field(app, "description")) == ("", "")
        assert app.focused is not None and app.focused.id == "phone"
        await pilot.press("f8")  # a blank form: cleared at once, nothing asked
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)

    drive(app, scenario)
    assert load_draft(drafts_dir, "op") is None  # given up: no draft either


def test_letters_typed_into_the_f8_question_do_not_answer_it(console):
    app = console("op")

    async def scenario(pilot):
        await type_a_call(pilot)
        await pilot.press("f8", *"yn d")
        await settle(pilot)
        assert isinstance(app.screen, NewCallConfirm)
        await pilot.press("enter")
        await settle(pilot)
        assert field(app, "phone") == "13912345678"

    drive(app, scenario)


# ---------------------------------------------------------------------- no empty draft


def test_a_fresh_form_is_blank_and_its_choices_are_the_drafts_choice_fields(console):
    app = console("op")

    async def scenario(pilot):
        form = app.screen.query_one(IntakeForm)
        assert {choice.id for choice in form.query(Choice)} == CHOICE_FIELDS
        assert is_blank(form.values())
        form.query_one("#request_type", Choice).value = "complaint"
        assert is_blank(form.values())  # a choice alone is nothing typed
        await pilot.press("1")
        assert not is_blank(form.values())

    drive(app, scenario)


def test_after_a_save_no_draft_is_written_and_the_next_login_offers_none(console, hl, drafts_dir):
    app = console("op")

    async def scenario(pilot):
        await type_a_call(pilot)
        app.screen.query_one("#disposition", Choice).value = "queue"
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert "已保存工单" in screen_text(app)
        await pilot.press("f12")  # the console locks: it writes the draft at once
        await settle(pilot)

    drive(app, scenario)
    assert not (drafts_dir / "op.json").exists()

    second = console("op")

    async def next_login(pilot):
        assert not isinstance(second.screen, DraftOffer)
        assert "草稿" not in screen_text(second)

    drive(second, next_login)


def test_a_draft_of_choices_only_is_never_offered(console, drafts_dir):
    fresh = {name: "" for name in ("phone", "name", "description", "category", "lead")}
    fresh |= {"caller_kind": "person", "request_type": "consult", "disposition": "dispatch"}
    save_draft(drafts_dir, Draft("op", datetime(2026, 3, 2, 1, 30, tzinfo=UTC), fresh))
    assert load_draft(drafts_dir, "op") is None
    app = console("op")

    async def scenario(pilot):
        assert isinstance(app.screen, IntakeScreen)

    drive(app, scenario)


# ---------------------------------------------------------------------- the offer, whole


def inside_the_box(text: str) -> str:
    """The dialog's text, its lines joined, without the frame and the spaces."""
    lines = [line.split("│")[1] for line in text.splitlines() if line.count("│") >= 2]
    return "".join("".join(lines).split())


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["default", "low"])
def test_the_draft_offer_shows_the_whole_call_at_80x24(console, drafts_dir, low_bandwidth):
    fields = {"phone": "13912345678", "name": "欧阳娜娜", "description": DESCRIPTION}
    fields |= {"caller_kind": "person", "request_type": "complaint"}
    save_draft(drafts_dir, Draft("op", datetime(2026, 3, 2, 1, 30, tzinfo=UTC), fields))
    app = console("op", low_bandwidth=low_bandwidth)

    async def scenario(pilot):
        assert isinstance(app.screen, DraftOffer)
        box = app.screen.query_one("#draft-offer").region
        assert box.x >= 0 and box.y >= 0 and box.right <= 80 and box.bottom <= 24
        shown = inside_the_box(screen_text(app))
        assert "2026-03-0209:30" in shown  # saved when (local time)
        assert "来电号码：13912345678" in shown and "姓名/单位：欧阳娜娜" in shown
        assert "".join(DESCRIPTION.split())[:80] in shown  # the start of what was said, wrapped
        assert "恢复(Enter)" in shown and "丢弃(Esc)" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert (field(app, "name"), field(app, "description")) == ("欧阳娜娜", DESCRIPTION)

    drive(app, scenario)


# ---------------------------------------------------------------------- the last keys


def test_keys_typed_just_before_the_console_closes_are_in_the_draft(console, drafts_dir):
    app = console("op")

    async def scenario(pilot):
        app.screen.drafts.delay = 3600  # only the closing can write it
        await type_a_call(pilot, text="井盖松动")
        app.screen.query_one("#address", Input).focus()
        await pilot.press(*"No 9")  # no pause for the draft's timer: the console closes now
        app.exit()

    drive(app, scenario)
    saved = load_draft(drafts_dir, "op")
    assert saved is not None
    assert (saved.fields["description"], saved.fields["address"]) == ("井盖松动", "No 9")


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no hang-up signal here")
def test_a_hang_up_writes_the_draft_and_closes_the_console(console, drafts_dir):
    app = console("op")

    async def scenario(pilot):
        app.screen.drafts.delay = 3600  # only the hang-up can write it
        await type_a_call(pilot, text="热水器漏水")
        app.screen.query_one("#address", Input).focus()
        await pilot.press(*"No 9")
        assert app.screen.drafts.pending and load_draft(drafts_dir, "op") is None
        # Our handler is in place (else the signal would end the test run itself).
        assert signal.getsignal(signal.SIGHUP) not in (signal.SIG_DFL, signal.SIG_IGN, None)
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(1000):  # the event loop runs the handler as soon as it can
            if app.return_code is not None:
                break
            await asyncio.sleep(0.01)
        assert app.return_code == 0  # the console closes itself …
        saved = load_draft(drafts_dir, "op")  # … with the draft written first
        assert saved is not None and saved.fields["address"] == "No 9"

    drive(app, scenario)
    # The console has gone: the signal is the default's again.
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_DFL


def test_a_termination_writes_the_draft_and_closes_the_console(console, drafts_dir):
    """SIGTERM (``kill``, a shutdown) ends the process unless handled: as a hang-up, the last
    keys are written to the draft first."""
    app = console("op")

    async def scenario(pilot):
        app.screen.drafts.delay = 3600  # only the termination can write it
        await type_a_call(pilot, text="热水器漏水")
        app.screen.query_one("#address", Input).focus()
        await pilot.press(*"No 9")
        assert app.screen.drafts.pending and load_draft(drafts_dir, "op") is None
        # Our handler is in place (else the signal would end the test run itself).
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN, None)
        os.kill(os.getpid(), signal.SIGTERM)
        await until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 0  # the console closes itself …
        saved = load_draft(drafts_dir, "op")  # … with the draft written first
        assert saved is not None and saved.fields["address"] == "No 9"

    drive(app, scenario)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


# ---------------------------------------------------------------------- typed before ready


class KeysDuringLogin(Backend):
    """Keys arrive while the session is still being opened (a slow database, a slow link):
    ``keys`` are sent to the console from inside the login, before the first screen exists."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.app = None
        self.keys = ""
        self.sent = False

    def login_trusted(self, *args, **kwargs):
        app = self.app
        assert app is not None
        for key in self.keys:
            app.call_from_thread(app.post_message, events.Key(key, key))
        self.sent = True
        return super().login_trusted(*args, **kwargs)


def test_a_phone_typed_before_the_session_is_ready_shows_the_callers_history(
    console, hl, who, drafts_dir
):
    earlier = new_order(hl, who, lead="M01")
    backend = KeysDuringLogin(hl.settings, drafts_dir=drafts_dir, hl=hl)
    app = console("op", backend=backend)
    backend.app, backend.keys = app, "13800138000"

    async def scenario(pilot):
        assert backend.sent  # typed before the form was there
        await until(pilot, lambda: field(app, "phone") == "13800138000")
        await history_painted(pilot)
        shown = screen_text(app)
        assert "重复来电" in shown and earlier in shown
        assert field(app, "name") == "王五"

    drive(app, scenario)


# ---------------------------------------------------------------------- item 11


def test_an_anonymous_caller_has_no_name_field_to_type_into(console):
    app = console("op")

    async def scenario(pilot):
        name = app.screen.query_one("#name", Input)
        await pilot.press("tab", "tab", *"张三", "shift+tab")  # the name, then back to the kind
        assert app.focused is app.screen.query_one("#caller_kind", Choice)
        await pilot.press("right", "right")  # 个人 → 企业 → 匿名
        await settle(pilot)
        assert (name.value, name.disabled) == ("", True)
        await pilot.press("tab")  # past the name
        assert app.focused is not None and app.focused.id == "request_type"
        await pilot.press("shift+tab", "right")  # back to 个人
        await settle(pilot)
        assert name.disabled is False

    drive(app, scenario)


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["default", "low"])
def test_the_saved_message_is_on_the_line_until_the_next_call_starts(console, low_bandwidth):
    app = console("op", low_bandwidth=low_bandwidth)

    async def scenario(pilot):
        await type_a_call(pilot)
        app.screen.query_one("#disposition", Choice).value = "queue"
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert not app._notifications  # no toast over the message and status lines
        lines = screen_text(app).splitlines()
        assert "已保存工单" in lines[-2]  # the message line, above the key line
        assert "已保存工单" not in "\n".join(lines[:-2])
        await pilot.press("1")  # the next call's first key
        await settle(pilot)
        assert "已保存工单" not in screen_text(app)

    drive(app, scenario)


def test_a_draft_write_that_ran_late_never_brings_back_a_removed_draft():
    from hotline_tui.ui.screens.intake_draft import IntakeDraft

    done: list[str] = []
    drafts = IntakeDraft(screen=None)  # type: ignore[arg-type]  # _apply needs no screen
    drafts._apply(2, lambda: done.append("removed"))  # asked second, ran first
    drafts._apply(1, lambda: done.append("written"))  # asked first, its worker ran late
    drafts._apply(3, lambda: done.append("written again"))
    assert done == ["removed", "written again"]


def test_a_history_read_for_the_last_call_does_not_reach_the_next(console, hl, who):
    """The console's own save comes back on the change feed and reads the caller's history
    again; if that answer arrives after the form was cleared, it must not fill in the next
    call (the name, the history, and with them a draft and the message gone)."""
    new_order(hl, who, lead="M01")
    app = console("op")

    async def scenario(pilot):
        await pilot.press(*"13800138000")
        await history_painted(pilot)
        assert field(app, "name") == "王五"
        screen = app.screen
        screen.reload()  # as the change feed does after a save: the history is read again …
        screen.new_call()  # … and the form is cleared before the answer comes
        await settle(pilot)
        await history_painted(pilot)
        assert field(app, "name") == "" and "历史来电" not in screen_text(app)
        assert is_blank(screen.form.values())

    drive(app, scenario)


# ---------------------------------------------------------------------- a home other than intake


def draft_field(drafts_dir, username: str, name: str) -> str | None:
    draft = load_draft(drafts_dir, username)
    return None if draft is None else draft.fields.get(name)


def test_a_dispatchers_draft_is_restored_into_the_intake_form_and_kept_after(console, drafts_dir):
    """A dispatcher's home is the queue: the intake form does not exist when the draft is
    offered. Restoring opens it with the draft, and what is typed then is kept as the draft."""
    fields = {"phone": "13912345678", "name": "欧阳娜娜", "description": "路灯不亮"}
    save_draft(drafts_dir, Draft("disp", datetime(2026, 3, 2, 1, 30, tzinfo=UTC), fields))
    app = console("disp")

    async def scenario(pilot):
        await until(pilot, lambda: isinstance(app.screen, DraftOffer))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, IntakeScreen))
        await until(pilot, lambda: field(app, "description") == "路灯不亮")
        assert (field(app, "phone"), field(app, "name")) == ("13912345678", "欧阳娜娜")
        app.screen.query_one("#address", Input).focus()
        await pilot.press(*"No 9")
        await until(pilot, lambda: draft_field(drafts_dir, "disp", "address") == "No 9")

    drive(app, scenario)


def test_a_call_a_dispatcher_types_after_the_start_is_kept_as_a_draft(console, drafts_dir):
    app = console("disp")

    async def scenario(pilot):
        await settle(pilot)
        assert not isinstance(app.screen, IntakeScreen)  # the queue is home
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, IntakeScreen))
        await type_a_call(pilot, text="井盖松动")
        await until(pilot, lambda: load_draft(drafts_dir, "disp") is not None)

    drive(app, scenario)
    saved = load_draft(drafts_dir, "disp")
    assert saved is not None and saved.fields["description"] == "井盖松动"


class GatedLogin(Backend):
    """The login waits until the test opens the gate (a slow database, a slow link)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()

    def login_trusted(self, *args, **kwargs):
        self.gate.wait(120)
        return super().login_trusted(*args, **kwargs)


def test_an_operators_form_is_there_before_the_login_from_the_second_start(
    console, hl, who, drafts_dir
):
    """The first start remembers the operator's home; the next paints the intake form at once
    and logs in behind it: a repeat caller typed meanwhile still brings up the history."""
    earlier = new_order(hl, who, lead="M01")
    first = console("op")

    async def remembered(pilot):
        assert isinstance(first.screen, IntakeScreen)

    drive(first, remembered)
    backend = GatedLogin(hl.settings, drafts_dir=drafts_dir, hl=hl)
    app = console("op", backend=backend)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            assert isinstance(app.screen, IntakeScreen) and app.actor is None
            await pilot.press(*"13800138000")
            assert field(app, "phone") == "13800138000"
            backend.gate.set()
            await until(pilot, lambda: app.actor is not None)
            await history_painted(pilot)
            assert "重复来电" in screen_text(app) and earlier in screen_text(app)
            assert field(app, "name") == "王五"

    asyncio.run(main())


def test_a_dispatcher_is_never_shown_the_form_before_the_login(console, drafts_dir):
    first = console("disp")

    async def home(pilot):
        assert not isinstance(first.screen, IntakeScreen)

    drive(first, home)
    second = console("disp")

    async def again(pilot):
        assert second.actor is not None and not isinstance(second.screen, IntakeScreen)
        assert not second.get_intake()  # no intake form was mounted before the home

    drive(second, again)
