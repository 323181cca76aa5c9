"""The session: logging in, the idle lock, a failing worker, finding orders, the palette jump."""

from __future__ import annotations

from textual.widgets import Input

from hotline_tui.domain.errors import Busy
from hotline_tui.ui.backend import Backend
from hotline_tui.ui.palette import jump_targets
from hotline_tui.ui.screens.detail import OrderDetailScreen
from hotline_tui.ui.screens.intake import IntakeScreen
from hotline_tui.ui.screens.login import LockScreen, LoginScreen
from hotline_tui.ui.screens.orders import OrdersScreen, parse_day
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, screen_text, settle
from tests.world import PASSWORD


def test_login_refuses_a_wrong_password_then_starts_the_session(console, hl, who):
    app = console(None, login_user="disp")

    async def scenario(pilot):
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None
        assert not app.check_action("mode", ("queues",))  # nothing but the form before login
        await pilot.press(*"wrong-password", "enter")
        await settle(pilot)
        assert "用户名或密码错误" in screen_text(app)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot)
        assert app.actor is not None and app.actor.username == "disp"
        assert app.current_mode == "queues"  # a dispatcher starts on the queues

    drive(app, scenario)


def test_an_idle_console_locks_and_only_the_password_unlocks(console, hl, who):
    now = [0.0]
    app = console("op", idle_lock_seconds=60, monotonic=lambda: now[0])

    async def scenario(pilot):
        await pilot.press(*"1380013")
        now[0] = 61.0
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "13800" not in screen_text(app)  # the form is covered
        await pilot.press("f3")  # modes do not switch behind the lock
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*"not-it", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and "错误" in screen_text(app)
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#phone", Input).value == "1380013"  # nothing lost

    drive(app, scenario)


class FailingBackend(Backend):
    def queue(self, name, dept=None):
        raise Busy("db.busy", attempts=3)

    def find(self, criteria):
        raise RuntimeError("connection reset")


def test_a_failing_worker_shows_an_error_and_the_session_goes_on(console, hl, who, drafts_dir):
    backend = FailingBackend(hl.settings, drafts_dir=drafts_dir, hl=hl)
    app = console("disp", backend=backend)

    async def scenario(pilot):
        messages = [n.message for n in app._notifications]
        assert any("数据库繁忙" in m for m in messages)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press(*"2026", "enter")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("RuntimeError" in m for m in messages)
        assert app.is_running and isinstance(app.screen, OrdersScreen)
        await pilot.press("f2")  # the rest of the console still works
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)

    drive(app, scenario)


def test_find_by_phone_and_open_the_order(console, hl, who):
    number = new_order(hl, who, lead="M01", phone="13700137000")
    new_order(hl, who, phone="13900139000")
    app = console("op")

    async def scenario(pilot):
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        await pilot.press("tab", *"137 0013 7000", "enter")
        await settle(pilot)
        shown = screen_text(app)
        assert number in shown and "13900139000" not in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        shown = screen_text(app)
        assert "受理" in shown and "派单" in shown  # the timeline, in words
        assert "市监局" in shown  # its departments, by their short names
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)

    drive(app, scenario)


def test_palette_jumps_to_an_order_by_number(console, hl, who):
    number = new_order(hl, who)
    app = console("op")

    async def scenario(pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*number)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen) and app.screen.number == number

    drive(app, scenario)


def test_jump_targets_and_dates():
    assert jump_targets("20260302000001") == [("order", "20260302000001")]
    # A mobile number is a phone (the caller's orders), never an order number.
    assert jump_targets("１３８ ００１３ ８０００") == [("phone", "13800138000")]
    assert jump_targets("营业执照") == []
    assert parse_day("") is None
    assert str(parse_day("2026-03-02")) == "2026-03-02 00:00:00+08:00"
