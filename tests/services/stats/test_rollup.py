"""The roll-up over random order histories, on SQLite and PostgreSQL: kept current from the
change feed it equals a rebuild from the raw rows, and both equal plain counts of those rows;
the department days equal the cells added up, however they were written."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings

from hotline_tui.services.stats import rollup
from tests.services.stats.history import (
    by_dept_day,
    cells,
    clock_of,
    dept_days,
    fresh_hotline,
    play,
    recount,
    rollup_by_day_dept,
    steps,
)

EXAMPLES = {"sqlite": 25, "pg": 10}


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def template(request: pytest.FixtureRequest) -> tuple[str, object]:
    name = "sqlite_template" if request.param == "sqlite" else "pg_template"
    return request.param, request.getfixturevalue(name)


def test_incremental_equals_rebuild_equals_recount(template, key_file: Path, tmp_path: Path):
    backend, source = template

    @hyp_settings(
        max_examples=EXAMPLES[backend],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(history=steps)
    def check(history):
        folder = tmp_path / uuid.uuid4().hex[:8]
        with fresh_hotline(backend, source, key_file, folder) as hl:
            play(hl, history)
            clock_of(hl).advance(hours=1)
            report = rollup.update(hl)
            assert report.seq > 0
            # Applied twice, nothing changes (the scheduler may run it again after a crash).
            kept = cells(hl)
            assert dept_days(hl) == by_dept_day(kept), _diff(dept_days(hl), by_dept_day(kept))
            rollup.update(hl)
            assert cells(hl) == kept
            rollup.rebuild(hl)
            rebuilt = cells(hl)
            assert kept == rebuilt, _diff(kept, rebuilt)
            assert dept_days(hl) == by_dept_day(rebuilt)
            assert rollup_by_day_dept(rebuilt) == recount(hl)

    check()


def test_a_rebuild_with_updates_between_its_batches_ends_the_same(
    template, key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Batches of one order and flushes every few cells (the day-by-day writing of a large
    rebuild), with new events and minute updates between the batches: the cells equal a
    rebuild with nothing running beside it, and the recount."""
    backend, source = template
    monkeypatch.setattr(rollup, "FLUSH_CELLS", 3)
    monkeypatch.setattr(rollup, "FLUSH_ROWS", 2)

    @hyp_settings(
        max_examples=EXAMPLES[backend] // 2,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(history=steps, more=steps)
    def check(history, more):
        folder = tmp_path / uuid.uuid4().hex[:8]
        with fresh_hotline(backend, source, key_file, folder) as hl:
            play(hl, history)
            pending = list(more)

            def meanwhile(_done: int, _total: int) -> None:
                if pending:
                    play(hl, [pending.pop(0), pending.pop(0)] if len(pending) > 1 else pending)
                    rollup.update(hl)

            rollup.rebuild(hl, batch=1, progress=meanwhile)
            play(hl, pending)
            rollup.update(hl)
            busy = cells(hl)
            assert dept_days(hl) == by_dept_day(busy), _diff(dept_days(hl), by_dept_day(busy))
            rollup.rebuild(hl)
            quiet = cells(hl)
            assert busy == quiet, _diff(busy, quiet)
            assert dept_days(hl) == by_dept_day(quiet)
            assert rollup_by_day_dept(quiet) == recount(hl)

    check()


def _diff(a: dict[Any, Any], b: dict[Any, Any]) -> list[Any]:
    keys = sorted(set(a) | set(b), key=str)
    return [(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)][:5]


def test_time_alone_makes_an_unsigned_part_late(sqlite_template, key_file, tmp_path):
    with fresh_hotline("sqlite", sqlite_template, key_file, tmp_path / "t") as hl:
        play(hl, [("new", 0, 0, 0, 2)])
        rollup.update(hl)
        assert not any(c.get("sign_due") for c in cells(hl).values())
        clock_of(hl).advance(days=10)  # no event: the sign due passes
        report = rollup.update(hl)
        assert report.events == 0 and report.orders == 1
        assert sum(c.get("sign_due", 0) for c in cells(hl).values()) == 1
        assert sum(c.get("sign_on_time", 0) for c in cells(hl).values()) == 0
        kept = cells(hl)
        rollup.rebuild(hl)
        assert cells(hl) == kept


def test_a_late_event_lands_on_its_own_day(sqlite_template, key_file, tmp_path):
    with fresh_hotline("sqlite", sqlite_template, key_file, tmp_path / "t") as hl:
        play(hl, [("new", 0, 0, 0, 2), ("sign", 0, 0, 1, 0)])
        rollup.update(hl)
        registered_day = next(iter(cells(hl)))[0]
        clock_of(hl).advance(days=30)
        rollup.update(hl)  # the roll-up is current to a month later
        clock_of(hl).advance(days=-29)  # a reply typed in with the day after registration
        play(hl, [("reply", 0, 0, 0, 0)])
        clock_of(hl).advance(days=29)
        rollup.update(hl)
        late_days = {k[0] for k, c in cells(hl).items() if c.get("reply_due")}
        assert late_days and all(d - registered_day < timedelta(days=20) for d in late_days)


def test_the_minute_job_builds_the_roll_up_the_first_time_then_updates(
    sqlite_template, key_file, tmp_path
):
    from hotline_tui.services.scheduling.jobs import run_due

    with fresh_hotline("sqlite", sqlite_template, key_file, tmp_path / "t") as hl:
        play(hl, [("new", 0, 0, 0, 2), ("new", 0, 1, 1, 0)])
        (first,) = run_due(hl, hl.now(), only=["stats"])
        assert first.ok and first.result["orders"] == 2 and first.result["events"] == 0
        play(hl, [("new", 0, 2, 1, 2)])  # one more order, dispatched
        (second,) = run_due(hl, hl.now(), only=["stats"])
        assert second.ok and second.result["events"] >= 1 and second.result["orders"] == 1
        assert sum(c.get("registered", 0) for c in cells(hl).values()) == 3
