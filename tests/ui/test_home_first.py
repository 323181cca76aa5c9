"""The first screen the console paints is the user's home: the intake form for an operator, the
queues for a dispatcher and a department's handler (待派单, 待签收), the board for a supervisor,
the orders for an administrator — and no screen before it. A dispatcher used to see the intake
form for seconds before the queue replaced it.

Every frame the app sends to the terminal is recorded (``watch``: the same updates a real
terminal gets), with the screen it came from."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import RenderableType
from textual.screen import Screen

from hotline_tui.ui.app import HotlineApp
from hotline_tui.ui.screens.board import BoardScreen
from hotline_tui.ui.screens.intake import IntakeScreen
from hotline_tui.ui.screens.login import LoginScreen
from hotline_tui.ui.screens.orders import OrdersScreen
from hotline_tui.ui.screens.queues import QueuesScreen
from tests.ui.conftest import drive, settle
from tests.ui.terminal_screen import Terminal, watch
from tests.world import PASSWORD


def frames(app: HotlineApp) -> tuple[Terminal, list[tuple[type[Screen[Any]], str]]]:
    """The terminal the app's output goes to, and each frame written to it: the screen that
    painted it and what the terminal showed once it was written."""
    terminal = watch(app)
    painted: list[tuple[type[Screen[Any]], str]] = []
    display = app._display

    def record(screen: Screen[Any], renderable: RenderableType | None) -> None:
        display(screen, renderable)
        if renderable is not None and not app._batch_count:
            painted.append((type(screen), "\n".join(terminal.rows)))

    app._display = record  # type: ignore[method-assign]
    return terminal, painted


HOMES = [
    ("op", IntakeScreen, "来电号码"),
    ("disp", QueuesScreen, "待派单"),
    ("h1", QueuesScreen, "待签收"),
    ("sup", BoardScreen, "临期与超期"),
    ("adm", OrdersScreen, "工单号"),
]


@pytest.mark.parametrize("low_bandwidth", [True, False], ids=["low", "default"])
@pytest.mark.parametrize(("user", "home", "marker"), HOMES, ids=[h[0] for h in HOMES])
def test_the_first_screen_painted_is_the_users_home(
    console, who, user, home, marker, low_bandwidth
):
    app = console(user, low_bandwidth=low_bandwidth)
    _terminal, painted = frames(app)

    async def scenario(pilot):
        assert isinstance(app.screen, home)
        # Every frame came from the home (its first ones may be its background and frame,
        # laid out before its data arrives: how many depends on the machine), and the home
        # was shown.
        assert {screen for screen, _ in painted} == {home}
        assert any(marker in frame for _, frame in painted)
        if home is not IntakeScreen:
            assert app.get_intake() is None  # the form was never even built

    drive(app, scenario)


def test_after_a_password_login_the_first_screen_is_the_home_not_the_form(console, who):
    app = console(None, login_user="disp")
    _terminal, painted = frames(app)

    async def scenario(pilot):
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        screens = [screen for screen, _ in painted]
        assert screens[0] is LoginScreen
        assert IntakeScreen not in screens
        assert QueuesScreen in screens
        assert app.get_intake() is None

    drive(app, scenario)


def test_no_mode_opens_before_the_login(console, who):
    app = console(None, login_user="op")

    async def scenario(pilot):
        await pilot.press("f2", "f3", "f4")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)  # still covered: nothing behind it
        assert app.get_intake() is None

    drive(app, scenario)
