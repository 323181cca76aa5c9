"""Calendar imports, time-limit rules and provisional due times, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from db.models import Assignment, AuditEvent, CalendarDay, Category, Department, Ticket
from hotline_tui.domain.errors import ImportFailed, PermissionDenied, ValidationError
from hotline_tui.domain.limits import ClockInputs, Limit, recompute
from hotline_tui.domain.workcal import SHANGHAI
from hotline_tui.services.reference import calendar_import, sla_rules
from hotline_tui.services.tickets import timelimits

DATA = Path(__file__).resolve().parents[2] / "data" / "calendars"


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


def shown(moment: datetime | None) -> str:
    assert moment is not None
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def events(hl, action: str) -> int:
    with hl.reading() as s:
        query = select(func.count()).select_from(AuditEvent).where(col(AuditEvent.action) == action)
        return int(s.execute(query).scalar_one())


def category_id(hl, code: str) -> int:
    with hl.reading() as s:
        return int(
            s.execute(select(col(Category.id)).where(col(Category.code) == code)).scalar_one()
        )


# ------------------------------------------------------------------------------------ calendar


def test_importing_a_year_makes_its_due_times_final(hl, who):
    adm = who["adm"]
    before = timelimits.due_preview(hl, adm, local("2099-01-02 16:00"), "1wd", "09:00-17:00")
    assert before.provisional and before.missing_years == [2099]
    assert shown(before.due_at) == "2099-01-05 16:00"  # Monday to Friday
    assert timelimits.calendar_year(hl, who["op"], 2099).status == "missing"

    result = calendar_import.import_calendar(hl, adm, DATA / "2099.json")
    assert (result.year, result.status, result.holidays, result.workdays) == (
        2099,
        "created",
        17,
        5,
    )
    after = timelimits.due_preview(hl, adm, local("2099-01-02 16:00"), "1wd", "09:00-17:00")
    assert not after.provisional and after.missing_years == []
    # 01-01..03 are off and Sunday 01-04 is worked: the clock starts then and ends that day.
    assert shown(after.clock_start) == "2099-01-04 09:00"
    assert shown(after.due_at) == "2099-01-04 17:00"
    view = timelimits.calendar_year(hl, who["h1"], 2099)
    assert (view.status, view.imported_by, len(view.holidays)) == ("imported", "adm", 17)
    assert "2099-01-04" in view.workdays
    assert events(hl, "calendar.import") == 1


def test_import_is_idempotent_and_all_or_nothing(hl, who, monkeypatch, tmp_path):
    adm = who["adm"]
    calendar_import.import_calendar(hl, adm, DATA / "2099.json")
    again = calendar_import.import_calendar(hl, adm, DATA / "2099.json")
    assert again.status == "unchanged"
    ics = calendar_import.import_calendar(hl, adm, DATA / "2099.ics")
    assert ics.status == "updated"  # the same days from another source
    assert timelimits.calendar_year(hl, adm, 2099).source == ics.source

    bad = tmp_path / "2099.json"
    bad.write_text('{"year": 2099, "holidays": ["2099-01-01"], "workdays": ["2099-01-05"]}')
    with pytest.raises(ImportFailed) as caught:
        calendar_import.import_calendar(hl, adm, bad)
    assert caught.value.params["reason"] == "calendar_weekday_workday"

    # A failure inside the transaction leaves nothing behind either.
    other = tmp_path / "2098.json"
    other.write_text('{"year": 2098, "holidays": ["2098-10-01..2098-10-07"]}')

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(calendar_import, "_recompute", broken)
    with pytest.raises(RuntimeError):
        calendar_import.import_calendar(hl, adm, other)
    with hl.reading() as s:
        years = s.execute(select(func.distinct(CalendarDay.year))).scalars().all()
    assert years == [2099]
    assert timelimits.calendar_year(hl, adm, 2098).status == "missing"
    assert events(hl, "calendar.import") == 3


def test_imported_years_override_the_package(hl, who, tmp_path):
    adm = who["adm"]
    assert timelimits.calendar_year(hl, adm, 2025).status == "builtin"
    assert timelimits.calendar_for(hl).is_working_day(date(2025, 9, 28))  # package: worked
    override = tmp_path / "2025.json"
    override.write_text('{"year": 2025, "holidays": ["2025-10-01..2025-10-08"]}')
    calendar_import.import_calendar(hl, adm, override)
    assert not timelimits.calendar_for(hl).is_working_day(date(2025, 9, 28))
    assert timelimits.calendar_year(hl, adm, 2025).status == "imported"


def test_coverage_alerts_name_the_missing_years(hl, who):
    assert timelimits.coverage_alerts(hl, date(2099, 3, 1)) == [
        timelimits.CoverageAlert(2099, "current")
    ]
    late = timelimits.coverage_alerts(hl, date(2098, 10, 15))
    assert [(a.year, a.reason) for a in late] == [(2098, "current"), (2099, "next")]
    assert [a.year for a in timelimits.coverage_alerts(hl, date(2098, 9, 30))] == [2098]
    calendar_import.import_calendar(hl, who["adm"], DATA / "2099.json")
    assert timelimits.coverage_alerts(hl, date(2099, 3, 1)) == []


def test_changing_the_calendar_needs_an_administrator(hl, who):
    for user in ("op", "disp", "h1", "sup"):
        with pytest.raises(PermissionDenied):
            calendar_import.import_calendar(hl, who[user], DATA / "2099.json")
        with pytest.raises(PermissionDenied):
            sla_rules.set_rule(hl, who[user], "complaint", limits={"complete": "5wd"})
        with pytest.raises(PermissionDenied):
            sla_rules.import_rules(hl, who[user], DATA / "rules.csv")
        # Reading is open to every role.
        assert timelimits.calendar_year(hl, who[user], 2026).status == "builtin"
        assert sla_rules.list_rules(hl, who[user]) == []
        timelimits.due_preview(hl, who[user], local("2025-09-30 16:00"), "2wd")
    assert events(hl, "calendar.import") == 0


# --------------------------------------------------------------------------------------- rules


def complete(hl, request_type: str, code: str | None, urgency: str = "normal") -> str:
    category = category_id(hl, code) if code else None
    with hl.reading() as s:
        return str(timelimits.limits_for(hl, s, request_type, category, urgency).complete)


def test_rules_are_inherited_down_the_category_tree(hl, who):
    adm = who["adm"]
    # T001 企业服务 > T002 登记注册 > T003 营业执照办理; T007 is a leaf of 城乡建设.
    assert complete(hl, "complaint", "T003") == "13wd"
    rule = sla_rules.set_rule(hl, adm, "complaint", category="T001", limits={"complete": "10wd"})
    assert (rule.category_path, rule.complete, rule.sign, rule.version) == (
        "企业服务",
        "10wd",
        None,
        1,
    )
    assert complete(hl, "complaint", "T003") == "10wd"
    assert complete(hl, "complaint", "T002") == "10wd"
    assert complete(hl, "complaint", "T007") == "13wd"
    assert complete(hl, "consult", "T003") == "3wd"
    sla_rules.set_rule(hl, adm, "complaint", category="T003", limits={"complete": "7wd"})
    assert complete(hl, "complaint", "T003") == "7wd"
    assert complete(hl, "complaint", "T002") == "10wd"
    assert complete(hl, "complaint", "T003", "urgent") == "24h"
    # Changing a limit keeps the others; "" gives a limit back to inheriting.
    again = sla_rules.set_rule(
        hl, adm, "complaint", category="T001", limits={"sign": "4wh"}, warn_fraction=0.3
    )
    assert (again.complete, again.sign, again.warn_fraction, again.version) == (
        "10wd",
        "4wh",
        0.3,
        2,
    )
    sla_rules.set_rule(hl, adm, "complaint", category="T001", limits={"complete": ""})
    assert complete(hl, "complaint", "T002") == "13wd"
    assert events(hl, "sla.set") == 4
    with pytest.raises(ValidationError) as caught:
        sla_rules.set_rule(hl, adm, "complaint", limits={"extension_max": "10d"})
    assert caught.value.code == "validation.limit_unit_wd"
    with pytest.raises(ValidationError):
        sla_rules.set_rule(hl, adm, "gossip", limits={"complete": "1wd"})


def test_every_category_rules_are_unique_on_both_backends(hl, who):
    adm = who["adm"]
    sla_rules.set_rule(hl, adm, "any", urgency="critical", limits={"complete": "3h"})
    sla_rules.set_rule(hl, adm, "any", urgency="critical", limits={"complete": "4h"})
    rules = sla_rules.list_rules(hl, adm)
    assert [(r.request_type, r.urgency, r.complete) for r in rules] == [("any", "critical", "4h")]
    assert complete(hl, "consult", None, "critical") == "4h"


def test_rules_import_from_csv(hl, who, tmp_path):
    adm = who["adm"]
    first = sla_rules.import_rules(hl, adm, DATA / "rules.csv")
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = sla_rules.import_rules(hl, adm, DATA / "rules.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert complete(hl, "complaint", "T002") == "10wd"
    assert complete(hl, "complaint", "T003") == "7wd"
    assert complete(hl, "help", "T003", "critical") == "3h"
    with hl.reading() as s:
        limits = timelimits.limits_for(hl, s, "complaint", category_id(hl, "T003"), "normal")
    assert (str(limits.sign), limits.warn_fraction) == ("4wh", 0.25)

    bad = tmp_path / "rules.csv"
    bad.write_text("request_type,category,complete\ncomplaint,T001,9wd\ncomplaint,T404,9wd\n")
    with pytest.raises(ImportFailed) as caught:
        sla_rules.import_rules(hl, adm, bad)
    assert (caught.value.params["line"], caught.value.params["reason"]) == (3, "unknown_category")
    assert complete(hl, "complaint", "T002") == "10wd"  # nothing changed
    bad.write_text("request_type,complete\ncomplaint,9 weeks\n")
    with pytest.raises(ImportFailed) as caught:
        sla_rules.import_rules(hl, adm, bad)
    assert (caught.value.params["line"], caught.value.params["reason"]) == (2, "limit")


# --------------------------------------------------------------------------------- recompute


def _order(s: Session, number: str, state: str, user_id: int, at: datetime) -> Ticket:
    ticket = Ticket(
        number=number,
        state=state,
        request_type="consult",
        description="测试",
        created_at=at,
        registered_by=user_id,
        updated_at=at,
    )
    s.add(ticket)
    s.flush()
    return ticket


def test_import_recomputes_provisional_due_times(hl, who):
    adm = who["adm"]
    cal = timelimits.calendar_for(hl)  # default hours: 09:00-12:00, 13:30-17:30
    dispatched = local("2099-01-02 10:00")  # a Friday; a holiday in the 2099 notice
    inputs = ClockInputs(dispatched, Limit.parse("1wd"), Limit.parse("3wd"), 0.2, dispatched)
    provisional = recompute(cal, inputs)
    assert provisional.provisional and shown(provisional.due_at) == "2099-01-07 10:00"
    with Session(hl.engines.write) as s:
        dept = s.execute(
            select(col(Department.id)).where(col(Department.code) == "M01")
        ).scalar_one()
        open_order = _order(s, "T-1", "in_progress", adm.user_id, dispatched)
        done_order = _order(s, "T-2", "closed", adm.user_id, dispatched)
        visit_order = _order(s, "T-3", "pending_visit", adm.user_id, dispatched)
        rows = {}
        for name, order, state in (
            ("open", open_order, "in_progress"),
            ("done", done_order, "done"),
            ("visit", visit_order, "replied"),
        ):
            rows[name] = Assignment(
                ticket_id=order.id or 0,
                dept_id=dept,
                role="lead",
                state=state,
                created_at=dispatched,
                dispatched_by=adm.user_id,
                clock_started_at=dispatched,
                time_limit="3wd",
                sign_limit="1wd",
                sign_due_at=provisional.sign_due_at,
                due_at=provisional.due_at,
                warn_at=provisional.warn_at,
                provisional=True,
                replied_at=local("2098-12-31 15:00") if name == "visit" else None,
            )
            s.add(rows[name])
        s.flush()
        visit_order.lead_assignment_id = rows["visit"].id
        visit_order.visit_due_at = local("2099-01-01 17:30")  # Monday to Friday
        s.commit()
        ids = {name: row.id for name, row in rows.items()}
        ticket_id = visit_order.id

    result = calendar_import.import_calendar(hl, adm, DATA / "2099.json")
    assert (result.assignments_recomputed, result.tickets_recomputed) == (1, 1)
    with hl.reading() as s:
        fresh = s.get(Assignment, ids["open"])
        untouched = s.get(Assignment, ids["done"])
        visited = s.get(Ticket, ticket_id)
    assert fresh is not None and untouched is not None and visited is not None
    # The clock starts on the make-up Sunday 01-04; three 7-hour days end Tuesday 01-06.
    assert shown(fresh.due_at) == "2099-01-06 17:30"
    assert shown(fresh.sign_due_at) == "2099-01-04 17:30"
    assert shown(fresh.warn_at) == "2099-01-06 11:48"  # 20 % of 21 h left
    assert not fresh.provisional
    assert untouched.provisional and untouched.due_at == provisional.due_at
    assert shown(visited.visit_due_at) == "2099-01-04 17:30"
    again = calendar_import.import_calendar(hl, adm, DATA / "2099.json")
    assert (again.status, again.assignments_recomputed) == ("unchanged", 0)
