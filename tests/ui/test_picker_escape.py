"""Esc in a dialog whose first field is a picker: it closes the picker's open list first, and
with the list closed it cancels the dialog (it did nothing: the picker took the key)."""

from __future__ import annotations

from typing import Any

from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.widgets.picker import Picker
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, settle


def test_escape_closes_the_list_then_cancels_the_dispatch_dialog(console: Any, hl: Any, who: Any):
    new_order(hl, who)  # waits for dispatch
    app = console("disp")

    async def scenario(pilot: Any) -> None:
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal) and app.screen.spec.name == "dispatch"
        picker = app.screen.query(Picker).first()
        await pilot.press(*"人社")
        await settle(pilot)
        assert picker.list_open
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal) and not picker.list_open
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)

    drive(app, scenario)
