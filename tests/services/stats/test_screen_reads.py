"""What the console's 统计 mode reads besides ``figures`` and ``hotspot``, on a demo city (SQLite
and PostgreSQL): the heat table's counts are ``hotspot``'s; the orders behind an hour-of-week
cell are exactly those registered in the period on that local weekday and hour (read in Python
from the raw registration times), as many as the hour table's cell; a handler's, their
department's only."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from db.engine import make_engines
from hotline_tui.domain.errors import PermissionDenied, ValidationError
from hotline_tui.domain.kpi import Period
from hotline_tui.domain.moments import SHANGHAI
from hotline_tui.services.context import Hotline
from hotline_tui.services.stats.figures import KpiQuery
from hotline_tui.services.stats.heat import heat
from hotline_tui.services.stats.hotspot import HotspotQuery, hotspot
from hotline_tui.services.stats.hotspot_orders import hours
from hotline_tui.services.stats.hour_orders import hour_orders
from hotline_tui.settings import Settings
from tests.cli.test_kpi_cmd import demo
from tests.ui.stats_city import City

__all__ = ["demo"]  # the demo city (SQLite and PostgreSQL), shared with test_kpi_cmd

ALL_TIME = HotspotQuery(KpiQuery(Period.YEAR, first=datetime(2000, 1, 1).date(),
                                 last=datetime(2099, 12, 31).date()))  # fmt: skip


@pytest.fixture
def core(demo: tuple[str, dict[str, str]]) -> Any:
    url, env = demo
    folder = Path(env["HOTLINE_DATA_DIR"])
    settings = Settings(data_dir=folder, database_url=url, audit_key_file=folder / "audit.key",
                        cache_dir=folder / "cache", log_file=folder / "hotline.log")  # fmt: skip
    hl = Hotline(settings, make_engines(settings.db_url))
    yield hl, City(url, env, folder)
    hl.close()


def registered(url: str) -> dict[tuple[int, int], set[str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT created_at, number FROM ticket")).all()
    engine.dispose()
    out: dict[tuple[int, int], set[str]] = defaultdict(set)
    for created, number in rows:
        moment = datetime.fromisoformat(created) if isinstance(created, str) else created
        if moment.tzinfo is None:  # SQLite: UTC without a zone
            moment = moment.replace(tzinfo=UTC)
        local = moment.astimezone(SHANGHAI)
        out[(local.weekday(), local.hour)].add(number)
    return out


def test_an_hour_cell_lists_exactly_the_orders_registered_then(core):
    hl, city = core
    supervisor = city.actor(hl, "sup1")
    expected = registered(city.url)
    table = hours(hl, supervisor, ALL_TIME)
    busiest = sorted(expected, key=lambda k: -len(expected[k]))[:3]
    for weekday, hour in [*busiest, (3, 4)]:
        found = hour_orders(hl, supervisor, ALL_TIME, weekday, hour)
        numbers = [o.number for o in found]
        assert set(numbers) == expected.get((weekday, hour), set())
        assert len(numbers) == len(set(numbers)) == table.counts[weekday][hour]
    assert len(expected[busiest[0]]) > 1


def test_a_handler_lists_their_own_departments_orders_only(core):
    hl, city = core
    handler, supervisor = city.actor(hl, "dept1"), city.actor(hl, "sup1")
    mine = hours(hl, handler, ALL_TIME)
    weekday, hour = max(((d, h) for d in range(7) for h in range(24)),
                        key=lambda k: mine.counts[k[0]][k[1]])  # fmt: skip
    found = hour_orders(hl, handler, ALL_TIME, weekday, hour)
    scoped = HotspotQuery(KpiQuery(Period.YEAR, ALL_TIME.kpi.first, ALL_TIME.kpi.last, dept="M01"))
    assert found == hour_orders(hl, supervisor, scoped, weekday, hour)
    assert len(found) == mine.counts[weekday][hour] > 0
    assert len(found) < len(hour_orders(hl, supervisor, ALL_TIME, weekday, hour))
    with pytest.raises(PermissionDenied):
        other = HotspotQuery(KpiQuery(Period.YEAR, ALL_TIME.kpi.first, ALL_TIME.kpi.last,
                                      dept="M02"))  # fmt: skip
        hour_orders(hl, handler, other, weekday, hour)
    with pytest.raises(ValidationError):
        hour_orders(hl, supervisor, ALL_TIME, 7, 0)


@pytest.mark.parametrize("user", ["sup1", "dept1"])
@pytest.mark.parametrize("area_level", ["district", "street"])
def test_the_heat_counts_are_the_hotspot_tables(core, user, area_level):
    hl, city = core
    actor = city.actor(hl, user)
    query = HotspotQuery(ALL_TIME.kpi, level=1, area_level=area_level)
    table = heat(hl, actor, query)
    report = hotspot(hl, actor, query)
    assert table.counts == {(c.category.id, c.area.id): c.count for c in report.cells if c.count}
    assert table.categories == report.categories and table.areas == report.areas
    assert sum(table.counts.values()) > 0
