"""An order's facts as ``stats_order`` keeps them: written compactly, read back the same; the
roll-up's first form (JSON) still reads."""

from __future__ import annotations

import json
from datetime import date

from hotline_tui.domain.kpi_codec import decode_facts, encode_facts
from hotline_tui.domain.kpi_facts import fact_rows, order_facts, order_rest
from tests.domain.test_kpi_facts import CASES, NOW

REST = (12, 34, "complaint", "phone", "person")


def test_a_hand_written_text():
    rows = [
        (date(2026, 3, 2), 5, "registered", 1),
        (date(2026, 3, 2), 5, "dispatches", 1),
        (date(2026, 3, 6), 5, "returns", 1),
        (date(2026, 3, 6), 5, "returns", 1),  # twice on a day: added up
        (date(2026, 3, 9), 0, "handovers", 3),
    ]
    text = encode_facts(REST, rows)
    first = date(2026, 3, 2).toordinal()
    assert text == (
        f"{first}|12|34|complaint|phone|person|"
        "0,5,registered,1;0,5,dispatches,1;4,5,returns,1;4,5,returns,1;7,0,handovers,3"
    )
    cell = (date(2026, 3, 6), 5, *REST)
    assert decode_facts(text) == {
        ((date(2026, 3, 2), 5, *REST), "registered"): 1,
        ((date(2026, 3, 2), 5, *REST), "dispatches"): 1,
        (cell, "returns"): 2,
        ((date(2026, 3, 9), 0, *REST), "handovers"): 3,
    }


def test_every_worked_order_reads_back_as_its_facts():
    for _name, view, _expected in CASES:
        text = encode_facts(order_rest(view), fact_rows(view, NOW))
        assert decode_facts(text) == order_facts(view, NOW)


def test_the_first_form_still_reads():
    stored = json.dumps([["2026-03-02", 5, 12, 34, "complaint", "phone", "person", "closed", 1]])
    assert decode_facts(stored) == {((date(2026, 3, 2), 5, *REST), "closed"): 1}
    assert decode_facts(None) == {} and decode_facts("") == {}
