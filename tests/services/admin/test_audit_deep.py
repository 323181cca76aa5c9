"""`audit verify --deep`: each order's and part's row against what its audited events say.

A lifecycle through the services leaves nothing to report; a change made in SQL behind the
program's back (a description, a state, a version, a part's state or department, a row
inserted or deleted, an event edited to agree) is named with the order, the field, the stored
and the audited value. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from hotline_tui.domain.intake import IntakeInput
from hotline_tui.services.admin import audit, audit_deep
from hotline_tui.services.admin.audit_deep import DeepReport
from hotline_tui.services.tickets import (
    closing,
    dispatch,
    editing,
    handling,
    intake,
    supervision,
    visits,
)
from hotline_tui.services.tickets.intake import Disposition
from tests.services.tickets.helpers import load, new_order


def sql(hl, statement: str, **params: Any) -> None:
    with hl.engines.write.begin() as conn:
        conn.execute(text(statement), params)


def lifecycle(hl, who) -> dict[str, str]:
    """Orders taken through every kind of step the services offer; their numbers by story."""
    full = new_order(hl, who, lead="M01", co=["M02"])
    supervision.urge(hl, who["disp"], full, "请尽快签收")
    handling.sign(hl, who["h1"], full)
    handling.sign(hl, who["h2"], full)
    handling.request_extension(hl, who["h1"], full, days=3, reason="需要现场核查")
    dispatch.decide_extension(hl, who["disp"], full, approve=True)
    supervision.supervise(hl, who["sup"], full, "超期督办", dept="M01")
    supervision.supervise_reply(hl, who["h1"], full, "已安排专人办理")
    supervision.escalate(hl, who["sup"], full, "提级办理", leader="adm")
    supervision.consult(hl, who["sup"], full, "组织会商")
    handling.reply(hl, who["h2"], full, text="协办意见")
    handling.reply(hl, who["h1"], full, text="已办理")
    closing.review(hl, who["disp"], full, passed=False, note="答复未回应诉求")
    handling.reply(hl, who["h1"], full, text="已补充答复")
    closing.review(hl, who["disp"], full, passed=True)
    visits.visit(hl, who["op"], full, visits.parse_visit("reached", "unresolved", "unsatisfied"))
    closing.redo(hl, who["disp"], full, note="重办")
    handling.reply(hl, who["h1"], full, text="重办答复")
    closing.review(hl, who["disp"], full, passed=True)
    visits.visit(hl, who["op"], full, visits.parse_visit("reached", "resolved", "satisfied"))
    closing.archive(hl, who["sup"], full)

    returned = new_order(hl, who, lead="M01", phone="13700137000")
    handling.return_order(hl, who["h1"], returned, reason="wrong_area", basis="不在本辖区")
    dispatch.review_return(hl, who["disp"], returned, accept=False, note="属于本单位职责")
    handling.return_order(hl, who["h1"], returned, reason="not_our_duty", basis="非本单位职责")
    dispatch.review_return(hl, who["disp"], returned, accept=True, redispatch_to="M03")
    handling.sign(hl, who["h3"], returned)
    released = new_order(hl, who, lead="M01", co=["M02"], phone="13400134000")
    dispatch.release(hl, who["disp"], released, "M02", "无需协办")

    edited = new_order(hl, who, phone="13600136000")
    editing.edit(
        hl,
        who["op"],
        edited,
        {"description": "改过的诉求内容", "title": "改过的标题", "urgency": "urgent"},
    )
    editing.edit(hl, who["op"], edited, {"confidential": True, "address": "一街道 1 号"})
    duplicate = new_order(hl, who, phone="13500135000")
    intake.merge(hl, who["disp"], duplicate, returned, "同一问题")
    answered = intake.register(
        hl,
        who["op"],
        IntakeInput(request_type="consult", description="问"),
        Disposition(kind="answer", answer_text="答"),
    ).number
    closing.reopen(hl, who["disp"], answered, "来电人再次反映")
    intake.withdraw(hl, who["op"], answered, "来电人撤回")
    return {
        "full": full,
        "returned": returned,
        "released": released,
        "edited": edited,
        "duplicate": duplicate,
        "answered": answered,
    }


@pytest.fixture
def orders(hl, who) -> dict[str, str]:
    made = lifecycle(hl, who)
    assert audit.verify(hl).ok
    return made


def deep(hl) -> DeepReport:
    return audit_deep.verify_rows(hl)


def named(report: DeepReport) -> set[tuple[str, str | None, str]]:
    return {(m.number, m.part, m.field) for m in report.mismatches}


def test_a_lifecycle_through_the_services_leaves_no_mismatch(hl, orders):
    report = deep(hl)
    assert report.ok, report.mismatches
    assert report.orders == len(orders) and report.parts >= 6
    assert report.unchecked_fields == 0


def test_a_description_changed_in_sql_is_named(hl, orders):
    number = orders["edited"]
    sql(hl, "UPDATE ticket SET description = '被改过的内容' WHERE number = :n", n=number)
    report = deep(hl)
    assert named(report) == {(number, None, "description")}
    found = report.mismatches[0]
    assert found.stored == "被改过的内容" and found.digested and found.seq is not None
    assert audit.verify(hl).ok  # the chain alone cannot see it


def test_a_state_and_a_version_changed_in_sql_are_named(hl, orders):
    number = orders["returned"]
    ticket, _ = load(hl, number)
    sql(hl, "UPDATE ticket SET state = 'closed', version = version + 5 WHERE number = :n", n=number)
    report = deep(hl)
    assert named(report) == {(number, None, "state"), (number, None, "version")}
    by_field = {m.field: m for m in report.mismatches}
    assert (by_field["state"].stored, by_field["state"].audited) == ("closed", ticket.state)
    assert by_field["version"].audited == ticket.version
    assert by_field["version"].stored == ticket.version + 5


def test_a_parts_state_and_department_changed_in_sql_are_named(hl, orders):
    number = orders["full"]
    _, parts = load(hl, number)
    lead = parts[0]
    sql(hl, "UPDATE assignment SET state = 'in_progress' WHERE id = :i", i=lead.id)
    sql(
        hl,
        "UPDATE assignment SET dept_id = (SELECT id FROM department WHERE code = 'M03')"
        " WHERE id = :i",
        i=parts[1].id,
    )
    report = deep(hl)
    assert named(report) == {(number, "M01", "state"), (number, "M03", "dept")}
    by_field = {m.field: m for m in report.mismatches}
    assert (by_field["state"].stored, by_field["state"].audited) == ("in_progress", lead.state)
    assert (by_field["dept"].stored, by_field["dept"].audited) == ("M03", "M02")


def test_an_order_inserted_and_a_part_deleted_in_sql_are_named(hl, orders):
    number = orders["returned"]
    _, parts = load(hl, number)
    sql(hl, "DELETE FROM assignment WHERE id = :i", i=parts[-1].id)
    columns = (
        "state, request_type, urgency, channel, address, title, description, search_text,"
        " contact_name, confidential, created_at, registered_by, updated_at, handover_count,"
        " redo_count, reopen_count, visit_attempts, urge_count, supervised, escalated,"
        " consulted, version"
    )
    sql(
        hl,
        f"INSERT INTO ticket (id, number, {columns}) SELECT 9000, 'FORGED-1', {columns}"
        " FROM ticket WHERE number = :n",
        n=orders["edited"],
    )
    report = deep(hl)
    assert ("FORGED-1", None, "row") in named(report)
    assert (number, "M03", "row") in named(report)
    verified = audit.verify(hl)
    assert (verified.ok, verified.reason) == (False, "orders")
    assert "FORGED-1" in verified.detail


def test_an_event_edited_to_agree_with_an_edited_row_is_named(hl, orders):
    number = orders["returned"]
    ticket, _ = load(hl, number)
    sql(hl, "UPDATE ticket SET state = 'closed' WHERE number = :n", n=number)
    sql(
        hl,
        "UPDATE audit_event SET to_state = 'closed' WHERE seq = (SELECT max(seq) FROM"
        " audit_event WHERE entity = 'ticket' AND entity_id = :i AND to_state IS NOT NULL)",
        i=ticket.id,
    )
    report = deep(hl)
    assert [(m.field, m.number) for m in report.mismatches] == [("event", f"#{ticket.id}")]


def test_orders_registered_before_field_digests_are_counted_not_flagged(hl, who, monkeypatch):
    monkeypatch.setattr(intake, "order_fields", lambda key, row: None)
    old = new_order(hl, who, lead="M01")
    monkeypatch.undo()
    new_order(hl, who, phone="13300133000")
    sql(hl, "UPDATE ticket SET description = '旧库里被改的' WHERE number = :n", n=old)
    report = deep(hl)
    assert report.ok and report.unchecked_fields == 1 and report.orders == 2
    sql(
        hl,
        "UPDATE assignment SET state = 'done' WHERE ticket_id = (SELECT id FROM ticket"
        " WHERE number = :n)",
        n=old,
    )
    assert named(deep(hl)) == {(old, "M01", "state")}


def test_the_sample_checks_the_orders_asked_for(hl, orders):
    sql(hl, "UPDATE ticket SET title = 'x' WHERE number = :n", n=orders["full"])
    with hl.reading() as session:
        ids = dict(session.execute(text("SELECT number, id FROM ticket")).all())
    assert audit_deep.check_orders(hl, [ids[orders["edited"]]]).ok
    found = audit_deep.check_orders(hl, [ids[orders["full"]], 123456])
    assert named(found) == {(orders["full"], None, "title")}
    assert found.bad_orders == {ids[orders["full"]]}
