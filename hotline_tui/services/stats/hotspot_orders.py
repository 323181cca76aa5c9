"""What ``hotline hotspot`` reads from the orders themselves: the 7 × 24 hour-of-week table of
intake (the roll-up is daily: this needs the registration times) and the orders behind a cell.

Both take the orders registered in the period (local days, Asia/Shanghai) under the same filters
as the roll-up's cells: the lead department (none: not dispatched), the category and area with
everything under them, request type, channel, caller kind (none recorded: anonymous).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Integer, Select, cast, func, literal, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from db.models import Assignment, Caller, Ticket
from hotline_tui.domain.errors import NotFound
from hotline_tui.domain.hotspot import subtree
from hotline_tui.domain.kpi_facts import local_day
from hotline_tui.domain.moments import SHANGHAI
from hotline_tui.domain.permissions import own_department_only
from hotline_tui.domain.states import CallerKind
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.stats.figures import Scope, scope, span
from hotline_tui.services.stats.hotspot import (
    NONE_CODE,
    HotspotQuery,
    Node,
    Trees,
    check_levels,
    load_trees,
)

__all__ = [
    "CellOrder",
    "CellOrders",
    "HourTable",
    "cell_orders",
    "hours",
    "orders_in_period",
    "weekday_hour",
]


@dataclass(frozen=True)
class HourTable:
    first: date
    last: date
    counts: tuple[tuple[int, ...], ...]  # [weekday Monday=0][hour 0–23]

    @property
    def total(self) -> int:
        return sum(map(sum, self.counts))


@dataclass(frozen=True)
class CellOrder:
    number: str
    title: str
    state: str
    day: date


@dataclass(frozen=True)
class CellOrders:
    category: Node
    area: Node
    first: date
    last: date
    orders: tuple[CellOrder, ...]


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def _by_code(nodes: dict[int, Node], code: str, missing: NotFound) -> int:
    found = next((i for i, n in nodes.items() if n.code == code), None)
    if found is None:
        raise missing
    return found


def orders_in_period(
    hl: Hotline, actor: Actor, query: HotspotQuery, sc: Scope, trees: Trees, *columns: Any
) -> Select[Any]:
    """``columns`` of the orders registered in the period under the query's filters."""
    q = query.kpi
    first, last = span(q, local_day(hl.now()))
    lead = aliased(Assignment)
    statement = (
        select(*columns)
        .select_from(Ticket)
        .join(Caller, col(Caller.id) == col(Ticket.caller_id), isouter=True)
        .join(lead, col(lead.id) == col(Ticket.lead_assignment_id), isouter=True)
        .where(
            col(Ticket.created_at) >= _start(first),
            col(Ticket.created_at) < _start(last + timedelta(days=1)),
        )
    )
    dept = func.coalesce(col(lead.dept_id), 0)
    if own_department_only(actor.role):
        statement = statement.where(dept == (actor.dept_id or -1))
    elif q.dept:
        ids = [i for i, (code, _name) in sc.labels["dept"].items() if code == q.dept]
        statement = statement.where(dept == ids[0])  # scope() refused an unknown code
    if q.category:
        root = _by_code(
            trees.categories, q.category, NotFound("not_found.category", code=q.category)
        )
        statement = statement.where(
            col(Ticket.category_id).in_(sorted(subtree(trees.cat_parents, root)))
        )
    if q.area:
        root = _by_code(trees.areas, q.area, NotFound("not_found.area", code=q.area))
        statement = statement.where(
            col(Ticket.area_id).in_(sorted(subtree(trees.area_parents, root)))
        )
    if q.request_type:
        statement = statement.where(col(Ticket.request_type) == q.request_type)
    if q.channel:
        statement = statement.where(col(Ticket.channel) == q.channel)
    if q.caller_kind:
        kind = func.coalesce(col(Caller.kind), CallerKind.ANONYMOUS.value)
        statement = statement.where(kind == q.caller_kind)
    return statement


def weekday_hour(conn: Connection) -> tuple[Any, Any]:
    """SQL for the local (Asia/Shanghai) weekday (Monday 0) and hour of an order's registration."""
    created = col(Ticket.created_at)
    if conn.dialect.name == "postgresql":
        local = func.timezone("Asia/Shanghai", created)
        return (cast(func.extract("isodow", local), Integer) - 1,
                cast(func.extract("hour", local), Integer))  # fmt: skip
    # SQLite keeps UTC without a zone; Shanghai has been UTC+8 all year since 1991
    weekday = cast(func.strftime("%w", created, "+8 hours"), Integer)
    return ((weekday + 6) % 7, cast(func.strftime("%H", created, "+8 hours"), Integer))


def hours(hl: Hotline, actor: Actor, query: HotspotQuery) -> HourTable:
    """Intake by local weekday × hour: one grouped query over the orders."""
    first, last = span(query.kpi, local_day(hl.now()))
    with hl.engines.read.connect() as conn:
        sc = scope(hl, conn, actor, query.kpi)
        trees = load_trees(conn)
        weekday, hour = weekday_hour(conn)
        w, h = weekday.label("w"), hour.label("h")
        statement = orders_in_period(hl, actor, query, sc, trees, w, h, func.count(literal(1)))
        rows = conn.execute(statement.group_by(w, h)).all()
    counts = [[0] * 24 for _ in range(7)]
    for day, hh, n in rows:
        counts[int(day)][int(hh)] += int(n)
    return HourTable(first, last, tuple(tuple(r) for r in counts))


def cell_orders(
    hl: Hotline, actor: Actor, query: HotspotQuery, category: str, area: str
) -> CellOrders:
    """The orders behind one cell of the table (category and area codes at the query's
    levels; ``-`` for none): those that add to its count."""
    check_levels(query)
    first, last = span(query.kpi, local_day(hl.now()))
    with hl.engines.read.connect() as conn:
        sc = scope(hl, conn, actor, query.kpi)
        trees = load_trees(conn)
        want_cat = (
            0
            if category == NONE_CODE
            else _by_code(trees.categories, category, NotFound("not_found.category", code=category))
        )
        want_area = (
            0
            if area == NONE_CODE
            else _by_code(trees.areas, area, NotFound("not_found.area", code=area))
        )
        statement = orders_in_period(
            hl, actor, query, sc, trees, col(Ticket.number), col(Ticket.title),
            col(Ticket.state), col(Ticket.created_at), col(Ticket.category_id),
            col(Ticket.area_id),
        )  # fmt: skip
        rows = conn.execute(statement.order_by(col(Ticket.created_at), col(Ticket.id))).all()
    found = tuple(
        CellOrder(number, title or "", state, local_day(created))
        for number, title, state, created, cat, ar in rows
        if trees.cell(cat or 0, ar or 0, query.level, query.area_level) == (want_cat, want_area)
    )
    return CellOrders(trees.category(want_cat), trees.area(want_area), first, last, found)
