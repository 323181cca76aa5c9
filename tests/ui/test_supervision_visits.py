"""Issue 14, rules 6 and 7 in the console: a hand-given 催办 told without a keypress, the 提级 and
会商 dialogs with their participants and due days, the outcome keys offered only while an
outcome is waiting, the order view's 提级/会商 and visit calls, and an unreachable call too soon
refused in the quick visit with the time to call again."""

from __future__ import annotations

from textual.widgets import Input

from db.models import Supervision
from hotline_tui.domain.states import SupervisionKind
from hotline_tui.services.tickets import closing, handling, queries, supervision, visits
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.detail import OrderDetailScreen
from hotline_tui.ui.screens.visit_call import QuickVisit
from hotline_tui.ui.screens.visits import VisitsScreen
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from tests.services.scheduling_helpers import local
from tests.services.tickets.helpers import load, new_order
from tests.ui.conftest import drive, screen_text, settle, until
from tests.ui.test_order_tools import open_detail


def _signed(hl, who) -> str:
    number = str(new_order(hl, who, lead="M01", co=["M02"]))
    handling.sign(hl, who["h1"], number)
    return number


def _to_visit(hl, who) -> str:
    number = str(new_order(hl, who, lead="M01"))
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text="已修复路灯")
    closing.review(hl, who["disp"], number, passed=True)
    return number


def test_a_supervisors_urge_is_told_to_the_departments_console(console, hl, who):
    number = _signed(hl, who)
    app = console("h1", refresh_seconds=0.1)

    async def scenario(pilot):
        supervision.urge(hl, who["sup"], number, "请加快办理")  # by hand, elsewhere
        await until(pilot, lambda: app.notice_watch.count >= 1)
        await settle(pilot)
        assert [n.step for n in app.notice_watch.recent] == ["urge"]
        assert app.screen.query_one(TopBar).status == f"提醒1（Ctrl+T）：催办 {number} 市监局"

    drive(app, scenario)


def test_escalate_dialog_names_the_leader_departments_and_days(console, hl, who):
    number = _signed(hl, who)
    app = console("sup")

    async def scenario(pilot):
        await open_detail(pilot, number)
        await pilot.press("t")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ActionModal) and modal.spec.name == "escalate"
        shown = screen_text(app)
        assert "领导（用户名）" in shown and "参加单位" in shown and "反馈期限" in shown
        modal.query_one("#a-note").load_text("涉及多部门，提级协调")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")  # no leader: the dialog says so and stays
        await settle(pilot)
        assert app.screen is modal and "领导" in str(modal.query_one(MessageLine).render())
        modal.query_one("#a-leader", Input).value = "op"  # not a supervisor
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "督办或管理员" in str(modal.query_one(MessageLine).render())
        modal.query_one("#a-leader", Input).value = "adm"
        modal.query_one("#a-due_days", Input).value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        shown = screen_text(app)
        assert "提级" in shown and "领导 adm" in shown and "【待反馈结果】" in shown

    drive(app, scenario, size=(120, 40))
    (item,) = queries.show(hl, who["sup"], number).supervisions
    assert (item.leader, item.depts) == ("adm", ["M01", "M02"])
    assert item.due_at == local(2026, 3, 4, 9, 30)  # the 2 working days typed


def test_the_outcome_key_is_offered_only_while_an_outcome_waits(console, hl, who):
    number = _signed(hl, who)
    supervision.consult(hl, who["disp"], number, "组织会商", depts=["M02"])
    app = console("disp")

    async def scenario(pilot):
        await open_detail(pilot, number)
        assert app.screen.check_action("act", ("consult_result",))
        assert not app.screen.check_action("act", ("escalate_result",))  # no 提级 waits
        await pilot.press("J")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal) and app.screen.spec.name == "consult_result"
        await pilot.press(*"会商确定由市监局主办", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert "会商确定由市监局主办" in screen_text(app)
        assert not app.screen.check_action("act", ("consult_result",))  # answered

    drive(app, scenario, size=(120, 40))
    with hl.reading() as s:
        item = s.get(Supervision, 1)
        assert item is not None and item.answer == "会商确定由市监局主办"
    assert load(hl, number)[0].consulted


def test_a_handler_is_not_offered_the_outcome(console, hl, who):
    number = _signed(hl, who)
    supervision.escalate(hl, who["sup"], number, "提级", leader="sup")
    app = console("h1")

    async def scenario(pilot):
        await open_detail(pilot, number)
        assert "【待反馈结果】" in screen_text(app)
        for name in ("escalate_result", "consult_result", "escalate", "consult"):
            assert not app.screen.check_action("act", (name,)), name

    drive(app, scenario, size=(120, 40))


def test_an_unreachable_call_too_soon_is_refused_in_the_quick_visit(console, hl, who, clock):
    number = _to_visit(hl, who)
    visits.visit(hl, who["op"], number, visits.parse_visit("unreachable", None, None, "无人接听"))
    clock.advance(minutes=10)
    app = console("op")

    async def scenario(pilot):
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, VisitsScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuickVisit)
        await pilot.press("0", "ctrl+s")  # unreachable again
        await settle(pilot)
        assert isinstance(app.screen, QuickVisit)  # refused: the dialog stays
        said = str(app.screen.query_one(MessageLine).render())
        assert "2026-03-02 11:30" in said and "之后再拨打" in said
        await pilot.press("escape")
        await settle(pilot)
        app.open_order(number)
        await settle(pilot)
        shown = screen_text(app)
        assert "回访记录" in shown and "第1次" in shown and "无人接听" in shown

    drive(app, scenario, size=(120, 40))
    assert load(hl, number)[0].visit_attempts == 1


def test_the_kinds_waiting_for_an_outcome_come_from_the_order(hl, who):
    from hotline_tui.ui.screens.detail import awaiting_outcome

    number = _signed(hl, who)
    supervision.escalate(hl, who["sup"], number, "提级", leader="sup")
    supervision.consult(hl, who["sup"], number, "会商")
    assert awaiting_outcome(queries.show(hl, who["sup"], number)) == {"escalate", "consult"}
    supervision.record_result(hl, who["sup"], number, SupervisionKind.ESCALATE, "已协调")
    assert awaiting_outcome(queries.show(hl, who["sup"], number)) == {"consult"}


def test_the_leader_of_an_escalation_is_told_as_the_leader(console, hl, who):
    number = _signed(hl, who)
    app = console("adm", refresh_seconds=0.1)

    async def scenario(pilot):
        supervision.escalate(hl, who["disp"], number, "提级", leader="adm", depts=["M03"])
        await until(pilot, lambda: app.notice_watch.count >= 2)
        await settle(pilot)
        told = {(n.step, n.dept, n.leader) for n in app.notice_watch.recent}
        assert told == {("escalate", "M03", ""), ("escalate", "", "adm")}
        line = app.screen.query_one(TopBar).status
        assert line.startswith("提醒2（Ctrl+T）：提级") and "领导" in line

    drive(app, scenario)
