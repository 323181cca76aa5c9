"""The facts one order added to the roll-up, as kept in ``stats_order.facts``.

An order's facts share everything but the day, the department and the column
(:func:`~hotline_tui.domain.kpi_facts.order_rest`), so the text holds those once::

    739677|12|34|complaint|phone|person|0,5,registered,1;0,5,dispatches,1;3,5,closed,1

the first day's ordinal, the category, area, request type, channel and caller kind, then each
fact as days after the first day, department, column and count. A rebuild writes a million of
these: the text is a third of the JSON the roll-up first kept, and made several times faster.
Text in that older form (a JSON list of whole cells) still reads.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date

from hotline_tui.domain.kpi_facts import Cell, FactRow, Facts, Rest

__all__ = ["decode_facts", "encode_facts", "fact_cells"]


def encode_facts(rest: Rest, rows: Sequence[FactRow]) -> str:
    """The text of an order's facts (``rows`` not empty: every order counts as registered)."""
    base = min(row[0] for row in rows).toordinal()
    facts = ";".join(f"{d.toordinal() - base},{dept},{c},{n}" for d, dept, c, n in rows)
    category, area, kind, channel, caller = rest
    return f"{base}|{category}|{area}|{kind}|{channel}|{caller}|{facts}"


def fact_cells(stored: str | None) -> Iterator[tuple[Cell, str, int]]:
    """Each fact of a stored text as (cell, column, count); a column may come twice."""
    if not stored:
        return
    if stored[0] == "[":  # the first form: JSON
        for day, dept, cat, area, kind, channel, caller, column, n in json.loads(stored):
            yield (date.fromisoformat(day), dept, cat, area, kind, channel, caller), column, n
        return
    base, category, area, kind, channel, caller, facts = stored.split("|")
    first, cat, where = int(base), int(category), int(area)
    days: dict[str, date] = {}
    for fact in facts.split(";"):
        offset, dept, column, n = fact.split(",")
        day = days.get(offset)
        if day is None:
            day = days[offset] = date.fromordinal(first + int(offset))
        yield (day, int(dept), cat, where, kind, channel, caller), column, int(n)


def decode_facts(stored: str | None) -> Facts:
    """The facts of a stored text as (cell, column) → count."""
    facts: Facts = Counter()
    for cell, column, n in fact_cells(stored):
        facts[(cell, column)] += n
    return facts
