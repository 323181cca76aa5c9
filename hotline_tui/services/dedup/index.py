"""The in-memory LSH index of recent orders: MinHash band keys in sorted numpy arrays.

Why in memory, and why so. A city with 100,000 open and recent orders (the last
:data:`~hotline_tui.domain.near_dup.WINDOW_DAYS` days) must answer "which orders look like this
text?" in well under 20 ms, as the operator types, and in every console process (many operators
on one host, or many hosts on one PostgreSQL). The choices:

- *Persisted band keys in the database* (a table of ``BANDS`` rows per order): one more write in
  every registration's transaction — the SQLite write lock every operator's save waits for — a
  schema change, and a bulk path (the demo, imports) to keep in step.
- *datasketch's* ``MinHashLSH``: right in behaviour, but a Python object per band per order:
  ~2 KB an order measured, 200 MB in every console at 100,000 orders.
- *This*: per band, the orders' 64-bit keys sorted in one numpy array (12 bytes a band an order:
  ~40 MB at 100,000 orders, nothing per order in Python objects), probed by binary search
  (``searchsorted``: microseconds). Orders registered since the last merge sit in a small
  unsorted buffer, compared in one vectorised step, and are merged in when it fills up.

The index holds no text and no caller: only ids, registration times and band keys. What it
returns is a short list of candidate ids; the service reads those orders as they stand now
(state, text, caller, address) and the rule decides (:mod:`hotline_tui.services.dedup.lookup`).
An edited description is therefore judged by its current text; only its band keys are those it
was indexed with.

The index is filled in the background — the console's start is not held up — and kept current
by reading the orders with a higher id before each lookup (any process's registrations: one
indexed range read). It is safe to share between threads: lookups read an immutable snapshot,
additions take a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from hotline_tui.domain.minhash import BANDS, band_keys, signatures

__all__ = ["MERGE_AT", "RecentIndex"]

MERGE_AT = 2048  # orders in the unsorted buffer before it is merged into the sorted arrays


@dataclass(frozen=True)
class _Sorted:
    ids: np.ndarray  # int64, one per order
    times: np.ndarray  # int64 epoch seconds of registration
    keys: np.ndarray  # uint64 BANDS × n, each band's keys sorted
    rows: np.ndarray  # int32 BANDS × n: the position in ``ids`` of each sorted key

    @staticmethod
    def empty() -> _Sorted:
        return _Sorted(
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            np.zeros((BANDS, 0), np.uint64),
            np.zeros((BANDS, 0), np.int32),
        )

    @staticmethod
    def of(ids: np.ndarray, times: np.ndarray, keys: np.ndarray) -> _Sorted:
        """From unsorted ``keys`` (n × BANDS)."""
        by_band = keys.T
        order = np.argsort(by_band, axis=1, kind="stable").astype(np.int32)
        return _Sorted(ids, times, np.take_along_axis(by_band, order, axis=1), order)


@dataclass(frozen=True)
class _Buffer:
    ids: np.ndarray
    times: np.ndarray
    keys: np.ndarray  # n × BANDS


class RecentIndex:
    """Band keys of recent orders, by id (see the module's docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sorted = _Sorted.empty()
        self._fresh = _Buffer(np.zeros(0, np.int64), np.zeros(0, np.int64), _no_keys())
        self.last_id = 0  # the highest id indexed (the next catch-up reads after it)
        self.known: set[int] = set()
        self.ready = False  # the first fill is done
        self.forgotten_at = datetime.min.replace(tzinfo=UTC)  # the last drop of old orders

    def __len__(self) -> int:
        return len(self._sorted.ids) + len(self._fresh.ids)

    @property
    def nbytes(self) -> int:
        """The arrays' size (the ids' set beside them is not counted)."""
        s, f = self._sorted, self._fresh
        arrays = (s.ids, s.times, s.keys, s.rows, f.ids, f.times, f.keys)
        return sum(a.nbytes for a in arrays)

    def add(self, ids: Sequence[int], times: Sequence[int], texts: Sequence[str]) -> None:
        """Index orders (``texts`` normalised); ids already indexed are left as they are."""
        fresh = [i for i, order_id in enumerate(ids) if order_id not in self.known]
        if not fresh:
            return
        keys = band_keys(signatures([texts[i] for i in fresh]))
        new_ids = np.array([ids[i] for i in fresh], np.int64)
        new_times = np.array([times[i] for i in fresh], np.int64)
        with self._lock:
            self.known.update(int(i) for i in new_ids)
            self.last_id = max(self.last_id, int(new_ids.max()))
            buffer = self._fresh
            self._fresh = _Buffer(
                np.concatenate((buffer.ids, new_ids)),
                np.concatenate((buffer.times, new_times)),
                np.concatenate((buffer.keys, keys)),
            )
            if len(self._fresh.ids) >= MERGE_AT:
                self._merge()

    def forget_before(self, epoch: int) -> None:
        """Drop the orders registered before ``epoch`` (out of the window), at the next merge
        of the buffer: until then lookups skip them by time."""
        with self._lock:
            self._merge(before=epoch)

    def _merge(self, before: int | None = None) -> None:
        s, f = self._sorted, self._fresh
        old_keys = np.empty((len(s.ids), BANDS), np.uint64)
        if len(s.ids):
            np.put_along_axis(old_keys.T, s.rows.astype(np.int64), s.keys, axis=1)
        ids = np.concatenate((s.ids, f.ids))
        times = np.concatenate((s.times, f.times))
        keys = np.concatenate((old_keys, f.keys))
        if before is not None:
            keep = times >= before
            self.known.difference_update(int(i) for i in ids[~keep])
            ids, times, keys = ids[keep], times[keep], keys[keep]
        self._sorted = _Sorted.of(ids, times, keys)
        self._fresh = _Buffer(np.zeros(0, np.int64), np.zeros(0, np.int64), _no_keys())

    def candidates(self, normalised: str, since: int, limit: int = 40) -> list[int]:
        """The ids of orders registered at or after ``since`` sharing a band key with the text,
        the most shared bands first (at most ``limit``)."""
        probe = band_keys(signatures([normalised]))[0]
        s, f = self._sorted, self._fresh  # a snapshot: additions replace, never change, them
        hits: list[np.ndarray] = []
        if len(s.ids):
            for band in range(BANDS):
                row = s.keys[band]
                lo = np.searchsorted(row, probe[band], side="left")
                hi = np.searchsorted(row, probe[band], side="right")
                if hi > lo:
                    hits.append(s.rows[band, lo:hi])
        found = s.ids[np.concatenate(hits)] if hits else np.zeros(0, np.int64)
        found_times = s.times[np.concatenate(hits)] if hits else np.zeros(0, np.int64)
        if len(f.ids):
            shared = (f.keys == probe).sum(axis=1)
            fresh = np.repeat(np.arange(len(f.ids)), shared)
            found = np.concatenate((found, f.ids[fresh]))
            found_times = np.concatenate((found_times, f.times[fresh]))
        found = found[found_times >= since]
        if not len(found):
            return []
        ids, counts = np.unique(found, return_counts=True)
        best = np.lexsort((-ids, -counts))[:limit]  # most bands shared, then the newest
        return [int(i) for i in ids[best]]


def _no_keys() -> np.ndarray:
    return np.zeros((0, BANDS), np.uint64)
