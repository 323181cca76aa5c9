"""The services the console reads through: caller history, pick lists, work lists, the change
feed and intake drafts (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hotline_tui.domain.errors import PermissionDenied
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services import live
from hotline_tui.services.reference import pickers
from hotline_tui.services.tickets import board as board_service
from hotline_tui.services.tickets import (
    dispatch,
    drafts,
    handling,
    intake,
    lookup,
    worklists,
)
from hotline_tui.services.tickets.intake import Disposition
from tests.services.tickets.helpers import load, new_order


def test_caller_history_marks_open_orders_and_repeat_callers(hl, who, clock):
    assert lookup.caller_history(hl, who["op"], "13800138000").orders == []
    first = new_order(hl, who, lead="M01")
    clock.advance(hours=1)
    answered = intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="consult",
            description="再问一次",
            caller=CallerInput(name="王五", phone="13800138000"),
        ),
        Disposition(kind="answer", answer_text="已答复"),
    ).number
    history = lookup.caller_history(hl, who["op"], "138 0013 8000")
    assert [o.number for o in history.orders] == [answered, first]  # newest first
    assert history.open_numbers == {first}
    assert history.repeat and history.recent == 2 and history.total == 2
    assert history.name == "王五" and history.kind == "person" and not history.abusive


def test_caller_history_of_a_handler_is_scoped_and_masked(hl, who):
    mine = new_order(hl, who, lead="M01")
    new_order(hl, who, lead="M02")
    history = lookup.caller_history(hl, who["h1"], "13800138000")
    assert [o.number for o in history.orders] == [mine]
    assert history.orders[0].contact_phone == "138****8000"
    assert history.name == ""  # departments do not browse the hotline's callers


def test_enterprises_by_name_or_credit_code(hl, who):
    code = "91350100M000100Y43"
    intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="complaint",
            description="企业投诉",
            caller=CallerInput(kind="enterprise", name="青川示例科技有限公司", credit_code=code),
        ),
    )
    assert [e.credit_code for e in lookup.find_enterprises(hl, who["op"], "示例科技")] == [code]
    assert [e.name for e in lookup.find_enterprises(hl, who["op"], code.lower())] == [
        "青川示例科技有限公司"
    ]
    assert lookup.find_enterprises(hl, who["op"], "100%_") == []
    with pytest.raises(PermissionDenied):
        lookup.find_enterprises(hl, who["h1"], "示例")


def test_pick_lists_match_chinese_pinyin_initials_and_short_names(hl, who):
    picks = pickers.build_pickers(hl, who["op"])
    assert picks.categories.search("yyzz")[0].name == "营业执照办理"
    assert picks.categories.search("yingyezhizhao")[0].name == "营业执照办理"
    assert picks.categories.search("执照")[0].name == "营业执照办理"
    assert picks.categories.search("yyzz")[0].leaf
    first = picks.departments.search("sjj")[0]
    assert (first.code, first.short_name) == ("M01", "市监局")  # through its short name
    assert picks.departments.search("M02")[0].code == "M02"
    assert picks.departments.search("市住建")[0].code == "M02"
    assert picks.areas.search("jq")[0].name == "甲区"
    assert picks.departments.search("") == []
    assert picks.departments.search("zzzzzz") == []


def test_pick_index_ranks_exact_before_prefix_before_substring():
    index = pickers.build_index(
        [
            pickers.PickItem("department", "A", "城管局", "", "", pickers.keys_for("城管局")),
            pickers.PickItem("department", "B", "城管", "", "", pickers.keys_for("城管")),
            pickers.PickItem("department", "C", "市城管委", "", "", pickers.keys_for("市城管委")),
        ]
    )
    assert [i.code for i in index.search("cg")] == ["B", "A", "C"]
    assert index.get("C") is not None and index.get("X") is None


def test_work_queues_carry_versions_and_due_colours(hl, who, clock):
    number = new_order(hl, who, lead="M01", co=["M02"])
    rows = worklists.work_queue(hl, who["h1"], "to_sign")
    assert [(r.number, r.dept, r.role, r.assignment_version) for r in rows] == [
        (number, "M01", "lead", 1)
    ]
    _ticket, parts = load(hl, number)
    lead = parts[0]
    assert lead.sign_due_at is not None and lead.due_at is not None
    assert worklists.work_queue(hl, who["h1"], "overdue") == []
    clock.current = lead.sign_due_at + timedelta(minutes=1)
    overdue = worklists.work_queue(hl, who["h1"], "overdue")
    assert [(r.number, r.due) for r in overdue] == [(number, "overdue")]
    handling.sign(hl, who["h1"], number)
    if lead.warn_at is not None and lead.warn_at < lead.due_at:
        clock.current = lead.warn_at + (lead.due_at - lead.warn_at) / 2
        near = worklists.work_queue(hl, who["h1"], "due_soon")
        assert [(r.number, r.due) for r in near] == [(number, "near")]
    clock.current = lead.due_at + timedelta(hours=1)
    assert [r.due for r in worklists.work_queue(hl, who["h1"], "overdue")] == ["overdue"]
    with pytest.raises(PermissionDenied):
        worklists.work_queue(hl, who["h1"], "to_dispatch")


def test_hotline_queues_list_parts_under_review(hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    handling.return_order(hl, who["h2"], number, reason="not_our_duty", basis="非本单位职责")
    returns = worklists.work_queue(hl, who["disp"], "returns")
    assert [(r.number, r.dept, r.assignment_state) for r in returns] == [
        (number, "M02", "return_review")
    ]
    assert returns[0].detail is not None and "非本单位职责" in returns[0].detail
    queued = new_order(hl, who)
    assert [r.number for r in worklists.work_queue(hl, who["disp"], "to_dispatch")] == [queued]
    dispatch.review_return(hl, who["disp"], number, accept=True, dept="M02")
    assert worklists.work_queue(hl, who["disp"], "returns") == []


def test_supervision_board_counts_by_department_from_due_times(hl, who, clock):
    late = new_order(hl, who, lead="M01")
    new_order(hl, who, lead="M02")
    assert board_service.supervision_board(hl, who["sup"]).rows == []
    _ticket, parts = load(hl, late)
    clock.current = parts[0].due_at + timedelta(days=1)
    board = board_service.supervision_board(hl, who["sup"])
    counts = {r.dept: (r.overdue, r.sign_overdue, r.near) for r in board.rows}
    assert counts["M01"][:2] == (1, 1) and counts["M02"][:2] == (1, 1)
    assert {i.number for i in board.items} >= {late}
    only = board_service.supervision_board(hl, who["sup"], dept="M01")
    assert {i.dept for i in only.items} == {"M01"}
    with pytest.raises(PermissionDenied):
        board_service.supervision_board(hl, who["h1"])


def test_change_feed_names_orders_and_actors(hl, who):
    head = live.feed_head(hl)
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    changes = live.changes_after(hl, who["op"], head)
    assert [c.seq for c in changes] == list(range(head + 1, head + 1 + len(changes)))
    assert {c.ticket for c in changes} == {number}
    assert changes[-1].actor == "h1" and "sign" in {c.action for c in changes}
    assert live.feed_head(hl) == changes[-1].seq
    assert live.changes_after(hl, who["op"], changes[-1].seq) == []


def test_drafts_survive_and_are_cleaned(tmp_path):
    folder = tmp_path / "drafts"
    at = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    assert drafts.load_draft(folder, "op") is None
    fields = {"phone": "13800138000", "description": "路灯不亮\x1b[2J\n第二行"}
    path = drafts.save_draft(folder, drafts.Draft("op", at, fields))
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = drafts.load_draft(folder, "op")
    assert loaded is not None and loaded.saved_at == at
    assert loaded.fields["description"] == "路灯不亮[2J\n第二行"  # ESC removed on the way in
    assert drafts.load_draft(folder, "op2") is None
    drafts.save_draft(folder, drafts.Draft("op", at, {"phone": "  "}))
    assert drafts.load_draft(folder, "op") is None  # an empty form is no draft
    drafts.discard_draft(folder, "op")
    drafts.discard_draft(folder, "op")  # twice is fine
    path.write_text("{not json")
    assert drafts.load_draft(folder, "op") is None
    assert drafts.draft_path(folder, "../Op").name == ".._op.json"
