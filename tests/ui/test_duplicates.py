"""可能重复 in the console, by keys at 80×24: the intake line as the description is typed (both
modes), the dispatch queue's marks, and the one-key 并单 through the catalogue."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from db.models import Ticket
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.tickets import intake
from hotline_tui.services.tickets.intake import Disposition
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.intake import IntakeScreen
from hotline_tui.ui.screens.queues import QueuesScreen
from hotline_tui.ui.widgets.grid import DataGrid
from hotline_tui.ui.widgets.kb_line import SuggestLine
from tests.services.tickets.helpers import load
from tests.ui.conftest import drive, screen_text, settle, until
from tests.ui.test_order_tools import audit_actions

FIRST = "芙蓉路88号楼下的烧烤店每天晚上油烟很大，噪音扰民到凌晨两点，多次反映没有处理。"
AGAIN = "芙蓉路88号楼下烧烤店每天晚上油烟很大，噪音扰民到凌晨2点，反映多次都没处理！"
PHONE = "13812345678"


def register(hl, who, description: str = FIRST, phone: str = PHONE) -> str:
    return intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="complaint",
            description=description,
            address="芙蓉路88号",
            caller=CallerInput(name="张三", phone=phone),
        ),
        Disposition(kind="queue"),
    ).number


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["full", "low-bandwidth"])
def test_intake_shows_possible_duplicates_as_the_description_is_typed(
    console, hl, who, low_bandwidth
):
    first = register(hl, who)
    app = console("op", low_bandwidth=low_bandwidth)

    async def scenario(pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await pilot.press(*PHONE)
        screen.query_one("#address", Input).value = "芙蓉路88号"
        screen.query_one("#description").focus()
        await pilot.press(*AGAIN)
        await pilot.pause()
        await until(pilot, lambda: not screen.dups.pending and screen.dups.found is not None)
        line = screen.query_one(SuggestLine)
        assert line.duplicates.startswith(f"可能重复：1（{first}）")
        shown = screen_text(app)
        assert f"可能重复：1（{first}）" in shown
        assert len([row for row in shown.splitlines() if "可能重复" in row]) == 1  # one line
        await pilot.press("f8")  # a new call: the count goes with the form
        await settle(pilot)
        assert "可能重复" not in screen_text(app)

    drive(app, scenario)


def test_another_callers_call_is_counted_as_related_not_duplicate(console, hl, who):
    register(hl, who)
    app = console("op")

    async def scenario(pilot):
        screen = app.screen
        await pilot.press(*"13900001111")
        screen.query_one("#address", Input).value = "芙蓉路88号"
        screen.query_one("#description").focus()
        await pilot.press(*AGAIN)
        await pilot.pause()
        await until(pilot, lambda: not screen.dups.pending and screen.dups.found is not None)
        shown = screen_text(app)
        assert "相关：1" in shown and "可能重复" not in shown

    drive(app, scenario)


async def to_row(pilot, number: str) -> None:
    grid = pilot.app.screen.query_one("#queue", DataGrid)
    grid.move_cursor(row=[i.number for i in grid.rows_data].index(number))
    await settle(pilot)


def test_queue_marks_the_duplicate_and_merges_it_with_one_key(console, hl, who):
    first = register(hl, who)
    second = register(hl, who, description=AGAIN)
    other = register(hl, who, description=AGAIN, phone="13900001111")
    app = console("disp")

    async def scenario(pilot):
        screen = app.screen
        assert isinstance(screen, QueuesScreen) and screen.queue_name == "to_dispatch"
        await until(pilot, lambda: any(i.duplicate_of for i in screen.items))
        lines = [line.split() for line in screen_text(app).splitlines()]
        states = {words[0]: words[1] for words in lines if len(words) > 1 and "派单" in words[1]}
        assert states[second] == "重待派单"
        assert states[other] == "相待派单"  # another caller: related, never a duplicate
        assert states[first] == "相待派单"  # the first leads; related to the other caller's
        await to_row(pilot, second)
        assert f"{second} 可能重复：{first}" in screen_text(app)
        await pilot.press("m")  # the catalogue's 并单, no dialog
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)
        ticket = load(hl, second)[0]
        with hl.reading() as s:
            lead = s.get(Ticket, ticket.parent_id)
        assert ticket.state == "merged" and lead is not None and lead.number == first
        assert audit_actions(hl)[-2:] == ["merge", "merged_in"]
        assert f"已并单：{second} 并入" in screen_text(app)
        grid = screen.query_one("#queue", DataGrid)
        assert second not in [i.number for i in grid.rows_data]  # gone from the queue
        # A related row: m asks for the order to merge into, as it always did.
        await to_row(pilot, other)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        assert load(hl, other)[0].state == "pending_dispatch"

    drive(app, scenario)
