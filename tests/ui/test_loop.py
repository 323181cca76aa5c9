"""The closed loop driven by keys in the queues, visits and supervision modes, asserting on the
database: sign, extension, reply, review, visit, redo; return and re-dispatch; a conflict."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select
from textual.widgets import Input, TextArea

from db.models import Assignment, Department, Supervision
from hotline_tui.services.tickets import closing, handling, supervision
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.board import BoardScreen
from hotline_tui.ui.screens.queues import QueuesScreen
from hotline_tui.ui.screens.visits import VisitsScreen
from tests.services.tickets.helpers import load, new_order
from tests.ui.conftest import drive, screen_text, settle, until


def footer_keys(app):
    return {binding.action for binding in (a.binding for a in app.screen.active_bindings.values())}


def test_handler_signs_asks_extension_and_replies(console, hl, who):
    number = new_order(hl, who, lead="M01")
    app = console("h1")

    async def scenario(pilot):
        assert isinstance(app.screen, QueuesScreen)
        assert number in screen_text(app)
        assert "act('sign')" in footer_keys(app) and "act('reply')" not in footer_keys(app)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert load(hl, number)[1][0].state == "in_progress"
        await pilot.press("right_square_bracket")  # 办理中
        await settle(pilot)
        assert number in screen_text(app)
        await pilot.press("e", *"3", "tab", *"need a site visit", "ctrl+s")
        await settle(pilot)
        assert load(hl, number)[1][0].state == "extension_review"

    drive(app, scenario)
    _ticket, (part,) = load(hl, number)
    assert (part.extension_days_requested, part.extension_reason) == (3, "need a site visit")


def test_dispatcher_approves_reviews_and_operator_visits(console, hl, who):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    handling.request_extension(hl, who["h1"], number, days=2, reason="现场核查")
    disp = console("disp")

    async def approving(pilot):
        assert isinstance(disp.screen, QueuesScreen)
        await pilot.press("right_square_bracket", "right_square_bracket")  # 延期审批
        await settle(pilot)
        assert number in screen_text(disp)
        await pilot.press("p")
        await settle(pilot)
        assert disp.screen.query_one("#a-days", Input).value == "2"  # what was asked, editable
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(disp, approving)
    assert load(hl, number)[1][0].extension_days_granted == 2

    handling.reply(hl, who["h1"], number, text="已现场处理，商户已停业整改")
    reviewer = console("disp")

    async def reviewing(pilot):
        for _ in range(3):
            await pilot.press("right_square_bracket")  # 答复审核
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert "已现场处理" in screen_text(reviewer)  # the reply is shown to review
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(reviewer, reviewing)
    assert load(hl, number)[0].state == "pending_visit"

    operator = console("op")

    async def visiting(pilot):
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(operator.screen, VisitsScreen)
        assert "已现场处理" in screen_text(operator)  # the reply to read to the caller
        await pilot.press("enter", "1", "1")  # resolved, satisfied: two keystrokes
        await pilot.press("ctrl+s", "enter")  # recorded without a note; closed
        await settle(pilot)

    drive(operator, visiting)
    ticket, _parts = load(hl, number)
    assert (ticket.state, ticket.visit_resolution, ticket.visit_satisfaction) == (
        "closed",
        "resolved",
        "satisfied",
    )


def test_unsatisfied_visit_starts_a_redo(console, hl, who):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="已处理")

    closing.review(hl, who["disp"], number, passed=True)
    app = console("disp")

    async def scenario(pilot):
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("enter", "3", "3")  # unresolved, unsatisfied
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # the record read, the redo follows
        await settle(pilot)
        assert isinstance(app.screen, ActionModal) and app.screen.spec.name == "redo"
        await pilot.press("tab", *"please redo", "ctrl+s")
        await settle(pilot)

    drive(app, scenario)
    ticket, (part,) = load(hl, number)
    assert (ticket.state, ticket.redo_count, part.state) == ("in_progress", 1, "in_progress")


def test_return_reviewed_and_redispatched(console, hl, who):
    number = new_order(hl, who, lead="M01")
    handler = console("h1")

    async def returning(pilot):
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("right", "tab", *"not ours: housing", "ctrl+s")  # 非职责范围
        await settle(pilot)

    drive(handler, returning)
    _ticket, (part,) = load(hl, number)
    assert (part.state, part.return_reason) == ("return_review", "not_our_duty")

    disp = console("disp")

    async def reviewing(pilot):
        await pilot.press("right_square_bracket")  # 退单审核
        await settle(pilot)
        assert "return_accept" in str(footer_keys(disp))
        await pilot.press("y")
        await settle(pilot)
        await pilot.press(*"szj")
        await settle(pilot)
        await pilot.press("enter")  # 改派 to 市住建局
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(disp, reviewing)
    ticket, parts = load(hl, number)
    assert [p.state for p in parts] == ["returned", "pending_sign"]
    with hl.reading() as s:
        code = s.exec(select(Department.code).where(Department.id == parts[1].dept_id)).one()
    assert (ticket.state, code) == ("pending_sign", "M02")


def test_a_conflicting_save_names_who_changed_what_and_keeps_the_text(console, hl, who):
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    app = console("h1")

    async def scenario(pilot):
        await pilot.press("right_square_bracket")  # 办理中
        await settle(pilot)
        await pilot.press("a", *"our reply")
        await settle(pilot)
        # Meanwhile the dispatcher urges this department: the part's version moves on.
        supervision.urge(hl, who["disp"], number, "请尽快")
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown = screen_text(app)
        assert isinstance(app.screen, ActionModal)
        assert "disp" in shown and "（催办）" in shown and "第 2 版" in shown
        # nothing typed is lost
        assert app.screen.query_one("#a-text", TextArea).text == "our reply"

    drive(app, scenario)
    _ticket, (part,) = load(hl, number)
    assert (part.state, part.reply_text) == ("in_progress", None)


def test_keys_follow_role_and_state(console, hl, who):
    new_order(hl, who, lead="M01")
    app = console("h2")  # another department: nothing to sign here

    async def scenario(pilot):
        assert "act('sign')" not in footer_keys(app)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)  # no modal: the key is not offered
        assert not app.check_action("mode", ("intake",))  # handlers do not take calls

    drive(app, scenario)


def test_changes_from_elsewhere_appear_without_a_keypress(console, hl, who):
    app = console("h1", refresh_seconds=0.1)

    async def scenario(pilot):
        assert "待签收：0 件" in screen_text(app)
        number = new_order(hl, who, lead="M01")  # another operator dispatches to M01
        await until(pilot, lambda: number in screen_text(app))  # no key: the change feed

    drive(app, scenario)


def test_supervisor_board_and_urge(console, hl, who, clock):
    number = new_order(hl, who, lead="M01")
    new_order(hl, who, lead="M02")
    _ticket, (part,) = load(hl, number)
    clock.current = part.due_at + timedelta(days=1)
    app = console("sup")

    async def scenario(pilot):
        assert isinstance(app.screen, BoardScreen)
        shown = screen_text(app)
        assert number in shown and "市监局" in shown
        await pilot.press("u", "tab", *"overdue: hurry", "ctrl+s")
        await settle(pilot)

    drive(app, scenario)
    with hl.reading() as s:
        kinds = list(s.exec(select(Supervision.kind).order_by(col(Supervision.id))))
        urged = s.exec(select(Assignment.version).where(Assignment.id == part.id)).one()
    assert "urge" in kinds and urged == part.version + 1
