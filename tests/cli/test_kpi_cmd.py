"""``hotline kpi`` and ``hotline stats rebuild``: on a demo city the figures equal plain SQL
counts of the raw rows; the orders behind a number add up to it; CSV is safe for a
spreadsheet; a handler sees their own department only."""

from __future__ import annotations

import csv
import io
import itertools
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from hotline_tui.cli.kpi_output import csv_text
from hotline_tui.cli.main import app
from tests.conftest import pg_admin_url, pg_available, pg_execute

ALL_TIME = ["--period", "year", "--from", "2000-01-01", "--to", "2099-12-31"]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("kpi-demo")
    name = None
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'demo.db'}"
    else:
        if not pg_available():
            pytest.skip("PostgreSQL not reachable")
        name = f"hl_kpi_{uuid.uuid4().hex[:10]}"
        pg_execute(f"CREATE DATABASE {name}")
        url = pg_admin_url(name)
    env = {
        "HOTLINE_AUDIT_KEY_FILE": str(folder / "audit.key"),
        "HOTLINE_DATA_DIR": str(folder),
        "HOTLINE_LOG_FILE": str(folder / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(folder / "cache"),
        "HOTLINE_CONFIG": str(folder / "absent.toml"),
        "HOTLINE_KB_SEMANTIC": "0",
    }
    seeded = CliRunner().invoke(app, ["--db", url, "demo", "--orders", "400", "--json"], env=env)
    assert seeded.exit_code == 0, (seeded.output, seeded.stderr)
    yield url, env
    if name is not None:
        pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(demo, *args: str, user: str = "sup1", code: int = 0):
    url, env = demo
    result = CliRunner().invoke(app, ["--db", url, "--as", user, *args], env=env)
    assert result.exit_code == code, (args, result.output, result.stderr)
    return result


def scalar(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar()
    engine.dispose()
    return int(value or 0)


def figures(demo, *args: str, user: str = "sup1") -> dict[str, dict[str, Any]]:
    report = json.loads(run(demo, "kpi", *ALL_TIME, "--json", *args, user=user).stdout)
    (row,) = report["rows"]
    return {m["id"]: m for m in row["measures"]}


def test_kpi_json_equals_plain_sql_counts_of_the_raw_orders(demo):
    url, _env = demo
    got = figures(demo)
    sql = {
        "direct_answer": (
            "SELECT count(*) FROM ticket WHERE ending = 'answered'",
            "SELECT count(*) FROM ticket WHERE ending IS NULL OR ending <> 'invalid'",
        ),
        "return_rate": (
            "SELECT count(*) FROM audit_event WHERE action = 'return'",
            "SELECT count(*) FROM assignment",
        ),
        "satisfaction": (
            "SELECT count(*) FROM visit_attempt WHERE contact = 'reached' AND resolution IS NOT"
            " NULL AND satisfaction IN ('satisfied', 'basic')",
            "SELECT count(*) FROM visit_attempt WHERE contact = 'reached'"
            " AND resolution IS NOT NULL",
        ),
        "handovers": (
            "SELECT coalesce(sum(handover_count), 0) FROM ticket WHERE closed_at IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM assignment a WHERE a.ticket_id = ticket.id)",
            "SELECT count(*) FROM ticket WHERE closed_at IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM assignment a WHERE a.ticket_id = ticket.id)",
        ),
    }
    for measure, (numerator, denominator) in sql.items():
        expected = (scalar(url, numerator), scalar(url, denominator))
        assert (got[measure]["numerator"], got[measure]["denominator"]) == expected, measure
        assert expected[1] > 0, measure  # the demo city has some of each


def test_the_orders_behind_a_number_add_up_to_it(demo):
    got = figures(demo)
    for name, measure in (("超期率", "overdue"), ("退单率", "return_rate")):
        listed = json.loads(run(demo, "kpi", *ALL_TIME, "--orders", name, "--json").stdout)
        assert listed["total"] == got[measure]["numerator"], name
        assert all(o["number"] for o in listed["orders"])
    listed = json.loads(
        run(demo, "kpi", *ALL_TIME, "--orders", "overdue", "--side", "denominator", "--json").stdout
    )
    assert listed["total"] == got["overdue"]["denominator"]


def test_grouped_by_department_the_rows_add_up_to_the_whole(demo):
    whole = figures(demo)
    report = json.loads(run(demo, "kpi", *ALL_TIME, "--by", "dept", "--json").stdout)
    for measure in ("on_time", "sign_on_time", "return_rate"):
        for side in ("numerator", "denominator"):
            parts = sum(
                m[side] for row in report["rows"] for m in row["measures"] if m["id"] == measure
            )
            assert parts == whole[measure][side], (measure, side)


def test_words_show_numerators_denominators_and_both_comparisons(demo):
    out = run(demo, "kpi", "--period", "month", "--by", "dept").stdout
    for word in ("按时办结率", "超期率", "满意率", "环比", "同比", "流转环节分布"):
        assert word in out
    assert "（" in out and "/" in out


def test_a_handler_sees_their_own_department_only(demo):
    mine = figures(demo, user="dept1")
    assert mine == figures(demo, "--dept", "M01")  # dept1 handles for 市监局 (M01)
    assert mine != figures(demo)
    refused = run(demo, "kpi", "--dept", "M02", user="dept1", code=4)
    assert "只能查看本单位" in refused.stderr
    run(demo, "stats", "rebuild", user="dept1", code=4)


def test_rebuild_shows_progress_and_changes_nothing(demo):
    before = figures(demo)
    result = run(demo, "stats", "rebuild", "--batch", "100", user="admin1")
    assert "100%" in result.stderr and "指标汇总已重算" in result.stdout
    assert figures(demo) == before


def test_csv_has_a_bom_and_makes_formulas_inert():
    out = csv_text(["a", "b"], [["=HYPERLINK(1)", 5], ["-1+1", -0.5], ["@x", None], ["\tt", 1]])
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert rows[1:] == [["'=HYPERLINK(1)", "5"], ["'-1+1", "-0.5"], ["'@x", ""], ["'\tt", "1"]]


def test_kpi_csv_is_one_line_per_measure(demo):
    out = run(demo, "kpi", *ALL_TIME, "--csv").stdout
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert rows[0][:3] == ["分组", "名称", "起"] and len(rows) == 1 + 13


def test_categories_kept_out_of_satisfaction_by_the_setting(demo):
    url, env = demo
    engine = create_engine(url)
    with engine.connect() as conn:
        code, path = conn.execute(
            text("SELECT code, path FROM category WHERE level = 1 ORDER BY id")
        ).first() or ("", "")
    engine.dispose()
    kept_out = {**env, "HOTLINE_KPI_SATISFACTION_EXCLUDED_CATEGORIES": json.dumps([code])}
    got = figures((url, kept_out))
    valid = (
        "SELECT count(*) FROM visit_attempt v JOIN ticket t ON t.id = v.ticket_id"
        " LEFT JOIN category c ON c.id = t.category_id WHERE v.contact = 'reached'"
        " AND v.resolution IS NOT NULL"
    )
    outside = f" AND (c.path IS NULL OR (c.path <> '{path}' AND c.path NOT LIKE '{path}/%'))"
    assert got["satisfaction"]["denominator"] == scalar(url, valid + outside)
    assert got["satisfaction"]["denominator"] < scalar(url, valid)
    assert got["return_rate"] == figures(demo)["return_rate"]  # the others are untouched


def test_by_period_each_month_against_the_one_before(demo):
    span = ["--period", "month", "--from", "2000-01-01", "--to", "2099-12-31"]
    report = json.loads(run(demo, "kpi", *span, "--by", "period", "--json").stdout)
    rows = report["rows"]
    assert len(rows) == 100 * 12
    whole = figures(demo)
    for measure in ("direct_answer", "overdue"):
        for side in ("numerator", "denominator"):
            months = [m[side] for row in rows for m in row["measures"] if m["id"] == measure]
            assert sum(months) == whole[measure][side]
    for before, now in itertools.pairwise(rows):
        assert now["measures"][0]["previous"]["denominator"] == before["measures"][0]["denominator"]
    csv_rows = list(csv.reader(io.StringIO(run(demo, "kpi", *span, "--by", "period", "--csv")
                                           .stdout[1:])))  # fmt: skip
    assert csv_rows[1][2:4] == ["2000-01-01", "2000-01-31"]
