"""The process's index of recent orders for one core, filled on first use and caught up before
every lookup.

- :func:`recent_index` - the index for ``hl``, current: the first call fills it with the orders
  of the last :data:`~hotline_tui.domain.near_dup.WINDOW_DAYS` days (the console asks for it in
  a worker as soon as an operator or dispatcher logs in, so no one waits for it at the first
  call); every later call reads the orders registered since (by any process) by id.
- :func:`warm` - fill it now (the console's background start).

Ids are taken from a sequence and committed in nearly, not exactly, their order (PostgreSQL:
two saves at once), so each catch-up reads again a little below the highest id it knows and
skips the ones it has. Orders leave the index when they fall out of the window (at the next
merge of its buffer); a lookup never returns one older than its own window.
"""

from __future__ import annotations

import threading
import weakref
from datetime import timedelta

from sqlmodel import col, select

from db.models import Ticket
from hotline_tui.domain.near_dup import WINDOW_DAYS, normalise
from hotline_tui.services.context import Hotline
from hotline_tui.services.dedup.index import RecentIndex

__all__ = ["BATCH", "OVERLAP", "recent_index", "warm"]

BATCH = 5000  # orders read per query while filling
OVERLAP = 200  # ids read again below the highest known (commits out of id order)
_FORGET_EVERY = timedelta(hours=1)

_indexes: weakref.WeakKeyDictionary[Hotline, RecentIndex] = weakref.WeakKeyDictionary()
_guard = threading.Lock()
_fill_locks: weakref.WeakKeyDictionary[Hotline, threading.Lock] = weakref.WeakKeyDictionary()


def recent_index(hl: Hotline) -> RecentIndex:
    """The index for ``hl``, caught up with every order registered until now."""
    with _guard:
        index = _indexes.get(hl)
        if index is None:
            index = _indexes[hl] = RecentIndex()
            _fill_locks[hl] = threading.Lock()
        lock = _fill_locks[hl]
    with lock:  # one fill or catch-up at a time; the others wait and find it done
        _catch_up(hl, index)
    return index


def warm(hl: Hotline) -> int:
    """Fill the index now; the number of orders it holds."""
    return len(recent_index(hl))


def _catch_up(hl: Hotline, index: RecentIndex) -> None:
    now = hl.now()
    since = now - timedelta(days=WINDOW_DAYS)
    after = max(0, index.last_id - OVERLAP) if index.ready else 0
    while True:
        with hl.reading() as session:
            # Ids first: a catch-up mostly finds nothing new, and reads no text then.
            heads = session.exec(
                select(col(Ticket.id), col(Ticket.created_at))
                .where(col(Ticket.id) > after, col(Ticket.created_at) >= since)
                .order_by(col(Ticket.id))
                .limit(BATCH)
            ).all()
            new = {int(i): t for i, t in heads if i is not None and i not in index.known}
            texts = (
                session.exec(
                    select(col(Ticket.id), col(Ticket.description)).where(
                        col(Ticket.id).in_(list(new))
                    )
                ).all()
                if new
                else []
            )
        if texts:
            index.add(
                [int(i or 0) for i, _ in texts],
                [int(new[int(i or 0)].timestamp()) for i, _ in texts],
                [normalise(text) for _, text in texts],
            )
        if heads:
            after = int(heads[-1][0] or 0)
        if len(heads) < BATCH:
            break
    if not index.ready or now - index.forgotten_at >= _FORGET_EVERY:
        index.forget_before(int(since.timestamp()))
        index.forgotten_at = now
    index.ready = True
