"""``hotline hotspot`` on a demo city (SQLite and PostgreSQL): the cells equal plain SQL counts
of the raw orders; the orders behind a cell are as many as its count; the hour-of-week table
equals the registration times read in Python; rates need a population; CSV is safe; a handler
sees their own department only."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import create_engine, text

from hotline_tui.cli.hotspot_output import report_csv
from hotline_tui.domain.hotspot import Mover
from hotline_tui.domain.kpi import Period
from hotline_tui.domain.moments import SHANGHAI
from hotline_tui.services.stats.hotspot import HotCell, HotspotReport, Node
from tests.cli.test_kpi_cmd import ALL_TIME, demo, run, scalar

__all__ = ["demo"]  # the demo city fixture (SQLite and PostgreSQL), shared with test_kpi_cmd


def hot(demo_: Any, *args: str, user: str = "sup1") -> dict[str, Any]:
    report: dict[str, Any] = json.loads(
        run(demo_, "hotspot", *ALL_TIME, "--json", *args, user=user).stdout
    )
    return report


def counts(report: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {(c["category"], c["area"]): c["count"] for c in report["cells"] if c["count"]}


def rows(url: str, sql: str) -> list[Any]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = list(conn.execute(text(sql)).all())
    engine.dispose()
    return found


def test_cells_equal_plain_sql_counts_of_the_raw_orders(demo):
    url, _env = demo
    got = counts(hot(demo, "--level", "1", "--area-level", "district"))
    assert sum(got.values()) == scalar(url, "SELECT count(*) FROM ticket")
    checked = 0
    for (category, area), n in sorted(got.items(), key=lambda kv: -kv[1])[:5]:
        if "-" in (category, area):
            continue
        ((path,),) = rows(url, f"SELECT path FROM category WHERE code = '{category}'")
        sql = (
            "SELECT count(*) FROM ticket t JOIN category c ON c.id = t.category_id"
            " JOIN area a ON a.id = t.area_id"
            f" WHERE (c.path = '{path}' OR c.path LIKE '{path}/%')"
            f" AND (a.code = '{area}' OR a.parent_id = (SELECT id FROM area WHERE code = '{area}'))"
        )
        assert n == scalar(url, sql), (category, area)
        checked += 1
    assert checked >= 3


def test_the_orders_behind_a_cell_are_its_count(demo):
    report = hot(demo, "--level", "2")
    for cell in report["cells"][:3]:
        key = f"{cell['category']},{cell['area']}"
        listed = json.loads(
            run(
                demo, "hotspot", *ALL_TIME, "--level", "2", "--orders", "--cell", key, "--json"
            ).stdout
        )
        assert listed["total"] == cell["count"] == len({o["number"] for o in listed["orders"]})
    words = run(demo, "hotspot", *ALL_TIME, "--level", "2", "--cell", key).stdout
    assert "件工单" in words and listed["orders"][0]["number"] in words


def test_hours_equal_the_registration_times_read_in_python(demo):
    url, _env = demo
    table = json.loads(run(demo, "hotspot", *ALL_TIME, "--hours", "--json").stdout)["counts"]
    expected: Counter[tuple[int, int]] = Counter()
    for (created,) in rows(url, "SELECT created_at FROM ticket"):
        moment = datetime.fromisoformat(created) if isinstance(created, str) else created
        if moment.tzinfo is None:  # SQLite: UTC without a zone
            moment = moment.replace(tzinfo=UTC)
        local = moment.astimezone(SHANGHAI)
        expected[(local.weekday(), local.hour)] += 1
    assert len(table) == 7 and all(len(r) == 24 for r in table)
    assert {(d, h): n for d, r in enumerate(table) for h, n in enumerate(r) if n} == dict(expected)
    words = run(demo, "hotspot", *ALL_TIME, "--hours").stdout.splitlines()
    assert words[1].split()[:3] == ["0", "1", "2"] and words[2].startswith("周一")


def test_rates_only_where_the_area_has_a_population(demo):
    report = hot(demo, "--area-level", "street")
    cells = report["cells"]
    unknown = [c for c in cells if c["area"] == "QC0604"]  # 清溪镇: no population in the demo
    known = [c for c in cells if c["population"]]
    assert known and all(c["per_10k"] == c["count"] * 10_000 / c["population"] for c in known)
    assert all(c["per_10k"] is None for c in unknown)
    words = run(demo, "hotspot", *ALL_TIME, "--area-level", "district", "--rate").stdout
    assert "每万人" in words and "—" in words  # 青川县 has a street without population


def test_words_fit_80_columns_and_name_the_columns_left_out(demo):
    from rich.cells import cell_len

    for extra in ([], ["--level", "3"], ["--excess"], ["--movers", "5"], ["--hours"]):
        out = run(demo, "hotspot", *ALL_TIME, *extra).stdout
        assert all(cell_len(x) <= 80 for x in out.splitlines()), extra
    assert "仅列出工单最多的 6 个区划" in run(demo, "hotspot", *ALL_TIME).stdout


def test_the_cell_to_type_can_be_read_from_the_table(demo):
    """The table shows the codes ``--cell`` takes: a category's code leads its row, an area's
    stands under its name; the orders listed for them are the number in the table."""
    lines = run(demo, "hotspot", *ALL_TIME, "--level", "2").stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("代码"))
    areas = lines[at + 1].split()[1:]  # after the words 区划代码
    row = next(x.split() for x in lines[at + 2 :] if not x.startswith("-"))
    category, counts = row[0], row[-len(areas) :]
    checked = 0
    for area, shown in zip(areas, counts, strict=True):
        listed = json.loads(run(demo, "hotspot", *ALL_TIME, "--level", "2", "--orders",
                                "--cell", f"{category},{area}", "--json").stdout)  # fmt: skip
        assert listed["total"] == (0 if shown == "·" else int(shown)), (category, area)
        checked += 1
    assert checked >= 3
    excess = run(demo, "hotspot", *ALL_TIME, "--excess").stdout.splitlines()
    first = next(x.split() for x in excess[excess.index(next(x for x in excess if
                 x.startswith("代码"))) + 1 :] if x.split()[0] != "-")  # fmt: skip
    listed = json.loads(run(demo, "hotspot", *ALL_TIME, "--orders", "--cell",
                            f"{first[0]},{first[2]}", "--json").stdout)  # fmt: skip
    assert listed["total"] == int(first[4])


def test_a_handler_sees_their_own_department_only(demo):
    mine = hot(demo, user="dept1")
    assert mine["cells"] == hot(demo, "--dept", "M01")["cells"]
    assert sum(counts(mine).values()) < sum(counts(hot(demo)).values())
    refused = run(demo, "hotspot", "--dept", "M02", user="dept1", code=4)
    assert "只能查看本单位" in refused.stderr
    hours_mine = json.loads(run(demo, "hotspot", *ALL_TIME, "--hours", "--json",
                                user="dept1").stdout)["counts"]  # fmt: skip
    assert sum(map(sum, hours_mine)) == sum(counts(mine).values())


def test_csv_has_a_bom_and_one_line_per_cell(demo):
    out = run(demo, "hotspot", *ALL_TIME, "--csv").stdout
    assert out.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(out[1:])))
    assert table[0][:2] == ["分类代码", "分类"] and len(table) == 1 + len(hot(demo)["cells"])


def test_csv_makes_formulas_inert() -> None:
    evil = Node(1, "=1+1", '=HYPERLINK("x")')
    area = Node(2, "-A", "@区", population=20_000)
    cell = HotCell(evil, area, 4, 1.5, 2.0)
    day = date(2026, 3, 2)
    report = HotspotReport(Period.DAY, day, day, 1, "street", (cell,), (evil,), (area,),
                           (day, day), (Mover((evil, area), 4, 0),), None)  # fmt: skip
    table = list(csv.reader(io.StringIO(report_csv(report)[1:])))
    assert table[1] == ["'=1+1", "'=HYPERLINK(\"x\")", "'-A", "'@区", "20000", "4", "2", "1.5",
                        "2.5"]  # fmt: skip
