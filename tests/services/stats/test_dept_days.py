"""The measures read from the department days equal those summed from the cells, over random
order histories on SQLite and PostgreSQL: the whole city and one department, by department,
by period and not grouped, with and without categories excluded from 满意率, for a supervisor
and for a handler (their own department only)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from db import migrate
from hotline_tui.domain.kpi import Period
from hotline_tui.domain.kpi_facts import local_day
from hotline_tui.services.stats import rollup
from hotline_tui.services.stats.figures import KpiQuery, figures
from tests.services.stats.history import (
    by_dept_day,
    cells,
    clock_of,
    dept_days,
    fresh_hotline,
    play,
    steps,
)
from tests.world import actors

EXAMPLES = {"sqlite": 20, "pg": 8}
EXCLUDED = (
    (),
    ("T005",),  # 城乡建设: a level-1 subtree (物业管理 below it)
    ("T003", "T010"),  # two leaves
    ("T001", "T008"),  # two level-1 subtrees: most orders with a category
)


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def template(request: pytest.FixtureRequest) -> tuple[str, object]:
    name = "sqlite_template" if request.param == "sqlite" else "pg_template"
    return request.param, request.getfixturevalue(name)


def _queries(today, supervisor: bool) -> list[KpiQuery]:
    month_ago = today - timedelta(days=40)
    out = [
        KpiQuery(period=period, first=month_ago, last=today, by=by)
        for period in (Period.DAY, Period.WEEK, Period.MONTH)
        for by in (None, "dept", "period")
    ]
    out.append(KpiQuery(period=Period.YEAR, by="dept"))
    if supervisor:
        out += [KpiQuery(period=Period.MONTH, first=month_ago, last=today, dept=d, by=by)
                for d in ("M01", "M02") for by in (None, "dept", "period")]  # fmt: skip
    return out


def test_figures_from_department_days_equal_figures_from_cells(
    template, key_file: Path, tmp_path: Path
):
    backend, source = template

    @hyp_settings(
        max_examples=EXAMPLES[backend],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(history=steps, excluded=st.sampled_from(EXCLUDED))
    def check(history, excluded):
        folder = tmp_path / uuid.uuid4().hex[:8]
        with fresh_hotline(backend, source, key_file, folder) as hl:
            play(hl, history)
            clock_of(hl).advance(hours=1)
            rollup.update(hl)
            assert dept_days(hl) == by_dept_day(cells(hl))
            hl.settings = hl.settings.model_copy(
                update={"kpi_satisfaction_excluded_categories": list(excluded)}
            )
            who = actors(hl)
            today = local_day(hl.now())
            compared = 0
            for actor, supervisor in ((who["sup"], True), (who["h1"], False)):
                for query in _queries(today, supervisor):
                    quick = figures(hl, actor, query)
                    assert quick == figures(hl, actor, query, cells_only=True), query
                    compared += len(quick.rows)
            assert compared > 0

    check()


def test_excluded_categories_leave_their_visits_out_of_the_kept_sums(
    sqlite_template, key_file, tmp_path
):
    """A hand-made history: an order of 社保缴费 (the histories' variant 3: M01 leads, M02
    helps) replied, passed and visited, satisfied. Excluding 劳动保障 leaves its visit out of
    满意率's sums, read either way."""
    with fresh_hotline("sqlite", sqlite_template, key_file, tmp_path / "t") as hl:
        play(hl, [("new", 0, 0, 0, 3), ("sign", 0, 0, 1, 0), ("sign", 0, 1, 1, 0),
                  ("reply", 0, 1, 1, 0), ("reply", 0, 0, 1, 0), ("pass", 0, 0, 1, 0),
                  ("visit", 0, 0, 1, 0)])  # fmt: skip
        clock_of(hl).advance(hours=1)
        rollup.update(hl)
        sup = actors(hl)["sup"]
        query = KpiQuery(period=Period.YEAR)
        plain = figures(hl, sup, query)
        hl.settings = hl.settings.model_copy(
            update={"kpi_satisfaction_excluded_categories": ["T008"]}
        )
        quick = figures(hl, sup, query)
        assert quick == figures(hl, sup, query, cells_only=True)

        def satisfaction(report):
            (row,) = report.rows
            return next(f.current for f in row.figures if f.measure.excluded)

        assert satisfaction(plain).denominator == 1
        assert satisfaction(quick).denominator == 0  # its only visit is in 劳动保障


def test_the_migration_fills_the_department_days_from_the_cells(hl):
    """An install whose roll-up was built before the department days existed: 0017 fills them
    from the cells (downgraded to 0016 here, which drops them, then upgraded again)."""
    play(hl, [("new", 0, 0, 0, 2), ("new", 0, 1, 1, 3), ("sign", 0, 0, 1, 0),
              ("reply", 0, 0, 2, 0), ("new", 0, 2, 30, 0)])  # fmt: skip
    clock_of(hl).advance(hours=1)
    rollup.update(hl)
    expected = by_dept_day(cells(hl))
    assert len(expected) >= 2
    config = migrate.alembic_config(hl.engines.write)
    with hl.engines.write.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
    migrate.upgrade(hl.engines.write)
    assert dept_days(hl) == expected
