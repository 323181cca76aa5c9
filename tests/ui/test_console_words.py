"""The console speaks Chinese and offers only what the user may do (issue 15): Ctrl+P showed
Textual's own English palette (Maximize, Screenshot, Theme, Quit…) and offered to open an order
numbered like an 11-digit phone number before finding the caller's orders; F1 listed
``^p palette`` / ``^q Quit`` in English and keys the user's role cannot use."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from hotline_tui.domain.permissions import allowed
from hotline_tui.domain.states import Role
from hotline_tui.services.tickets import handling
from hotline_tui.ui.actions import ACTIONS
from hotline_tui.ui.app import HotlineApp
from hotline_tui.ui.i18n import action_name, tr
from hotline_tui.ui.screens.help import HelpScreen, help_lines
from hotline_tui.ui.screens.orders import OrdersScreen
from hotline_tui.ui.widgets.keybar import KeyBar
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, screen_text, settle

ENGLISH = re.compile(r"[A-Za-z]{3,}")  # a word; key names (F1, Ctrl+P) are shorter or allowed
KEY_NAMES = {"Ctrl"}
ROLES = {
    "op": Role.OPERATOR,
    "disp": Role.DISPATCHER,
    "h1": Role.HANDLER,
    "sup": Role.SUPERVISOR,
    "adm": Role.ADMIN,
}


def english_words(text: str) -> list[str]:
    return [w for w in ENGLISH.findall(text) if w not in KEY_NAMES]


def palette_prompts(app: HotlineApp) -> list[str]:
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def palette_settled(pilot: Pilot[Any]) -> None:
    """Until the palette's search has finished (its providers run as workers)."""
    await settle(pilot)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    for _ in range(100):
        if not palette._list_visible or not palette.query_one(CommandList).is_disabled:
            break
        await pilot.pause()


def test_the_palette_offers_our_commands_in_chinese_and_not_textuals(
    console: Callable[..., HotlineApp],
) -> None:
    app = console("h1")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+p")
        await palette_settled(pilot)
        text = screen_text(app)
        prompts = palette_prompts(app)
        for textual_command in ("Theme", "Screenshot", "Maximize", "Quit", "Keys"):
            assert textual_command not in text
        assert not english_words(text), text
        # The handler's modes and the console's commands, by Chinese name; not the intake
        # form (a handler registers no calls) nor the supervision board.
        assert any(tr("mode.queues") in p for p in prompts)
        assert any(tr("key.lock") in p for p in prompts)
        assert any(tr("key.quit") in p for p in prompts)
        assert not any(tr("mode.intake") in p for p in prompts)
        assert not any(tr("mode.board") in p for p in prompts)
        assert tr("palette.placeholder") in text

    drive(app, scenario)


def test_a_phone_number_in_the_palette_finds_the_callers_orders_first(
    console: Callable[..., HotlineApp], hl: Any, who: Any
) -> None:
    new_order(hl, who, phone="13900139000")
    app = console("op")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"13900139000")
        await palette_settled(pilot)
        prompts = palette_prompts(app)
        assert prompts[0] == tr("palette.phone", phone="13900139000")
        assert not any("打开工单" in p for p in prompts)  # 11 digits are never an order number
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert len(app.screen.results) == 1  # the caller's order

    drive(app, scenario)


def test_an_unknown_text_in_the_palette_says_so_in_chinese(
    console: Callable[..., HotlineApp],
) -> None:
    app = console("op")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"zzzz")
        for _ in range(200):  # the palette says so after a short countdown of its own
            if tr("palette.none") in screen_text(app):
                break
            await pilot.pause(0.05)
        assert tr("palette.none") in screen_text(app)
        assert "No matches" not in screen_text(app)

    drive(app, scenario)


@pytest.mark.parametrize("user", list(ROLES))
def test_f1_lists_in_chinese_only_the_keys_the_role_may_use(
    console: Callable[..., HotlineApp], hl: Any, who: Any, user: str
) -> None:
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    app = console(user)
    role = ROLES[user]

    async def scenario(pilot: Pilot[Any]) -> None:
        under = app.screen
        lines = help_lines(under)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#help-box").region
        shown = screen_text(app).splitlines()[box.y : box.bottom]
        text = "\n".join(row[box.x : box.right] for row in shown)
        assert not english_words(text), text
        listed = "\n".join(f"{keys} {description}" for keys, description, _ in lines)
        assert not english_words(listed), listed
        assert "Ctrl+P" in listed and tr("key.palette") in listed
        names = {description for _keys, description, _enabled in lines}
        for spec in ACTIONS.values():
            if action_name(spec.name) in names and not allowed(role, spec.permission):
                # Two actions may share a name; it is listed for the one the role has.
                assert any(
                    allowed(role, other.permission)
                    for other in ACTIONS.values()
                    if action_name(other.name) == action_name(spec.name)
                ), f"{user} is shown {spec.name}"
        for mode in ("intake", "orders", "queues", "visits", "board", "kb"):
            assert (tr(f"mode.{mode}") in names) == app.may_enter(mode), mode

    drive(app, scenario)


@pytest.mark.parametrize("user", list(ROLES))
def test_the_key_line_is_chinese_and_only_the_roles_keys(
    console: Callable[..., HotlineApp], hl: Any, who: Any, user: str
) -> None:
    new_order(hl, who, lead="M01")
    app = console(user)
    role = ROLES[user]

    async def scenario(pilot: Pilot[Any]) -> None:
        line = str(app.screen.query_one(KeyBar)._content)
        assert line and not english_words(line), line
        for spec in ACTIONS.values():
            if not allowed(role, spec.permission):
                assert f"{spec.key} {action_name(spec.name)}" not in line

    drive(app, scenario)
