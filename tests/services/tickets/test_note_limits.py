"""Notes kept in a shorter column than the audit note are refused in words at that column's
length, on both backends (PostgreSQL's driver raised; SQLite kept the overflow)."""

from __future__ import annotations

import pytest

from hotline_tui.domain.errors import ValidationError
from hotline_tui.services.tickets import editing, handling, supervision
from tests.services.tickets.helpers import load, new_order


def _too_long(call, field: str, limit: int) -> None:
    with pytest.raises(ValidationError) as refused:
        call("事" * (limit + 1))
    assert refused.value.code == "validation.too_long"
    assert refused.value.params["field"] == field and refused.value.params["max"] == limit
    call("事" * limit)  # exactly the column's length is kept


def test_supervision_note_and_answer_stop_at_their_columns(hl, who):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    _too_long(lambda text: supervision.urge(hl, who["sup"], number, text), "note", 1000)
    _too_long(lambda text: supervision.supervise(hl, who["sup"], number, text), "note", 1000)
    _too_long(lambda text: supervision.supervise_reply(hl, who["h1"], number, text), "answer", 2000)


def test_extension_reason_stops_at_its_column(hl, who):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    _too_long(
        lambda text: handling.request_extension(hl, who["h1"], number, days=2, reason=text),
        "reason",
        500,
    )
    _ticket, (part,) = load(hl, number)
    assert part.extension_reason == "事" * 500


def test_abusive_caller_note_stops_at_its_column(hl, who):
    number = new_order(hl, who)
    _too_long(lambda text: editing.mark_abusive(hl, who["sup"], number, text), "note", 500)
