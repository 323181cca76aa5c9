"""Queue counts for the console's tabs: one query gives every queue's size, the same as the
queue itself (whole queues, not a page), on both backends."""

from __future__ import annotations

from typing import Any

import pytest

from hotline_tui.domain.errors import PermissionDenied
from hotline_tui.services.tickets import handling, supervision, worklists
from tests.services.tickets.helpers import new_order


def sizes(hl: Any, actor: Any, names: tuple[str, ...]) -> dict[str, int]:
    return {name: len(worklists.work_queue(hl, actor, name, limit=500)) for name in names}


def test_every_queue_is_counted_as_it_is_listed(hl: Any, who: Any, clock: Any) -> None:
    first = new_order(hl, who, lead="M01")
    second = new_order(hl, who, lead="M01")
    new_order(hl, who, lead="M01")
    new_order(hl, who)  # still to dispatch
    handling.sign(hl, who["h1"], second)
    handling.sign(hl, who["h1"], first)
    handling.reply(hl, who["h1"], first, text="已答复")
    supervision.supervise(hl, who["sup"], second, "超期督办", dept="M01")
    clock.advance(days=3)  # some parts near or past their due

    dept = worklists.DEPT_QUEUE_NAMES
    hotline = worklists.HOTLINE_QUEUE_NAMES
    assert worklists.queue_counts(hl, who["h1"], dept) == sizes(hl, who["h1"], dept)
    assert worklists.queue_counts(hl, who["disp"], hotline) == sizes(hl, who["disp"], hotline)
    counted = worklists.queue_counts(hl, who["h1"], dept)
    assert counted["to_sign"] == 1 and counted["supervised"] == 1
    assert worklists.queue_counts(hl, who["disp"], hotline)["to_dispatch"] == 1
    assert worklists.queue_counts(hl, who["disp"], ()) == {}


def test_a_handler_counts_only_department_queues(hl: Any, who: Any) -> None:
    with pytest.raises(PermissionDenied):
        worklists.queue_counts(hl, who["h1"], ("to_dispatch",))
