"""The orders behind a number of ``hotline kpi``: those whose facts make up a measure's
numerator or denominator for the same period and filter, so a figure can be checked order by
order (``hotline kpi --orders 超期率 --dept M01``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, or_, select
from sqlmodel import col

from db.models import Ticket
from db.models.stats import CELL_COLUMNS, stats_daily, stats_order
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.kpi import MEASURES, Measure, measure
from hotline_tui.domain.kpi_facts import local_day
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.stats.figures import KpiQuery, Scope, scope, span
from hotline_tui.services.stats.rollup import decode

__all__ = ["OrderLine", "OrdersBehind", "orders_behind"]

SIDES = ("numerator", "denominator")


@dataclass(frozen=True)
class OrderLine:
    number: str
    title: str
    state: str
    days: tuple[date, ...]  # the days the order counts on
    count: int  # what it adds (hand-overs, returns: may be more than one)


@dataclass(frozen=True)
class OrdersBehind:
    measure: Measure
    side: str
    first: date
    last: date
    total: int
    orders: tuple[OrderLine, ...]


def _measure(name: str) -> Measure:
    found = measure(name)
    if found is None:
        allowed = [m.zh for m in MEASURES] + [m.id for m in MEASURES]
        raise ValidationError("validation.kpi_measure", value=name, allowed=allowed)
    return found


def _cells(conn: Connection, sc: Scope, m: Measure, columns: tuple[str, ...],
           first: date, last: date) -> set[tuple[Any, ...]]:  # fmt: skip
    c = stats_daily.c
    where = [c.day >= first, c.day <= last, *sc.where, or_(*(c[n] > 0 for n in columns))]
    if m.excluded and sc.excluded_categories:
        where.append(c.category_id.not_in(sorted(sc.excluded_categories)))
    rows = conn.execute(select(*(c[n] for n in CELL_COLUMNS)).where(*where)).all()
    return {(date.fromisoformat(r[0]) if isinstance(r[0], str) else r[0], *r[1:]) for r in rows}


def orders_behind(
    hl: Hotline, actor: Actor, query: KpiQuery, name: str, side: str = "numerator"
) -> OrdersBehind:
    """The orders adding to ``name``'s numerator (or denominator) under ``query``."""
    if side not in SIDES:
        raise ValidationError("validation.choice", field="side", value=side, allowed=list(SIDES))
    m = _measure(name)
    columns = m.numerator if side == "numerator" else m.denominator
    first, last = span(query, local_day(hl.now()))
    with hl.engines.read.connect() as conn:
        sc = scope(hl, conn, actor, query)
        wanted = _cells(conn, sc, m, columns, first, last)
        found: dict[int, tuple[set[date], int]] = {}
        if wanted:
            rows = conn.execute(
                select(stats_order.c.ticket_id, stats_order.c.facts).where(
                    stats_order.c.first_day <= last, stats_order.c.last_day >= first
                )
            ).all()
            for ticket_id, stored in rows:
                days, count = set(), 0
                for (cell, column), n in decode(stored).items():
                    if column in columns and cell in wanted:
                        days.add(cell[0])
                        count += n
                if days:
                    found[int(ticket_id)] = (days, count)
        lines = _lines(conn, found)
    return OrdersBehind(m, side, first, last, sum(x.count for x in lines), tuple(lines))


def _lines(conn: Connection, found: dict[int, tuple[set[date], int]]) -> list[OrderLine]:
    if not found:
        return []
    rows = conn.execute(
        select(col(Ticket.id), col(Ticket.number), col(Ticket.title), col(Ticket.state)).where(
            col(Ticket.id).in_(sorted(found))
        )
    ).all()
    lines = [
        OrderLine(number, title or "", state, tuple(sorted(found[i][0])), found[i][1])
        for i, number, title, state in ((int(r[0] or 0), *r[1:]) for r in rows)
    ]
    return sorted(lines, key=lambda x: (x.days, x.number))
