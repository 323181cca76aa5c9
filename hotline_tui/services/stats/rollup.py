"""The daily roll-up: kept current from the change feed, rebuilt from the orders on demand.

Every change goes the same way (:func:`_apply`): for a batch of orders, their facts as they
stand now (:func:`hotline_tui.domain.kpi_facts.order_facts`) replace the facts they had added
before (kept in ``stats_order``), and the difference is added to the cells of ``stats_daily``.
So applying an order twice changes nothing, the order of the batches does not matter, and a
late event (a reply typed in days after it was given) moves counts on the days they belong to.

- :func:`update` (the scheduler's ``stats`` job, every minute): the orders named by the audit
  events after the mark, and those whose sign due or due time passed since the last run (the
  only facts that change with time alone). The mark moves in the same transaction as the
  counts; the row holding it is the lock, so two updaters (or an updater and a rebuild) take
  turns.
  The first run after the upgrade rebuilds instead (:func:`keep_current`).
- :func:`rebuild` (``hotline stats rebuild``): every order in batches (the tables emptied first
  and the mark set to the feed's head), or only the orders registered between two days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col

from db.models import Assignment, AuditEvent, AuditHead, Ticket
from db.models.stats import stats_daily, stats_dept_day, stats_mark, stats_order
from hotline_tui.domain.kpi_codec import decode_facts, encode_facts
from hotline_tui.domain.kpi_facts import (
    Facts,
    OrderView,
    fact_rows,
    local_day,
    order_rest,
)
from hotline_tui.domain.moments import SHANGHAI
from hotline_tui.services.context import Hotline
from hotline_tui.services.stats.orders import load_order_range, load_orders
from hotline_tui.services.stats.store import (
    Delta,
    OrderRow,
    add_facts,
    cell_rows,
    drop_zero_rows,
    insert_rows,
    old_facts,
    split,
    store_orders,
    subtract_stored,
    write_cells,
    write_rows,
)
from hotline_tui.services.tickets.due_sql import CLOCK_RUNNING_A, TO_SIGN_A

__all__ = [
    "RebuildReport",
    "UpdateReport",
    "apply_orders",
    "keep_current",
    "rebuild",
    "update",
]

EVENT_BATCH = 2000
ORDER_BATCH = 5000
FLUSH_CELLS = 400_000  # cells a whole rebuild adds up in memory before writing them
FLUSH_ROWS = 50_000  # cells written in one transaction


@dataclass(frozen=True)
class UpdateReport:
    seq: int  # the mark after the run
    events: int  # events read
    orders: int  # orders recomputed
    batches: int


@dataclass(frozen=True)
class RebuildReport:
    orders: int
    batches: int
    cells: int


# ---------------------------------------------------------------- facts in and out


def decode(stored: str | None) -> Facts:
    """The facts an order added, from ``stats_order.facts``."""
    return decode_facts(stored)


def _replace(
    views: dict[int, OrderView], ids: Iterable[int], old: dict[int, str], now: datetime,
    delta: Delta,
) -> list[OrderRow]:  # fmt: skip
    """The orders' new ``stats_order`` rows; their old facts out of ``delta``, new ones in."""
    rows: list[OrderRow] = []
    for ticket_id in ids:
        stored = old.get(ticket_id)
        if stored is not None:
            subtract_stored(delta, stored)
        view = views.get(ticket_id)
        if view is None:
            continue
        rest, facts = order_rest(view), fact_rows(view, now)
        add_facts(delta, rest, facts)
        days = [f[0] for f in facts]
        rows.append((ticket_id, min(days), max(days), encode_facts(rest, facts)))
    return rows


def apply_orders(conn: Connection, ids: Sequence[int], now: datetime, dialect: str) -> int:
    """Replace the facts of the orders ``ids`` by their facts at ``now``; the number of cells
    touched. The caller holds the mark's lock."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    old = old_facts(conn, ids)
    delta: Delta = {}
    rows = _replace(load_orders(conn, ids), ids, old, now, delta)
    store_orders(conn, dialect, sorted(old), rows)
    return write_cells(conn, dialect, delta)


# ---------------------------------------------------------------- the mark


def _lock_mark(conn: Connection, dialect: str) -> tuple[int, datetime | None]:
    """The mark (inserted at 0 the first time), locked until the transaction ends."""
    query = select(stats_mark.c.seq, stats_mark.c.as_of).where(stats_mark.c.id == 1)
    if dialect == "postgresql":
        conn.execute(
            pg_insert(stats_mark).values(id=1, seq=0).on_conflict_do_nothing(index_elements=["id"])
        )
        row = conn.execute(query.with_for_update()).one()
    else:  # BEGIN IMMEDIATE holds SQLite's only write lock already
        found = conn.execute(query).one_or_none()
        if found is None:
            conn.execute(insert(stats_mark).values(id=1, seq=0))
            return 0, None
        row = found
    return int(row[0]), row[1]


def _set_mark(conn: Connection, **values: Any) -> None:
    conn.execute(sql_update(stats_mark).where(stats_mark.c.id == 1).values(**values))


def _head(conn: Connection) -> int:
    seq = conn.execute(select(col(AuditHead.seq)).where(col(AuditHead.id) == 1)).scalar()
    return int(seq or 0)


# ---------------------------------------------------------------- keeping current


def _due_passed(conn: Connection, since: datetime, now: datetime) -> list[int]:
    """Orders with a part whose sign due or due time passed in (since, now] while awaited."""
    sign_due, due = col(Assignment.sign_due_at), col(Assignment.due_at)
    rows = conn.execute(
        select(col(Assignment.ticket_id))
        .where(
            or_(
                and_(text(TO_SIGN_A), sign_due > since, sign_due <= now),
                and_(text(CLOCK_RUNNING_A), due > since, due <= now),
            )
        )
        .distinct()
    ).all()
    return [int(r[0] or 0) for r in rows]


def _changed(conn: Connection, after: int, upto: int) -> list[int]:
    rows = conn.execute(
        select(col(AuditEvent.ticket_id))
        .where(
            col(AuditEvent.seq) > after,
            col(AuditEvent.seq) <= upto,
            col(AuditEvent.ticket_id).is_not(None),
        )
        .distinct()
    ).all()
    return [int(r[0] or 0) for r in rows]


def update(
    hl: Hotline,
    now: datetime | None = None,
    *,
    batch: int = EVENT_BATCH,
    keep: Callable[[], None] | None = None,
) -> UpdateReport:
    """Bring the roll-up up to the feed's head and to ``now``, a batch of events at a time."""
    now = now or hl.now()
    events = orders = batches = 0
    while True:
        with hl.engines.write.begin() as conn:
            seq, as_of = _lock_mark(conn, hl.dialect)
            head = _head(conn)
            upto = min(head, seq + batch)
            ids = _changed(conn, seq, upto)
            values: dict[str, Any] = {"seq": upto}
            if batches == 0:  # the first batch takes in what time alone changed
                if as_of is not None and as_of < now:
                    ids += _due_passed(conn, as_of, now)
                values["as_of"] = max(now, as_of) if as_of is not None else now
            apply_orders(conn, ids, now, hl.dialect)
            _set_mark(conn, **values)
        events += upto - seq
        orders += len(set(ids))
        batches += 1
        if keep is not None:
            keep()
        if upto >= head:
            break
    return UpdateReport(upto, events, orders, batches)


def keep_current(
    hl: Hotline, now: datetime | None = None, *, keep: Callable[[], None] | None = None
) -> UpdateReport:
    """The scheduler's minute job: :func:`update`, or a :func:`rebuild` the first time (after
    the upgrade that adds the roll-up: order by order is faster than the whole feed replayed)."""
    with hl.engines.read.connect() as conn:
        built = conn.execute(select(stats_mark.c.as_of).where(stats_mark.c.id == 1)).scalar()
    if built is not None:
        return update(hl, now, keep=keep)
    done = rebuild(hl, now, progress=(lambda _done, _total: keep()) if keep else None)
    with hl.engines.read.connect() as conn:
        seq = int(conn.execute(select(stats_mark.c.seq)).scalar() or 0)
    return UpdateReport(seq, 0, done.orders, done.batches)


# ---------------------------------------------------------------- rebuilding


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def _empty(conn: Connection, dialect: str) -> None:
    if dialect == "postgresql":  # a million rows: TRUNCATE frees them at once
        conn.execute(text("TRUNCATE stats_daily, stats_dept_day, stats_order"))
    else:  # SQLite empties a table deleted without a condition as fast
        for table in (stats_daily, stats_dept_day, stats_order):
            conn.execute(delete(table))


def _order_ids(hl: Hotline, first: date | None, last: date | None) -> list[int]:
    if first is None and last is None:  # every order: a million ids through the driver
        with hl.engines.read.connect() as conn:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.execute("SELECT id FROM ticket ORDER BY id")
            return [int(r[0]) for r in cursor.fetchall()]
    query = select(col(Ticket.id)).order_by(col(Ticket.id))
    if first is not None:
        query = query.where(col(Ticket.created_at) >= _day_start(first))
    if last is not None:
        query = query.where(col(Ticket.created_at) < _day_start(last + timedelta(days=1)))
    with hl.engines.read.connect() as conn:
        return [int(r[0] or 0) for r in conn.execute(query).all()]


def _batches(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _rebuild_batch(
    conn: Connection, chunk: Sequence[int], now: datetime, dialect: str, delta: Delta
) -> date | None:
    """Recompute the orders ``chunk`` (ascending ids), read by their range of ids; the first
    day one of them was registered on (the orders after them count on that day or later)."""
    span = (chunk[0], chunk[-1])
    old = old_facts(conn, span=span)
    views = load_order_range(conn, *span)
    rows = _replace(views, chunk, old, now, delta)
    store_orders(conn, dialect, sorted(set(chunk) & old.keys()), rows)
    return min((local_day(v.created_at) for v in views.values()), default=None)


class _Written:
    """The cells a whole rebuild has written so far, by day. A cell on a day not written yet
    is not in the table, unless a minute update ran meanwhile (the mark moved): such cells go
    in by ``COPY`` or a plain insert, the others by adding to what is there."""

    def __init__(self, hl: Hotline, mark: tuple[int, datetime]) -> None:
        self.hl, self.mark, self.days = hl, mark, set[date]()

    def flush(self, delta: Delta, before: date | None = None) -> Delta:
        """Write the cells of ``delta`` on days before ``before`` (all without it); the
        others come back."""
        ready, kept = delta, Delta()
        if before is not None:
            ready = Delta()
            for cell, counts in delta.items():
                (ready if cell[0] < before else kept)[cell] = counts
        fresh = {c: n for c, n in ready.items() if c[0] not in self.days}
        again = {c: n for c, n in ready.items() if c[0] in self.days}
        dialect = self.hl.dialect
        for cells, new in ((fresh, True), (again, False)):
            groups, _negative = cell_rows(cells, dialect)  # cancelled out: _clean_if_updated
            for share in split(groups, FLUSH_ROWS):
                with self.hl.engines.write.begin() as conn:
                    alone = _lock_mark(conn, dialect) == self.mark
                    (insert_rows if new and alone else write_rows)(conn, dialect, share)
        self.days.update(cell[0] for cell in ready)
        return kept


def _clean_if_updated(hl: Hotline, mark: tuple[int, datetime]) -> None:
    """Delete the cells left at zero if an update ran during the rebuild (its differences and
    the rebuild's, added in either order, may cancel out); without one, none can be."""
    with hl.engines.write.begin() as conn:
        if _lock_mark(conn, hl.dialect) != mark:
            drop_zero_rows(conn)


def rebuild(
    hl: Hotline,
    now: datetime | None = None,
    *,
    first: date | None = None,
    last: date | None = None,
    batch: int = ORDER_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> RebuildReport:
    """Recompute the roll-up from the orders and their events.

    Without ``first``/``last`` every cell is dropped first and the mark set to the feed's head
    (what changes meanwhile the next update takes in again, harmlessly); the counts are added
    up in memory and written at the end (or whenever they grow large). With them, the orders
    registered on those days are recomputed in place, wherever their facts fall.
    """
    now = now or hl.now()
    whole = first is None and last is None
    mark = (0, now)
    if whole:
        with hl.engines.write.begin() as conn:
            _lock_mark(conn, hl.dialect)
            _empty(conn, hl.dialect)
            mark = (_head(conn), now)
            _set_mark(conn, seq=mark[0], as_of=now, rebuilt_at=now)
    written = _Written(hl, mark)
    ids = _order_ids(hl, first, last)
    done = batches = 0
    delta: Delta = {}
    for chunk in _batches(ids, batch):
        with hl.engines.write.begin() as conn:
            # The facts as of the mark's moment: a minute update between two batches moves
            # it, and the orders whose due times it passed are the ones it recomputed.
            _seq, as_of = _lock_mark(conn, hl.dialect)
            at = max(now, as_of) if as_of is not None else now
            registered = _rebuild_batch(conn, chunk, at, hl.dialect, delta)
            if not whole:
                write_cells(conn, hl.dialect, delta)
                delta = {}
        if len(delta) >= FLUSH_CELLS:  # the days before this batch's are done, mostly
            delta = written.flush(delta, registered)
        if len(delta) >= 2 * FLUSH_CELLS:
            delta = written.flush(delta)
        done += len(chunk)
        batches += 1
        if progress is not None:
            progress(done, len(ids))
    written.flush(delta)
    if whole:
        _clean_if_updated(hl, mark)
    with hl.engines.read.connect() as conn:
        cells = int(conn.execute(select(func.count()).select_from(stats_daily)).scalar() or 0)
    return RebuildReport(len(ids), batches, cells)
