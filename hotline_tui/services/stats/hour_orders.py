"""The orders behind one cell of the 7 × 24 hour-of-week table: those registered in the period,
under the same filters as :func:`~hotline_tui.services.stats.hotspot_orders.hours`, on that
local weekday (Monday 0) and hour (Asia/Shanghai), so the cell's number can be checked order by
order."""

from __future__ import annotations

from sqlmodel import col

from db.models import Ticket
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.kpi_facts import local_day
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.stats.figures import scope, span
from hotline_tui.services.stats.hotspot import HotspotQuery, load_trees
from hotline_tui.services.stats.hotspot_orders import (
    CellOrder,
    orders_in_period,
    weekday_hour,
)

__all__ = ["hour_orders"]


def hour_orders(
    hl: Hotline, actor: Actor, query: HotspotQuery, weekday: int, hour: int
) -> tuple[CellOrder, ...]:
    """The orders counted in the hour table's cell (``weekday`` 0–6, ``hour`` 0–23), oldest
    first."""
    if not (0 <= weekday <= 6 and 0 <= hour <= 23):
        raise ValidationError(
            "validation.choice", field="hour", value=f"{weekday}/{hour}", allowed=["0-6/0-23"]
        )
    span(query.kpi, local_day(hl.now()))  # the same range check as the table's
    with hl.engines.read.connect() as conn:
        sc = scope(hl, conn, actor, query.kpi)
        trees = load_trees(conn)
        day, hh = weekday_hour(conn)
        statement = orders_in_period(
            hl, actor, query, sc, trees, col(Ticket.number), col(Ticket.title),
            col(Ticket.state), col(Ticket.created_at),
        )  # fmt: skip
        statement = statement.where(day == weekday, hh == hour)
        rows = conn.execute(statement.order_by(col(Ticket.created_at), col(Ticket.id))).all()
    return tuple(
        CellOrder(number, title or "", state, local_day(created))
        for number, title, state, created in rows
    )
