"""`hotline scheduler run --once`, `scheduler notices|supervisions` and `hotline status`.

The CLI runs on the real clock; ``--now`` (hidden, for drills on a database marked as a copy)
runs the scheduler as of a working morning two weeks ahead, when an order dispatched now is long
overdue.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from hotline_tui.domain.workcal import SHANGHAI, WorkCalendar, WorkingHours, builtin_years


def _later_working_morning(weeks: int = 2) -> datetime:
    cal = WorkCalendar(WorkingHours.parse("09:00-12:00,13:30-17:30"), builtin_years(), SHANGHAI)
    day = (datetime.now(UTC) + timedelta(weeks=weeks)).astimezone(SHANGHAI).date()
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(10, 0), tzinfo=SHANGHAI)


def _dispatched(cli) -> str:
    cli("db", "mark-copy", "--note", "演练：两周后的时限扫描")
    created = cli.json(
        "ticket", "new", "-d", "投诉小区噪音扰民", "-t", "consult", "--phone", "13800138000",
        user="op",
    )  # fmt: skip
    number = str(created["number"])
    cli("ticket", "dispatch", number, "--lead", "M01", user="disp")
    cli("ticket", "sign", number, user="h1")
    return number


def test_run_once_urges_and_supervises_once_and_status_reports_it(cli):
    number = _dispatched(cli)
    at = _later_working_morning().strftime("%Y-%m-%d %H:%M")
    report = cli.json("scheduler", "run", "--once", "--now", at, user=None)
    assert report["held"] is True
    scan = next(run for run in report["runs"] if run["name"] == "scan")
    assert scan["ok"] and scan["result"]["taken"]["urge"] == 1
    assert scan["result"]["taken"]["supervise"] == 1
    assert {run["name"] for run in report["runs"]} >= {"kpi_snapshot", "audit_checkpoint"}
    again = cli.json("scheduler", "run", "--once", "--now", at, user=None)
    rescan, stats = again["runs"]  # the daily jobs are done for today
    assert stats["name"] == "stats" and stats["ok"]
    assert sum(rescan["result"]["taken"].values()) == 0
    detail = cli.json("ticket", "show", number, user="sup")
    urges = [e for e in detail["timeline"] if e["action"] == "urge"]
    supervises = [e for e in detail["timeline"] if e["action"] == "supervise"]
    assert len(urges) == len(supervises) == 1
    assert datetime.fromisoformat(urges[0]["at"]) == datetime.fromisoformat(
        at.replace(" ", "T") + "+08:00"
    )
    assert [s["kind"] for s in detail["supervisions"]] == ["urge", "supervise"]
    # (exit 1 only if the calendar lacks next year's holidays, as it does from October)
    status = json.loads(cli("status", "--json", user=None, ok=False).stdout)
    assert status["lease"]["holder"] and status["revision"] == status["head"]
    assert set(status["problems"]) <= {"calendar"}  # scanned a moment ago (then released)
    text = cli("status", user=None, ok=False).stdout
    assert "调度程序" in text and "最近扫描" in text and "审计链" in text
    words = cli("scheduler", "run", "--once", "--now", at, user=None).stdout
    assert "时限扫描 完成" in words and "无新事项" in words


def test_notices_and_supervisions_for_the_department(cli):
    number = _dispatched(cli)
    at = _later_working_morning().strftime("%Y-%m-%d %H:%M")
    cli("scheduler", "run", "--once", "--now", at, user=None)
    seen = cli.json("scheduler", "notices", user="h1")
    assert [n["step"] for n in seen] == ["overdue", "urge", "supervise"]
    assert {n["number"] for n in seen} == {number}
    assert cli.json("scheduler", "notices", user="h2") == []
    assert cli.json("scheduler", "notices", "--after", str(seen[-1]["seq"]), user="h1") == []
    (waiting,) = cli.json("scheduler", "supervisions", user="h1")
    assert waiting["number"] == number
    cli("ticket", "supervise-reply", number, "--answer", "已联系来电人处理", user="h1")
    assert cli.json("scheduler", "supervisions", user="sup") == []
    shown = cli("scheduler", "notices", user="sup").stdout
    assert "督办" in shown and number in shown


def test_status_says_what_needs_the_administrator(cli):
    result = cli("status", user=None, ok=False)
    assert result.exit_code == 1
    assert "hotline scheduler run" in result.stdout  # no scheduler has ever run


def test_now_is_refused_on_the_live_database_and_nothing_is_stored(cli, hl):
    """Hole: ``--now 9999-12-31`` on a live database stamped every daily job's period and the
    steps with 9999, so nothing was urged or checkpointed again."""
    from sqlmodel import select

    from db.models import AuditHead, SchedulerJob

    def stored():
        with hl.reading() as s:
            head = s.exec(select(AuditHead.seq)).one()
            return head, s.exec(select(SchedulerJob.name, SchedulerJob.period)).all()

    before = stored()
    refused = cli("scheduler", "run", "--once", "--now", "2999-12-31", user=None, ok=False)
    assert refused.exit_code == 6 and "clock.live_database" in refused.stderr
    loud = cli(
        "scheduler", "run", "--once", "--now", "2999-12-31", "--now-on-live-database",
        user=None, ok=False,
    )  # fmt: skip
    assert loud.exit_code == 2 and "validation.future_time" in loud.stderr
    assert "警告" in loud.stderr  # the flag is loud
    assert stored() == before
    # Within the tolerance of the database's clock, the flag lets a drill run on live data.
    at = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    cli("scheduler", "run", "--once", "--now", at, "--now-on-live-database", user=None)
    # Marking the database as a copy is an administrator's audited act; then any time goes.
    denied = cli("db", "mark-copy", "--note", "演练", user="op", ok=False)
    assert denied.exit_code == 4
    cli("db", "mark-copy", "--note", "演练")
    cli("scheduler", "run", "--once", "--now", "2999-12-31", user=None)
