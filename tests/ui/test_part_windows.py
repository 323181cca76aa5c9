"""Issue 14, rules 1-3 in the console: the decision dialogs show what they decide on (a late
return, the extension room) and a late return needs an explicit approval; a department is told
when its part's limits change with the order's urgency."""

from __future__ import annotations

from textual.widgets import Input

from hotline_tui.services.tickets import dispatch, editing, handling
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.queues import QueuesScreen
from hotline_tui.ui.widgets.choice import Choice
from tests.services.scheduling_helpers import local
from tests.services.tickets.helpers import load, new_order
from tests.ui.conftest import drive, screen_text, settle


def test_the_extension_decision_dialog_says_what_was_granted_and_what_is_left(console, hl, who):
    hl.settings.extension_max_requests = 2
    number = new_order(hl, who, lead="M01")
    handling.sign(hl, who["h1"], number)
    handling.request_extension(hl, who["h1"], number, days=4, reason="现场核查")
    dispatch.decide_extension(hl, who["disp"], number, approve=True)
    handling.request_extension(hl, who["h1"], number, days=6, reason="还需协调")
    app = console("disp")

    async def scenario(pilot):
        assert isinstance(app.screen, QueuesScreen)
        await pilot.press("right_square_bracket", "right_square_bracket")  # 延期审批
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        assert "已批准 4 个工作日，上限 10，还可批准 6 个工作日" in screen_text(app)
        days = app.screen.query_one("#a-days", Input)
        assert days.value == "6"  # as asked
        days.value = "7"  # more than asked and than is left
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        assert "本次可批准 1 至 6 个工作日" in screen_text(app)  # refused inline, input kept
        days.value = "5"  # fewer than asked
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)

    drive(app, scenario)
    assert load(hl, number)[1][0].extension_days_granted == 9


def test_a_late_return_is_marked_and_accepted_only_when_approved_explicitly(
    console, hl, who, clock
):
    hl.settings.return_after_window = "review"
    number = new_order(hl, who, lead="M01")
    clock.current = local(2026, 3, 5, 10, 0)  # the window ended on Wednesday 09:30
    handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="非本单位职责")
    in_time = new_order(hl, who, lead="M02", phone="13700137000")  # dispatched just now
    handling.return_order(hl, who["h2"], in_time, reason="wrong_area", basis="不在本区")
    app = console("disp")

    async def scenario(pilot):
        await pilot.press("right_square_bracket")  # 退单审核
        await settle(pilot)
        assert screen_text(app).count("超主办") == 1  # the late one is marked in the queue
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        shown = screen_text(app)
        assert "超时退单：退单时限 2026-03-04 09:30 已过" in shown and "批准超时退单" in shown
        approve = app.screen.query_one("#a-approve_late", Choice)
        assert approve.value == "no"  # never approved by default
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        assert "超时退单" in screen_text(app) and "--approve-late" in screen_text(app)
        approve.value = "yes"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)
        assert "超主办" not in screen_text(app)  # the return in time is left, unmarked
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        assert "超时退单" not in screen_text(app)  # no approval asked for a return in time
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)

    drive(app, scenario)
    assert load(hl, number)[1][0].state == "returned"
    assert load(hl, in_time)[1][0].state == "returned"


def test_the_department_is_told_when_the_urgency_changes_its_limits(console, hl, who, clock):
    number = new_order(hl, who, lead="M01")
    app = console("h1", refresh_seconds=0.1)

    async def scenario(pilot):
        assert app.notice_watch.count == 0
        clock.advance(hours=1)
        editing.edit(hl, who["disp"], number, {"urgency": "urgent"})  # at the hotline
        for _ in range(100):
            if app.notice_watch.count:
                break
            await pilot.pause(0.05)
        await settle(pilot)
        (told,) = app.notice_watch.recent
        assert (told.step, told.number) == ("limit_change", number)
        assert "时限变更" in screen_text(app)

    drive(app, scenario)
