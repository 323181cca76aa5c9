"""The orders as their facts read them (:class:`~hotline_tui.domain.kpi_facts.OrderView`),
loaded in one query per table for a batch of orders: named by id (the minute update) or a range
of ids (a rebuild, which reads a year of orders this way).

Plain SQL on the driver's cursor: a rebuild reads millions of rows, and SQLAlchemy's typed
rows cost more than the reading itself. Ids and the actions' names are all the statements take.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

from hotline_tui.domain.kpi_facts import EVENT_ACTIONS, EventView, OrderView, PartView, VisitView

__all__ = ["load_order_range", "load_orders"]

_TICKETS = """
SELECT t.id, {t.created_at}, {t.closed_at}, t.ending, t.request_type, t.channel,
       t.category_id, t.area_id, c.kind, t.lead_assignment_id, t.handover_count
FROM ticket t LEFT OUTER JOIN caller c ON c.id = t.caller_id
WHERE t.{where}"""
_PARTS = """
SELECT ticket_id, id, dept_id, role, state, {created_at}, {signed_at}, {replied_at},
       {sign_due_at}, {due_at}
FROM assignment WHERE ticket_{where} ORDER BY id"""
_VISITS = """
SELECT ticket_id, {made_at}, contact, resolution, satisfaction
FROM visit_attempt WHERE ticket_{where} ORDER BY id"""
_EVENTS = """
SELECT ticket_id, seq, {at}, action, entity, assignment_id, dept_id
FROM audit_event WHERE ticket_{where} AND action IN ({actions}) ORDER BY seq"""

Moment = Callable[[Any], Any]  # a column's value as an aware datetime (or None)


def _aware(value: datetime | None) -> datetime | None:
    # PostgreSQL's timestamptz comes back aware, in the session's zone: any zone will do.
    return value


def _parsed(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:  # text written with an offset of its own, which comes first then
        return datetime.fromisoformat(value[:-6]).astimezone(UTC)


@lru_cache(maxsize=64)
def _statements(dialect: str, where: str) -> tuple[tuple[str, ...], Moment]:
    """The four statements for a dialect and a condition on the order's id, and how a moment
    comes back. SQLite keeps a moment as UTC text without an offset: selected with the offset
    appended, it parses as an aware datetime at once (setting the zone after parsing costs six
    times as much, and a rebuild parses millions)."""

    def moment(column: str) -> str:
        return column if dialect == "postgresql" else f"({column} || '+00:00')"

    names = ("created_at", "closed_at", "signed_at", "replied_at", "sign_due_at", "due_at",
             "made_at", "at")  # fmt: skip
    columns = {name: moment(name) for name in names}
    tickets = _TICKETS.replace("{t.created_at}", moment("t.created_at"))
    tickets = tickets.replace("{t.closed_at}", moment("t.closed_at"))
    actions = ", ".join(f"'{a}'" for a in EVENT_ACTIONS)
    statements = (
        tickets.format(where=where),
        _PARTS.format(where=where, **columns),
        _VISITS.format(where=where, **columns),
        _EVENTS.format(where=where, actions=actions, **columns),
    )
    return statements, (_aware if dialect == "postgresql" else _parsed)


def load_orders(conn: Connection, ids: Sequence[int]) -> dict[int, OrderView]:
    """The orders of ``ids`` that exist, by id."""
    if not ids:
        return {}
    wanted = sorted(set(ids))
    if conn.dialect.name == "postgresql":
        return _load(conn, "id = ANY(%s)", (wanted,))
    return _load(conn, f"id IN ({', '.join('?' * len(wanted))})", tuple(wanted))


def load_order_range(conn: Connection, first: int, last: int) -> dict[int, OrderView]:
    """The orders whose ids are from ``first`` to ``last``, by id."""
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    return _load(conn, f"id BETWEEN {mark} AND {mark}", (first, last))


def _load(conn: Connection, where: str, params: tuple[Any, ...]) -> dict[int, OrderView]:
    (tickets, parts, visits, events), m = _statements(conn.dialect.name, where)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:

        def rows(sql: str) -> list[Any]:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

        by_part = _group(rows(parts), lambda r: PartView(
            r[1], r[2], r[3], r[4], m(r[5]), m(r[6]), m(r[7]), m(r[8]), m(r[9])))  # fmt: skip
        by_visit = _group(rows(visits), lambda r: VisitView(m(r[1]), r[2], r[3], r[4]))
        by_event = _group(rows(events), lambda r: EventView(
            r[1], m(r[2]), r[3], r[4], r[5], r[6]))  # fmt: skip
        found = rows(tickets)
    finally:
        cursor.close()
    return {
        r[0]: OrderView(
            r[0], m(r[1]), m(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10] or 0,
            by_part.get(r[0], ()), by_visit.get(r[0], ()), by_event.get(r[0], ()),
        )
        for r in found
    }  # fmt: skip


def _group(rows: list[Any], make: Callable[[Any], Any]) -> dict[int, tuple[Any, ...]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        out[int(r[0])].append(make(r))
    return {k: tuple(v) for k, v in out.items()}
