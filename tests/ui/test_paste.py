"""A bracketed paste with control characters in it was stored out of order: Textual's input
parser took the pasted ESC for an escape sequence, typed what followed it as keys (BEL as
Ctrl+G) and delivered the text before it last. A paste must arrive as typed, in its place among
the keys around it, without its control characters."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual.message import Message
from textual.widgets import Input, TextArea

from hotline_tui.domain.text import clean_paste
from hotline_tui.ui.paste_input import END, START, PasteSafeParser
from tests.ui.conftest import drive, settle

SEEN = "幸福路\x1b口东\x07，坏了三天"  # the paste that was saved rearranged


def parse(chunks: list[str]) -> list[Message]:
    """What the console's driver gets from the terminal's reads, in order."""
    parser = PasteSafeParser()
    out = [event for chunk in chunks for event in parser.feed(chunk)]
    return out + list(parser.feed(""))


def split(data: str, cuts: list[int]) -> list[str]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in pairwise(points)]


def as_text(received: list[Message]) -> str:
    """Keys as their characters and pastes as «…», to compare whole streams at once."""
    return "".join(
        f"«{e.text}»" if isinstance(e, events.Paste) else (e.character or f"<{e.key}>")
        for e in received
        if isinstance(e, events.Key | events.Paste)
    )


def test_a_paste_with_esc_and_bel_arrives_whole_and_in_place():
    data = "路灯" + START + SEEN + END + "。"
    assert as_text(parse([data])) == "路灯«幸福路口东，坏了三天»。"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "幸", "福", " ", "\x1b", "\x07", "\x00", "\t", "\r", "\n"])
        | st.sampled_from(["\x1b[", "\x1b[2", "\x1b[20", "\x1b[201", "\x1b[31m", "\x1b\x1b[2"]),
        max_size=12,
    ).map("".join),
    st.lists(st.integers(0, 200), max_size=6),
)
def test_a_paste_arrives_whole_however_the_reads_split_it(pasted, cuts):
    data = "x" + START + pasted + END + "y"
    kept = "".join(c for c in pasted if c == "\r" or clean_paste(c) == c)
    assert as_text(parse(split(data, cuts))) == f"x«{kept}»y"


def test_a_pasted_description_is_stored_as_typed(console):
    """Keys, a paste and keys again, as the terminal sends them in one read, through the
    driver's parser into the description; a one-line field gets a two-line paste side by
    side."""
    app = console("op")

    async def scenario(pilot):
        description = app.screen.query_one("#description", TextArea)
        description.focus()
        await settle(pilot)
        for event in parse(["路灯" + START + SEEN + "\r\n第二行" + END + "。"]):
            app.post_message(event)  # as the driver does
        await settle(pilot)
        assert description.text == "路灯幸福路口东，坏了三天\n第二行。"
        address = app.screen.query_one("#address", Input)
        address.focus()
        await settle(pilot)
        for event in parse([START + "幸福路\x1b[31m 12号\r\n3单元\r\n" + END]):
            app.post_message(event)
        await settle(pilot)
        assert address.value == "幸福路[31m 12号 3单元"

    drive(app, scenario)
