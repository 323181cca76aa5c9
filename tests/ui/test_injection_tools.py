"""The order tools show stored text literally too: the edit form filled from the order, the
materials list and viewer (file name and file content), the visit-due board and the merge
dialog's title. Unclean text is written with plain SQL, behind the services' back."""

from __future__ import annotations

from sqlalchemy import text
from textual.widgets import Input, TextArea

from hotline_tui.services.tickets import materials
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.order_tools import MaterialsModal, MaterialViewer
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, settle
from tests.ui.test_injection import ESCAPES, EVIL, MARKUP, SHOWN, assert_literal, poison
from tests.ui.test_order_tools import open_visit_due, waiting_for_visit


def test_edit_form_and_merge_dialog_show_it_literally(console, hl, who):
    number = new_order(hl, who, phone="13600136000")
    poison(hl, number)
    app = console("disp")

    async def scenario(pilot):
        app.open_order(number)
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        title = app.screen.query_one("#a-title", Input).value
        body = app.screen.query_one("#a-description", TextArea).text
        for value in (title, body):
            assert "\x1b" not in value and "\x07" not in value and MARKUP[0] in value
        assert_literal(app, MARKUP[0], "]52;c;ZWNobw==")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        assert_literal(app)

    drive(app, scenario, size=(120, 40))


def test_materials_list_and_viewer_show_it_literally(console, hl, who, tmp_path):
    number = new_order(hl, who, lead="M01")
    source = tmp_path / "note.txt"
    source.write_text("before " + EVIL + " after", encoding="utf-8")
    materials.add_material(hl, who["op"], number, source)
    with hl.engines.write.begin() as conn:
        conn.execute(text("UPDATE material SET filename = :t"), {"t": EVIL})
    app = console("op")

    async def scenario(pilot):
        app.open_order(number)
        await settle(pilot)
        assert_literal(app, MARKUP[0])  # the materials line of the detail
        await pilot.press("O")
        await settle(pilot)
        assert isinstance(app.screen, MaterialsModal)
        assert_literal(app, MARKUP[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MaterialViewer)
        assert_literal(app, "before", *SHOWN[:1], "]52;c;ZWNobw==", "after")

    drive(app, scenario, size=(120, 40))


def test_visit_due_board_shows_it_literally(console, hl, who, clock):
    waiting_for_visit(hl, who)
    with hl.engines.write.begin() as conn:
        conn.execute(text("UPDATE ticket SET title = :t"), {"t": " ".join(MARKUP + ESCAPES)})
        conn.execute(text("UPDATE assignment SET reply_text = :t"), {"t": EVIL})
    clock.advance(days=10)
    app = console("op")

    async def scenario(pilot):
        await open_visit_due(pilot)
        assert_literal(app, MARKUP[0], MARKUP[1], "[2J")

    drive(app, scenario, size=(160, 40))
