"""What no database can hold is refused the same way on SQLite and PostgreSQL, whichever path
brings it (SQLite would store a NUL where PostgreSQL's driver raises; a lone surrogate or an
integer beyond 64 bits makes either driver raise)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.services.admin.users import add_user, list_users
from hotline_tui.services.storable import check_parameters
from hotline_tui.services.tickets import queries
from tests.services.tickets.helpers import new_order


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2026\x000001", "validation.nul"),
        ("\udcc4\udce3", "validation.not_utf8"),
    ],
)
def test_a_lookup_with_what_no_database_holds_is_refused_on_both(hl, who, value, code):
    with pytest.raises(ValidationError) as info:
        queries.show(hl, who["op"], value)
    assert info.value.code == code


def test_an_integer_beyond_64_bits_is_refused_on_both(hl):
    with hl.reading() as session, pytest.raises(ValidationError) as info:
        session.exec(select(Ticket).where(Ticket.id == 2**64)).all()
    assert info.value.code == "validation.number_range"
    with hl.reading() as session:  # the connection is still usable
        # INTEGER on PostgreSQL: 32 bits (it refuses a larger number even to compare).
        assert session.exec(select(Ticket).where(Ticket.id == 2**31 - 1)).all() == []


def test_free_text_is_cleaned_not_refused(hl, who):
    number = new_order(hl, who, description="咨询\x00营业执照\udcff办理")
    assert queries.show(hl, who["op"], number).description == "咨询营业执照办理"


def test_a_write_refused_for_a_nul_changes_nothing(hl, who):
    with pytest.raises(ValidationError) as info:
        add_user(hl, who["adm"], "h9", "新人", "handler", password="pass-word-9", dept="M\x0001")
    assert info.value.code == "validation.nul"
    assert "h9" not in {u.username for u in list_users(hl, who["adm"])}


@pytest.mark.parametrize(
    "parameters",
    [
        {"a": 1, "b": "x\x00"},
        ("x", "y\x00"),
        [("ok",), ("y\x00",)],  # executemany
        [{"a": "ok"}, {"a": "y\x00"}],
        ["ok", "y\x00"],  # batched inserts: one flat list
    ],
)
def test_every_shape_of_parameters_is_checked(parameters):
    with pytest.raises(ValidationError):
        check_parameters(parameters)


def test_harmless_parameters_pass():
    check_parameters({"a": "营业执照 \t\n", "b": 2**63 - 1, "c": -(2**63), "d": None, "e": b"\0"})
    check_parameters(None)
