"""The demo's discrete-event simulation: a clock that jumps from step to step, many orders per
transaction.

Each order is a *flow*: a generator that performs one step of the closed loop through the
simulation's :class:`~ops.DemoOps` and then yields the simulated time of its next step. The
:class:`Simulation` runs every step in time order (arrivals merged with a heap of waiting flows),
sets the clock before each step, and commits one transaction per batch of new orders — with the
same rows and the same audit chain as the services would write. A flow whose next step lies
after the end of the simulated period stops there: that is why the most recent orders are the
ones still open.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import random
from collections.abc import Callable, Generator, Sequence
from datetime import datetime, timedelta
from typing import Any, Generic
from zoneinfo import ZoneInfo

from hotline_tui.demo.ops import AssignmentT, DemoOps, TicketT
from hotline_tui.services.context import Actor

Flow = Generator[datetime, None, None]
"""A flow yields the time of its next step; the simulation resumes it at that time."""

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


class Simulation(Generic[TicketT, AssignmentT]):
    """Runs flows in time order, one transaction per batch of orders."""

    def __init__(
        self,
        ops: DemoOps[TicketT, AssignmentT],
        *,
        end: datetime,
        batch: int,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.ops = ops
        self.end = end
        self.batch = max(1, batch)
        self.progress = progress
        self._heap: list[tuple[datetime, int, Flow]] = []
        self._ticks = itertools.count()
        self.started = 0
        self._started_at_commit = 0
        self._steps_since_commit = 0
        self._analyse_at = 1000

    # -- used by the flows ---------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The time of the step being taken."""
        return self.ops.uow.now

    def act(self, actor: Actor) -> DemoOps[TicketT, AssignmentT]:
        """The operations, taken as ``actor`` at the step's time."""
        self.ops.act(actor)
        return self.ops

    def spawn(self, flow: Flow, at: datetime) -> None:
        """Start ``flow`` at ``at`` (dropped if that is after the end of the period)."""
        if at <= self.end:
            heapq.heappush(self._heap, (at, next(self._ticks), flow))

    def maybe_commit(self) -> None:
        """Commit now if the transaction has grown large (long steps such as the archive job)."""
        if len(self.ops.uow.events) >= self.batch * 20:
            self.commit()

    # -- the loop ------------------------------------------------------------------------------

    def run(self, arrivals: Sequence[datetime], start: Callable[[int, datetime], Flow]) -> None:
        """Start flow ``start(i, arrivals[i])`` at each arrival; run every step up to the end."""
        heap = self._heap
        ops = self.ops
        index, count = 0, len(arrivals)
        try:
            while True:
                if heap and (index >= count or heap[0][0] <= arrivals[index]):
                    at, _, flow = heapq.heappop(heap)
                elif index < count:
                    at = arrivals[index]
                    flow = start(index, at)
                    index += 1
                    self.started += 1
                else:
                    break
                ops.begin_step(at)
                try:
                    following = next(flow)
                except StopIteration:
                    pass
                else:
                    if following <= self.end:
                        heapq.heappush(heap, (max(following, at), next(self._ticks), flow))
                self._steps_since_commit += 1
                if (
                    self.started - self._started_at_commit >= self.batch
                    or self._steps_since_commit >= self.batch * 12
                ):
                    self.commit()
            self.commit()
            self.ops.analyse(final=True)
        finally:
            heap.clear()
            ops.finish(commit=False)  # all committed, unless a step failed

    def commit(self) -> None:
        """Write the batch with its numbered and signed audit events, commit, start the next."""
        self.ops.commit()
        self._steps_since_commit = 0
        if self.started != self._started_at_commit and self.progress is not None:
            self.progress(self.started)
        self._started_at_commit = self.started
        # PostgreSQL plans from table statistics, which a fresh database lacks unless autovacuum
        # has analysed the tables meanwhile (it may be off, or late): offer to refresh them
        # whenever the load has doubled, so that queries during and after the load use indexes.
        if self.started >= self._analyse_at:
            self._analyse_at *= 2
            self.ops.analyse(final=False)


class Clock:
    """Simulated working times in the hotline's time zone.

    The hotline answers calls from 07:00 to 23:00 every day; departments work Monday to Friday,
    08:30–12:00 and 13:30–17:30. Delays are drawn in calendar time and then moved to the next
    moment the party is at work.
    """

    def __init__(self, timezone: str) -> None:
        self.tz = ZoneInfo(timezone)

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.tz)

    def hotline(
        self, at: datetime, rng: random.Random, low: timedelta, high: timedelta
    ) -> datetime:
        """A step by hotline staff (operators, dispatchers) ``low``–``high`` after ``at``."""
        moment = at + _between(rng, low, high)
        local = moment.astimezone(self.tz)
        if 7 <= local.hour < 23:
            return moment
        opening = local.replace(hour=7, minute=0, second=0, microsecond=0)
        if local.hour >= 23:
            opening += DAY
        return (opening + timedelta(minutes=rng.uniform(0, 90))).astimezone(moment.tzinfo)

    def office(self, at: datetime, rng: random.Random, low: timedelta, high: timedelta) -> datetime:
        """A step by a department ``low``–``high`` after ``at``, moved into office hours."""
        moment = at + _between(rng, low, high)
        local = moment.astimezone(self.tz)
        minutes = local.hour * 60 + local.minute
        if local.weekday() < 5 and (510 <= minutes < 720 or 810 <= minutes < 1050):
            return moment
        if local.weekday() < 5 and 720 <= minutes < 810:
            start = local.replace(hour=13, minute=30, second=0, microsecond=0)
        else:
            day = local if (local.weekday() < 5 and minutes < 510) else local + DAY
            while day.weekday() >= 5:
                day += DAY
            start = day.replace(hour=8, minute=30, second=0, microsecond=0)
        return (start + timedelta(minutes=rng.uniform(0, 150))).astimezone(moment.tzinfo)


def _between(rng: random.Random, low: timedelta, high: timedelta) -> timedelta:
    return low + (high - low) * rng.random()


# Relative call volume by local hour: the hotline is open day and night, busiest in office hours.
_HOUR_WEIGHTS = (
    1,
    1,
    1,
    1,
    1,
    2,
    4,
    10,
    30,
    42,
    44,
    40,
    26,
    28,
    40,
    42,
    38,
    32,
    20,
    16,
    12,
    8,
    4,
    2,
)
_WEEKDAY_WEIGHTS = (1.0, 0.95, 0.95, 0.95, 0.9, 0.55, 0.45)


def arrivals(rng: random.Random, clock: Clock, end: datetime, count: int) -> list[datetime]:
    """``count`` call times over the 365 days before ``end``, sorted.

    More calls on weekdays and in office hours, a seasonal swell in midwinter and midsummer
    (heating, water and power), and a volume that grows a little over the year.
    """
    start_local = (clock.local(end) - timedelta(days=365)).replace(
        minute=0, second=0, microsecond=0
    )
    slots: list[datetime] = []
    cumulative: list[float] = []
    total = 0.0
    hour = start_local
    for step in range(365 * 24):
        season = 1.0 + 0.12 * math.cos(math.pi * (hour.month - 1) / 3)
        trend = 0.9 + 0.2 * step / (365 * 24)
        total += _HOUR_WEIGHTS[hour.hour] * _WEEKDAY_WEIGHTS[hour.weekday()] * season * trend
        slots.append(hour)
        cumulative.append(total)
        hour = (hour + HOUR).astimezone(clock.tz)
    picked = rng.choices(slots, cum_weights=cumulative, k=count)
    times = sorted(
        (slot + timedelta(seconds=rng.random() * 3600)).astimezone(end.tzinfo) for slot in picked
    )
    return [min(t, end - timedelta(seconds=1)) for t in times]


def window(times: Sequence[datetime], low: datetime, high: datetime) -> range:
    """The indices of ``times`` (sorted) that fall in ``[low, high)``."""
    return range(bisect.bisect_left(times, low), bisect.bisect_left(times, high))


def pick(rng: random.Random, items: Sequence[Any], weights: Sequence[float]) -> Any:
    return rng.choices(items, weights=weights, k=1)[0]
