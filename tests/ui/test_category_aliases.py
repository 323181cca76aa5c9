"""Issue 15, item 11: the intake category picker finds a category by the word a caller uses for
it (物管 for 物业管理), as it finds it by its own name."""

from __future__ import annotations

from textual.widgets import OptionList

from hotline_tui.ui.widgets.picker import Picker
from tests.ui.conftest import drive, settle


def test_the_category_picker_finds_a_category_by_its_alias(console):
    app = console("op")

    async def scenario(pilot):
        picker = app.screen.query_one("#category", Picker)
        picker.focus()
        await settle(pilot)
        await pilot.press(*"物管")
        await settle(pilot)
        options = picker.query_one(OptionList)
        assert picker.list_open and options.option_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert picker.text.startswith("物业管理")
        assert picker.value is not None

    drive(app, scenario)
