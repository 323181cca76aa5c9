"""``hotline sla`` and ``hotline calendar``: the issue's vectors, missing years, imports."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "calendars"

VECTORS = [
    ("2025-09-30 16:00", "2wd", "2025-10-10T16:00:00+08:00", "星期五"),
    ("2025-09-26 16:00", "1wd", "2025-09-28T16:00:00+08:00", "星期日"),
    ("2026-02-13 16:00", "1wd", "2026-02-14T16:00:00+08:00", "星期六"),
    ("2026-02-13 16:00", "2wd", "2026-02-24T16:00:00+08:00", "星期二"),
    ("2025-12-31 16:30", "1wd", "2026-01-04T16:30:00+08:00", "星期日"),
    ("2025-09-30 20:00", "1wh", "2025-10-09T10:00:00+08:00", "星期四"),
    ("2025-09-30 09:00", "1wd", "2025-09-30T17:00:00+08:00", "星期二"),
]


@pytest.mark.parametrize(("start", "limit", "due", "weekday"), VECTORS)
def test_sla_due_gives_each_vector(cli, start, limit, due, weekday):
    args = ("sla", "due", "--from", start, "--limit", limit, "--hours", "09:00-17:00")
    result = cli.json(*args, user="op")
    assert (result["due"], result["weekday"], result["provisional"]) == (due, weekday, False)
    text = cli(*args).stdout
    assert f"截止 {due[:10]} {due[11:16]}（{weekday}）" in text
    assert "暂定" not in text


def test_sla_due_json_shape(cli):
    result = cli.json("sla", "due", "--from", "2025-09-30 20:00", "--limit", "1wh")
    assert result == {
        "from": "2025-09-30T20:00:00+08:00",
        "clock_start": "2025-10-09T09:00:00+08:00",
        "limit": "1wh",
        "working_hours": "09:00-12:00,13:30-17:30",
        "day_hours": 7.0,
        "due": "2025-10-09T10:00:00+08:00",
        "due_utc": "2025-10-09T02:00:00+00:00",
        "weekday": "星期四",
        "provisional": False,
        "missing_years": [],
    }


def test_a_missing_year_is_provisional_until_imported(cli):
    args = ("sla", "due", "--from", "2099-01-02 16:00", "--limit", "1wd", "--hours", "09:00-17:00")
    before = cli.json(*args)
    assert (before["due"], before["provisional"], before["missing_years"]) == (
        "2099-01-05T16:00:00+08:00",
        True,
        [2099],
    )
    text = cli(*args).stdout
    assert "暂定" in text and "2099 年的节假日安排尚未导入" in text

    cli("calendar", "import", str(DATA / "2099.ics"))
    after = cli.json(*args)
    # 01-01..03 are off; the clock starts on the make-up Sunday 01-04 at 09:00.
    assert (after["due"], after["provisional"]) == ("2099-01-04T17:00:00+08:00", False)


def test_calendar_show_a_missing_year_says_what_to_import(cli):
    text = cli("calendar", "show", "2027", user="op").stdout
    assert "2027 年的节假日安排尚未导入" in text
    assert "周一至周五" in text and "暂定" in text
    assert "2027年部分节假日安排的通知" in text
    assert "hotline calendar import" in text
    shown = cli.json("calendar", "show", "2027")
    assert (shown["status"], shown["holidays"]) == ("missing", [])
    assert "2027" in shown["hint"]


def test_calendar_import_then_show(cli, tmp_path):
    notice = tmp_path / "2027.json"
    notice.write_text(
        '{"year": 2027, "source": "测试通知",'
        ' "holidays": ["2027-01-01", "2027-10-01..2027-10-07"], "workdays": ["2027-09-26"]}',
        encoding="utf-8",
    )
    result = cli.json("calendar", "import", str(notice))
    assert (result["year"], result["status"], result["holidays"]) == (2027, "created", 8)
    assert "未变" in cli("calendar", "import", str(notice)).stdout
    text = cli("calendar", "show", "2027").stdout
    assert "2027 年节假日安排（已导入）：来源 测试通知" in text
    assert "10-01（星期五） 至 10-07（星期四）" in text
    assert "09-26（星期日）" in text
    shown = cli.json("calendar", "show", "2027", user="h1")
    assert (shown["status"], shown["workdays"]) == ("imported", ["2027-09-26"])


def test_calendar_import_errors_are_in_words(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"year": 2027,\n "workdays": ["2027-01-04"]}', encoding="utf-8")
    result = cli("calendar", "import", str(bad), ok=False)
    assert result.exit_code == 10
    assert "第 2 行" in result.stderr and "2027-01-04" in result.stderr
    assert "周六或周日" in result.stderr
    denied = cli("calendar", "import", str(DATA / "2099.json"), user="op", ok=False)
    assert denied.exit_code == 4


def test_sla_set_list_and_import(cli):
    rule = cli.json(
        "sla", "set", "投诉", "--category", "T001", "--complete", "10wd", "--warn", "0.3"
    )
    assert (rule["request_type"], rule["category_code"], rule["complete"]) == (
        "complaint",
        "T001",
        "10wd",
    )
    assert rule["urgency"] == "any" and rule["warn_fraction"] == 0.3
    listed = cli.json("sla", "list", user="h1")
    assert [(r["request_type"], r["complete"]) for r in listed] == [("complaint", "10wd")]
    assert "T001" in cli("sla", "list").stdout
    defaults = cli.json("sla", "list", "--defaults")
    assert {("consult", "3wd"), ("complaint", "13wd")} <= {
        (r["request_type"], r["complete"]) for r in defaults if r["builtin"]
    }
    imported = cli.json("sla", "import", str(DATA / "rules.csv"))
    assert (imported["created"], imported["updated"]) == (2, 1)
    bad = cli("sla", "set", "complaint", "--complete", "5 weeks", ok=False)
    assert bad.exit_code == 2 and "wd（工作日）" in bad.stderr
    assert cli("sla", "set", "complaint", "--complete", "5wd", user="disp", ok=False).exit_code == 4
