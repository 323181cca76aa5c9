"""Hostile text is stored harmlessly and shown literally.

Markup-like text (Rich/Textual ``[@click=…]``, ``[b]``) is data: kept exactly as typed and never
interpreted. Terminal escape sequences (OSC 52 clipboard write, clear screen), bidi overrides and
NUL are stripped at input, so nothing stored can reach a terminal as a control sequence.
"""

from __future__ import annotations

import unicodedata

import pytest
from sqlmodel import select

from db.models import AuditEvent, Caller, Ticket
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.tickets import intake
from hotline_tui.services.tickets.intake import Disposition
from tests.cli import conftest as cli_conftest

cli = cli_conftest.cli  # the CLI runner fixture, shared with tests/cli

# (raw input, what must be stored)
PAYLOADS = {
    "textual-click": ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    "rich-bold": ("[b]粗体[/b]", "[b]粗体[/b]"),
    "osc52-clipboard": ("\x1b]52;c;ZWNobw==\x07", "]52;c;ZWNobw=="),
    "clear-screen": ("\x1b[2J", "[2J"),
    "bidi-override": ("\u202eevil", "evil"),
    "nul": ("a\x00b", "ab"),
    "c1-csi": ("\x9b2J", "2J"),
    "bidi-isolate": ("\u2066隔离\u2069", "隔离"),
}
FROM_COMMAND_LINE = [name for name, (raw, _) in PAYLOADS.items() if "\x00" not in raw]
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
TERMINAL_BYTES = ("\x1b", "\x07", "\x00", "\x9b", "\u202e")


def unsafe(value: str) -> list[str]:
    """Control characters (other than newline and tab) and bidi controls in ``value``."""
    return [
        repr(ch)
        for ch in value
        if ch in BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    ]


def fields(payload: str) -> dict[str, str]:
    return {
        "description": f"来电内容{payload}结束",
        "title": f"标题{payload}",
        "address": f"一街道{payload}号",
        "name": f"张{payload}三",
        "note": f"派单说明{payload}",
    }


@pytest.fixture(params=list(PAYLOADS), ids=list(PAYLOADS))
def payload(request) -> tuple[str, str]:
    return PAYLOADS[request.param]


def register(hl, who, raw: str) -> str:
    given = fields(raw)
    return intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="complaint",
            description=given["description"],
            title=given["title"],
            address=given["address"],
            category="T003",
            area="D1",
            caller=CallerInput(name=given["name"], phone="13800138000"),
        ),
        Disposition(kind="dispatch", lead_dept="M01", note=given["note"]),
    ).number


def test_stored_text_has_no_control_characters_and_keeps_markup(hl, who, payload):
    raw, clean = payload
    number = register(hl, who, raw)
    expected = fields(clean)
    with hl.reading() as s:
        ticket = s.exec(select(Ticket).where(Ticket.number == number)).one()
        caller = s.get(Caller, ticket.caller_id)
        note = s.exec(
            select(AuditEvent.note).where(
                AuditEvent.ticket_id == ticket.id, AuditEvent.action == "dispatch"
            )
        ).one()
    assert caller is not None
    stored = {
        "description": ticket.description,
        "title": ticket.title,
        "address": ticket.address,
        "name": ticket.contact_name,
        "caller": caller.name,
        "note": note,
    }
    for name, value in stored.items():
        assert not unsafe(value), (name, value)
    assert stored == expected | {"caller": expected["name"]}


def test_ticket_show_prints_it_literally(cli, hl, who, payload):
    raw, clean = payload
    number = register(hl, who, raw)
    expected = fields(clean)

    plain = cli("ticket", "show", number)
    for text in (plain.stdout, plain.stderr):
        assert not [b for b in TERMINAL_BYTES if b in text], repr(text)
    assert expected["description"] in plain.stdout
    assert f"来电人 {expected['name']}" in plain.stdout

    raw_json = cli("ticket", "show", number, "--json")
    assert not [b for b in TERMINAL_BYTES if b in raw_json.stdout]
    assert "\\u001b" not in raw_json.stdout and "\\u0007" not in raw_json.stdout
    detail = cli.json("ticket", "show", number)
    assert detail["description"] == expected["description"]
    assert detail["title"] == expected["title"]
    assert detail["address"] == expected["address"]
    assert detail["caller"]["name"] == expected["name"]
    notes = [e["note"] for e in detail["timeline"] if e["action"] == "dispatch"]
    assert notes == [expected["note"]]


@pytest.mark.parametrize("kind", FROM_COMMAND_LINE)  # an argument cannot carry NUL
def test_ticket_new_from_the_command_line_stores_it_cleaned(cli, hl, kind):
    raw, clean = PAYLOADS[kind]
    given, expected = fields(raw), fields(clean)
    created = cli.json(
        "ticket",
        "new",
        "-d",
        given["description"],
        "--title",
        given["title"],
        "--name",
        given["name"],
        "--phone",
        "13800138000",
        user="op",
    )
    detail = cli.json("ticket", "show", created["number"])
    assert detail["description"] == expected["description"]
    assert detail["title"] == expected["title"]
    assert detail["caller"]["name"] == expected["name"]
    assert not unsafe(detail["description"] + detail["title"] + detail["caller"]["name"])
