"""Stored text is shown literally in every kind of widget: markup never acts, and escape
sequences never reach the terminal, even when unclean text got into the database behind the
services' back (written here with plain SQL)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from sqlalchemy import text

from hotline_tui.domain.errors import ValidationError
from hotline_tui.services.reference.pickers import PickItem
from hotline_tui.services.tickets import closing, handling
from hotline_tui.ui.backend import Backend
from hotline_tui.ui.screens.detail import OrderDetailScreen
from hotline_tui.ui.text import content, plain, rich
from hotline_tui.ui.widgets.picker import Picker
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, history_painted, screen_segments, screen_text, settle

MARKUP = ["[@click=app.quit]x[/]", "[link=https://example.com]x[/link]"]
ESCAPES = ["\x1b]52;c;ZWNobw==\x07", "\x1b[2J"]
EVIL = " ".join(MARKUP + ESCAPES)
SHOWN = [*MARKUP, "]52;c;ZWNobw==", "[2J"]  # what is left of the escapes: inert text


def terminal_output(app) -> str:
    """The bytes a full repaint of the current screen writes to the terminal."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=True, color_system="truecolor", width=app.size.width
    )
    console.print(app.screen._compositor.render_update(full=True), end="")
    return buffer.getvalue()


def assert_literal(app, *expected: str) -> None:
    shown = screen_text(app)
    for piece in expected:
        assert piece in shown, (piece, shown)
    segments = screen_segments(app)
    assert "\x1b" not in segments and "\x07" not in segments
    output = terminal_output(app)
    assert "\x1b]52" not in output and "\x1b[2J" not in output and "\x07" not in output
    assert app.is_running  # [@click=app.quit] did not quit


def poison(hl, number: str) -> None:
    """Unclean text straight into the database (the services would have cleaned it)."""
    with hl.engines.write.begin() as conn:
        conn.execute(
            text("UPDATE ticket SET title = :t, description = :t WHERE number = :n"),
            {"t": EVIL, "n": number},
        )
        conn.execute(
            text(
                "UPDATE audit_event SET note = :t WHERE ticket_id ="
                " (SELECT id FROM ticket WHERE number = :n)"
            ),
            {"t": EVIL, "n": number},
        )
        conn.execute(text("UPDATE assignment SET reply_text = :t, return_basis = :t"), {"t": EVIL})
        conn.execute(text("UPDATE user_account SET display_name = :t"), {"t": EVIL})


@pytest.mark.parametrize("value", [*MARKUP, *ESCAPES, EVIL])
def test_the_text_helper_never_interprets(value):
    assert "\x1b" not in plain(value) and "\x07" not in plain(value)
    assert content(value).plain == plain(value)
    assert rich(value).plain == plain(value)
    assert not rich(value).spans and not content(value).spans


def test_tables_labels_timeline_and_history_show_it_literally(console, hl, who):
    number = new_order(hl, who, lead="M01", phone="13600136000")
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="ok")
    closing.review(hl, who["disp"], number, passed=True)
    poison(hl, number)
    app = console("op", refresh_seconds=30)

    async def scenario(pilot):
        assert_literal(app, MARKUP[0][:12])  # the top bar: the user's display name
        await pilot.press(*"13600136000")  # the caller's history (a list of orders)
        await history_painted(pilot)
        assert_literal(app, "[@click=app.q")
        assert "[@click=app.q" in str(app.screen.query_one("#history").lines[1])
        await pilot.press("f5")  # a table, and the reply read to the caller (a label)
        await settle(pilot)
        assert_literal(app, "[@click=app.q", "[link=https://example.com]x[/link]")
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("tab", *"13600136000", "enter")  # search results (a table)
        await settle(pilot)
        assert_literal(app, "[@click=app.q")
        app.open_order(number)
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert_literal(app, *SHOWN)  # the summary label and the timeline table

    drive(app, scenario, size=(120, 40))


class Refusing(Backend):
    def queue(self, name, dept=None):
        raise ValidationError("validation.choice", field="queue", value=EVIL, allowed=MARKUP)


def test_notifications_show_it_literally(console, hl, who, drafts_dir):
    app = console("disp", backend=Refusing(hl.settings, drafts_dir=drafts_dir, hl=hl))

    async def scenario(pilot):
        await settle(pilot)
        notes = [n for n in app._notifications if "队列" in n.message]  # the field, in words
        assert notes
        for note in notes:
            assert "\x1b" not in note.message and not note.markup
            assert MARKUP[0] in note.message
        assert_literal(app, "[@click=app")

    drive(app, scenario, size=(120, 40))


def test_pick_lists_show_it_literally(console, hl, who):
    app = console("op")
    item = PickItem("department", "X1", EVIL, "", EVIL)

    async def scenario(pilot):
        picker = app.screen.query_one("#lead", Picker)
        picker.focus()
        await settle(pilot)  # the real pick lists load when a picker is first reached
        picker.search = lambda q: [item]
        await pilot.press("x")
        await settle(pilot)
        options = picker.query_one("OptionList")
        prompt = options.get_option_at_index(0).prompt
        assert "\x1b" not in str(prompt) and MARKUP[0] in str(prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert picker.value == "X1" and MARKUP[0] in picker.text
        assert_literal(app, "[@click=app.quit]x")

    drive(app, scenario, size=(120, 40))
