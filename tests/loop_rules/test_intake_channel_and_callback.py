"""Rule 8 of issue 14, intake basics: the channel a request came by and a call-back number.

The channel (电话, 网站, 微信, 手机应用, 信件, 来访, 电子邮件 — the ``intake_channels`` setting)
is set at intake, checked against the list with the list in the error, stored, and shown by
``show`` and ``find``; it was always ``phone``. A call-back number (回拨号码) apart from the number
the caller called from is validated like any phone number, stored apart, and shown to whoever
sees the caller's phone, masked and hidden by the same rules. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.tickets import intake, queries
from hotline_tui.services.tickets.intake import Disposition
from hotline_tui.services.tickets.views import CallerView, TicketDetail


def _register(hl, who, **fields):
    record = IntakeInput(
        request_type="complaint",
        description="江滨路路灯不亮",
        caller=fields.pop("caller", CallerInput(name="王五", phone="13800138000")),
        **fields,
    )
    disposition = Disposition(kind="dispatch", lead_dept="M01")
    return intake.register(hl, who["op"], record, disposition).number


def _caller(detail: TicketDetail) -> CallerView:
    assert detail.caller is not None
    return detail.caller


def _stored(hl, number):
    with hl.reading() as session:
        return session.exec(select(Ticket).where(Ticket.number == number)).one()


def test_the_channel_is_set_at_intake_stored_and_shown(hl, who):
    number = _register(hl, who, channel="wechat")
    assert _stored(hl, number).channel == "wechat"
    assert queries.show(hl, who["disp"], number).channel == "wechat"
    (found,) = queries.find(hl, who["disp"], queries.FindQuery(number=number))
    assert found.channel == "wechat"
    by_label = _register(hl, who, channel="电子邮件")  # the label as the screens show it
    assert _stored(hl, by_label).channel == "email"


def test_a_channel_not_in_the_list_is_refused_with_the_list(hl, who):
    with pytest.raises(ValidationError) as refused:
        _register(hl, who, channel="fax")
    assert refused.value.code == "validation.channel"
    assert "wechat（微信）" in refused.value.params["allowed"]
    assert "letter（信件）" in refused.value.params["allowed"]


def test_the_channel_list_is_a_setting(hl, who):
    hl.settings = hl.settings.model_copy(
        update={"intake_channels": {"phone": "电话", "hall": "大厅"}}
    )
    assert _stored(hl, _register(hl, who, channel="大厅")).channel == "hall"
    with pytest.raises(ValidationError):
        _register(hl, who, channel="wechat")


def test_the_callback_number_is_stored_apart_and_validated(hl, who):
    number = _register(hl, who, callback_phone="139 1234 5678")
    stored = _stored(hl, number)
    assert (stored.contact_phone, stored.callback_phone) == ("13800138000", "13912345678")
    assert _caller(queries.show(hl, who["op"], number)).callback_phone == "13912345678"
    with pytest.raises(ValidationError) as refused:
        _register(hl, who, callback_phone="1234")
    assert refused.value.code == "validation.callback_phone"
    landline = _register(hl, who, callback_phone="010-12345678")
    assert _stored(hl, landline).callback_phone == "010-12345678"


def test_the_callback_number_is_masked_and_hidden_like_the_phone(hl, who):
    number = _register(hl, who, callback_phone="13912345678")
    handler_view = _caller(queries.show(hl, who["h1"], number))
    assert handler_view.phone == "138****8000" and handler_view.callback_phone == "139****5678"
    revealed = _caller(queries.reveal(hl, who["h1"], number, "需联系来电人核实"))
    assert revealed.callback_phone == "13912345678"
    secret = _register(hl, who, callback_phone="13912345678", confidential=True)
    assert queries.show(hl, who["h1"], secret).caller is None  # a whistleblower's: hidden
    assert _caller(queries.show(hl, who["disp"], secret)).callback_phone == "13912345678"


def test_channel_and_callback_through_the_command_line(cli):
    created = cli.json(
        "ticket",
        "new",
        "-d",
        "网上办事大厅无法登录",
        "--phone",
        "13800138000",
        "--channel",
        "微信",
        "--callback",
        "13912345678",
        user="op",
    )
    shown = cli("ticket", "show", created["number"], user="op").stdout
    assert "受理渠道 微信" in shown and "回拨号码 13912345678" in shown
    assert "微信" in cli("ticket", "find", "--number", created["number"], user="op").stdout
    as_json = cli.json("ticket", "show", created["number"], user="op")
    assert as_json["channel"] == "wechat"
    bad = cli("ticket", "new", "-d", "x", "--channel", "传真", user="op", ok=False)
    assert bad.exit_code == 2
    words = bad.stderr.replace("\n", "")
    assert "受理渠道「传真」无效" in words and "wechat（微信）" in words
    wrong = cli("ticket", "new", "-d", "x", "--callback", "12", user="op", ok=False)
    assert wrong.exit_code == 2 and "回拨号码无效" in wrong.stderr.replace("\n", "")
