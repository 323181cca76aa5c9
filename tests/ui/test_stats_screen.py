"""The 统计 mode over a demo city at 80×24, default and low-bandwidth: who is offered it and
what each sees; every line of every table the same display width (measured with wcwidth) and on
the screen whole; Enter on a heat cell lists exactly that cell's orders; and the numbers the
screen, ``hotline kpi --json`` and ``hotline hotspot --json`` show for the same filter are the
same, and equal plain counts over the raw orders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from textual.pilot import Pilot
from wcwidth import wcswidth

from hotline_tui.domain.moments import SHANGHAI
from hotline_tui.services.context import Hotline
from hotline_tui.ui.screens.detail import OrderDetailScreen
from hotline_tui.ui.screens.stats import StatsScreen
from hotline_tui.ui.screens.stats_orders import StatsOrdersScreen
from hotline_tui.ui.stats_draw import LEVEL_STYLES, Cell, Table, line_text, sparkline
from hotline_tui.ui.widgets.number_table import NumberTable
from tests.ui.conftest import drive, screen_text, settle
from tests.ui.stats_city import City, seed_city

SIZE = (80, 24)
PANES = ("1", "2", "3", "4")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> City:
    return seed_city(tmp_path_factory.mktemp("stats-city"))


@pytest.fixture
def core(city: City) -> Iterator[Hotline]:
    hl = city.core()
    yield hl
    hl.close()


async def open_stats(pilot: Pilot[Any], year: bool = True) -> StatsScreen:
    """F10, then the period kind to a year (month → quarter → year)."""
    await settle(pilot)
    await pilot.press("f10")
    await settle(pilot)
    for _ in range(2 if year else 0):
        await pilot.press("p")
        await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    return screen


def table_of(screen: StatsScreen) -> Table:
    return screen.query_one(NumberTable).table


def numbers(table: Table) -> list[Cell]:
    return [c for row in table.body for c in row if c.behind is not None]


def local_days(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` whose first column (a UTC time) is replaced by its Shanghai day."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    engine.dispose()
    out = []
    for created, *rest in rows:
        moment = datetime.fromisoformat(created) if isinstance(created, str) else created
        if moment.tzinfo is None:  # SQLite: UTC without a zone
            moment = moment.replace(tzinfo=UTC)
        out.append((moment.astimezone(SHANGHAI).date(), *rest))
    return out


# ---------------------------------------------------------------- who sees what


def test_a_supervisor_sees_the_city_and_an_operator_has_no_statistics(city, core):
    operator = city.console(core, "op1")

    async def as_operator(pilot: Pilot[Any]) -> None:
        assert not operator.may_enter("stats")
        await pilot.press("f10")
        await settle(pilot)
        assert not isinstance(operator.screen, StatsScreen)
        assert "统计" not in [name for name, _key, _do in operator.palette_commands()]
        assert "统计" not in screen_text(operator).splitlines()[-1]

    drive(operator, as_operator, SIZE)
    supervisor = city.console(core, "sup1")

    async def as_supervisor(pilot: Pilot[Any]) -> None:
        assert "统计" in [name for name, _key, _do in supervisor.palette_commands()]
        screen = await open_stats(pilot)
        assert "统计" in screen_text(supervisor).splitlines()[0]
        await pilot.press("2")
        await settle(pilot)
        labels = {row[0].text for row in table_of(screen).body}
        assert len(labels) > 3 and "市监局" in labels
        # o: by 直接答复率, largest first, departments without one last; r: reversed.
        await pilot.press("o")
        await settle(pilot)
        rates = [row[1].text for row in table_of(screen).body]
        present = [float(r.rstrip("%")) for r in rates if r != "—"]
        assert present == sorted(present, reverse=True) and len(set(present)) > 1
        assert rates == [f"{v:.1f}%" for v in present] + ["—"] * (len(rates) - len(present))
        assert table_of(screen).header[0][1].text == "直接答复↓"
        await pilot.press("r")
        await settle(pilot)
        again = [float(row[1].text.rstrip("%")) for row in table_of(screen).body
                 if row[1].text != "—"]  # fmt: skip
        assert again == sorted(present)
        # Past the last column shown, the measures slide: 响应率 (the 13th) comes into view.
        await pilot.press(*["right"] * 12)
        await settle(pilot)
        assert table_of(screen).header[0][-1].text == "响应"

    drive(supervisor, as_supervisor, SIZE)


def test_a_department_handler_sees_their_own_department_only(city, core):
    from hotline_tui.services.stats.figures import KpiQuery, figures

    app = city.console(core, "dept1")
    seen: dict[str, Any] = {}

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await open_stats(pilot)
        seen["data"] = screen.data
        assert "统计 · M01" in screen_text(app).splitlines()[0]
        seen["shown"] = {
            c.behind.measure + c.behind.side: c.text
            for c in numbers(table_of(screen))
            if c.behind is not None
        }
        await pilot.press("2")
        await settle(pilot)
        (only,) = table_of(screen).body
        assert only[0].text == "市监局"

    drive(app, scenario, SIZE)
    data, shown = seen["data"], seen["shown"]
    supervisor = city.actor(core, "sup1")
    m01 = figures(core, supervisor, KpiQuery(data.period, data.first, data.last, dept="M01"))
    everything = figures(core, supervisor, KpiQuery(data.period, data.first, data.last))
    expected = {}
    for f in m01.rows[0].figures:
        expected[f.measure.id + "numerator"] = str(f.current.numerator)
        expected[f.measure.id + "denominator"] = str(f.current.denominator)
    assert shown == expected
    assert m01.rows[0].figures[0].current != everything.rows[0].figures[0].current


# ---------------------------------------------------------------- widths


@pytest.mark.parametrize("low", [False, True], ids=["default", "low-bandwidth"])
def test_every_line_of_every_table_has_the_same_width_and_shows_whole(city, core, low):
    app = city.console(core, "sup1", low_bandwidth=low)

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await open_stats(pilot)
        for pane in PANES:
            await pilot.press(pane)
            await settle(pilot)
            widget = screen.query_one(NumberTable)
            table = widget.table
            assert numbers(table), pane
            lines = widget.lines()
            widths = {wcswidth(line) for line in lines}
            assert len(widths) == 1 and 0 < widths.pop() <= SIZE[0], (pane, lines)
            shown = screen_text(app).splitlines()
            assert len(shown) == SIZE[1]
            assert all(wcswidth(line) <= SIZE[0] for line in shown)
            # Every line in view is on the screen whole, at the top and scrolled to the end.
            for key in ("home", "end"):
                await pilot.press(key)
                await settle(pilot)
                shown = screen_text(app).splitlines()
                room = widget.size.height - len(table.header) - len(table.footer)
                body = table.body[widget.top : widget.top + room]
                for row in (*table.header, *body, *table.footer):
                    assert line_text(row).rstrip() in shown, (pane, key, line_text(row))
            assert table.body[-1] in body

    drive(app, scenario, SIZE)


# ---------------------------------------------------------------- the orders behind a cell


def test_enter_on_the_hottest_heat_cell_lists_exactly_its_orders(city, core):
    app = city.console(core, "sup1", low_bandwidth=True)

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await open_stats(pilot)
        await pilot.press("3")
        await settle(pilot)
        widget = screen.query_one(NumberTable)
        hot = [
            (r, c)
            for r, row in enumerate(widget.table.body)
            for c, cell in enumerate(row)
            if cell.style == LEVEL_STYLES[5]
        ]
        assert hot
        row, col = hot[0]
        await pilot.press(*["down"] * row)
        while widget.col < col:
            await pilot.press("right")
        cell = widget.current
        assert cell is not None and cell.behind is not None
        assert widget.row == row and widget.col == col
        await pilot.press("enter")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, StatsOrdersScreen) and listing.found is not None
        listed = [r.number for r in listing.found.rows]
        assert len(listed) == int(cell.text)
        assert cell.behind.label in screen_text(app)
        data = screen.data
        assert data is not None
        expected = _cell_orders(city.url, cell.behind.category, cell.behind.area, data.first,
                                data.last)  # fmt: skip
        assert sorted(listed) == sorted(expected)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert listed[0] in screen_text(app)

    drive(app, scenario, SIZE)


def _cell_orders(url: str, category: str, district: str, first: date, last: date) -> list[str]:
    sql = (
        "SELECT t.created_at, t.number FROM ticket t"
        " JOIN category c ON c.id = t.category_id JOIN area a ON a.id = t.area_id"
        f" WHERE (c.path = (SELECT path FROM category WHERE code = '{category}')"
        f"   OR c.path LIKE (SELECT path FROM category WHERE code = '{category}') || '/%')"
        f" AND (a.code = '{district}'"
        f"   OR a.parent_id = (SELECT id FROM area WHERE code = '{district}'))"
    )
    return [number for day, number in local_days(url, sql) if first <= day <= last]


# ---------------------------------------------------------------- one set of numbers


def test_the_screen_kpi_json_hotspot_json_and_sql_show_the_same_numbers(city, core):
    app = city.console(core, "sup1")
    seen: dict[str, Any] = {}

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await open_stats(pilot)
        seen["data"] = screen.data
        seen["tiles"] = {
            (c.behind.measure, c.behind.side): int(c.text)
            for c in numbers(table_of(screen))
            if c.behind is not None
        }
        seen["sparks"] = {row[0].text: row[-1].text for row in table_of(screen).body}
        await pilot.press("3")
        await settle(pilot)
        seen["heat"] = {
            (c.behind.category, c.behind.area): int(c.text.replace("·", "0"))
            for c in numbers(table_of(screen))
            if c.behind is not None
        }
        seen["category_totals"] = {
            row[2].behind.category: int(row[1].text)
            for row in table_of(screen).body
            if row[2].behind is not None
        }
        await pilot.press("4")
        await settle(pilot)
        hours = screen.data.hours if screen.data else None
        seen["hours_total"] = hours.total if hours else -1
        # The hour table's cells as shown (counts: the demo has under 100 an hour) add up too.
        seen["hour_cells"] = sum(int(c.text) for c in numbers(table_of(screen)) if c.text.isdigit())

    drive(app, scenario, SIZE)
    data, tiles, heat = seen["data"], seen["tiles"], seen["heat"]
    category_totals, hours_total = seen["category_totals"], seen["hours_total"]
    assert seen["hour_cells"] == hours_total
    span = ["--period", "year", "--from", str(data.first), "--to", str(data.last), "--json"]
    kpi = json.loads(city.cli("kpi", *span).stdout)
    (row,) = kpi["rows"]
    assert tiles == {
        (m["id"], side): m[side] for m in row["measures"] for side in ("numerator", "denominator")
    }
    # The sparklines: the values of ``kpi --by period`` over the 12 years up to this one.
    years = ["--period", "year", "--from", f"{data.first.year - 11}-01-01", "--to",
             str(data.last), "--by", "period", "--json"]  # fmt: skip
    history = json.loads(city.cli("kpi", *years).stdout)["rows"]
    assert len(history) == 12
    values: dict[str, list[float | None]] = {}
    for period_row in history:
        for m in period_row["measures"]:
            values.setdefault(m["name"], []).append(m["value"])
    assert seen["sparks"] == {name: sparkline(v) for name, v in values.items()}
    assert any(" " in spark.strip() or spark.startswith(" ") for spark in seen["sparks"].values())
    hot = json.loads(city.cli("hotspot", *span, "--level", "1", "--area-level", "district").stdout)
    cli_cells = {(c["category"], c["area"]): c["count"] for c in hot["cells"]}
    assert heat == {key: cli_cells.get(key, 0) for key in heat}
    # Plain counts over the raw orders: the period's intake, and a category's.
    days = local_days(city.url, "SELECT t.created_at, c.path FROM ticket t"
                      " LEFT JOIN category c ON c.id = t.category_id")  # fmt: skip
    in_period = [path for day, path in days if data.first <= day <= data.last]
    assert hours_total == len(in_period) == sum(c["count"] for c in hot["cells"])
    checked = 0
    for code, total in category_totals.items():
        if code == "-":
            continue
        path = _path(city.url, code)
        assert total == sum(1 for p in in_period if p and (p == path or p.startswith(path + "/")))
        checked += 1
    assert checked >= 3


def _path(url: str, code: str) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT path FROM category WHERE code = :c"), {"c": code})
        path = str(found.scalar())
    engine.dispose()
    return path
