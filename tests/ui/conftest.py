"""Console fixtures: the app over the test database (SQLite), logged in as a test user.

``console(user)`` builds the app with a :class:`Backend` over the test's ``hl`` (frozen clock),
no idle lock and a fast change feed, logged in through the trusted path (as ``--as`` does), so a
test starts on that user's first mode. ``settle(pilot)`` waits until every worker is done and
the screen has caught up; ``screen_text(app)`` is what the terminal shows, as text.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerFailed, WorkerState

from hotline_tui.services.context import Hotline
from hotline_tui.ui.app import HotlineApp, make_app
from hotline_tui.ui.backend import Backend
from hotline_tui.ui.options import ConsoleOptions


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    """Console tests run on SQLite only (the services are tested on both backends)."""
    return sqlite_url


@pytest.fixture
def drafts_dir(tmp_path: Path) -> Path:
    return tmp_path / "drafts"


@pytest.fixture
def console(hl: Hotline, drafts_dir: Path) -> Callable[..., HotlineApp]:
    def build(
        user: str | None = "op",
        *,
        low_bandwidth: bool = False,
        idle_lock_seconds: float = 0,
        refresh_seconds: float = 0.2,
        monotonic: Callable[[], float] | None = None,
        backend: Backend | None = None,
        login_user: str | None = None,
    ) -> HotlineApp:
        options = ConsoleOptions(
            low_bandwidth=low_bandwidth,
            as_user=user,
            login_user=login_user,
            idle_lock_seconds=idle_lock_seconds,
            refresh_seconds=refresh_seconds,
        )
        kwargs: dict[str, Any] = {"monotonic": monotonic} if monotonic else {}
        return make_app(
            backend or Backend(hl.settings, drafts_dir=drafts_dir, hl=hl),
            options,
            os_user="tester",
            may_act_as_others=True,
            **kwargs,
        )

    return build


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and their results reach the screen: ``rounds`` quiet checks in a row
    (a result handler may start another worker), however long that takes on a busy machine."""
    app = pilot.app
    quiet = 0
    for _ in range(200):
        await pilot.pause()
        with contextlib.suppress(WorkerFailed):  # the app reports failures; tests check that
            await app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= rounds:
            return


async def history_painted(pilot: Pilot[Any]) -> None:
    """Wait until the intake screen has painted the caller history's order lines (they wait
    for a pause in the typing)."""
    await until(pilot, lambda: not getattr(pilot.app.screen, "history_pending", False))


async def until(pilot: Pilot[Any], condition: Callable[[], object]) -> None:
    """Wait until ``condition()`` holds (a timer's work, say), however long that takes on a busy
    machine; then settle. Fails, rather than hangs, if it never does."""
    for _ in range(2400):  # a bound against hanging forever, not a time anything needs
        if condition():
            break
        await pilot.pause(0.05)
    else:
        raise AssertionError("the awaited condition never held")
    await settle(pilot)


def screen_text(app: HotlineApp) -> str:
    """What the terminal shows, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def screen_segments(app: HotlineApp) -> str:
    """Every character the screen's strips would write (to look for stray escape bytes)."""
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for strip in strips for segment in strip)


def drive(
    app: HotlineApp,
    scenario: Callable[[Pilot[Any]], Any],
    size: tuple[int, int] = (80, 24),
) -> None:
    """Run ``scenario(pilot)`` (a coroutine function) against the app, settled first."""

    async def main() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())
