"""The scheduler in the console: notices without a keypress, 督办 in the queue and the order,
answered from the queue; the in-process scheduler under the lease."""

from __future__ import annotations

from sqlmodel import col, select

from db.models import Supervision
from hotline_tui.launch import start_embedded_scheduler
from hotline_tui.services.scheduling.jobs import run_due
from hotline_tui.services.scheduling.lease import acquire, read_lease, release
from hotline_tui.services.tickets import handling, supervision
from hotline_tui.ui.app import make_app
from hotline_tui.ui.backend import Backend
from hotline_tui.ui.notices import NoticesScreen
from hotline_tui.ui.options import ConsoleOptions
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.detail import OrderDetailScreen
from hotline_tui.ui.screens.queues import DEPT_QUEUES, QueuesScreen
from hotline_tui.ui.widgets.bars import TopBar
from tests.services.scheduling_helpers import local
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, screen_segments, screen_text, settle, until

LATE = local(2026, 3, 6, 9, 0)  # a working morning after the test orders' deadlines


def late_order(hl, who, clock, **kwargs):
    """An order of M01's, signed, whose deadline has passed by ``LATE`` (the clock is there)."""
    number = new_order(hl, who, lead="M01", **kwargs)
    handling.sign(hl, who["h1"], number)
    clock.current = LATE
    return number


def test_a_notice_arrives_without_a_keypress_when_the_scheduler_flags_an_order(
    console, hl, who, clock
):
    number = late_order(hl, who, clock)
    other = new_order(hl, who, lead="M02", phone="13700137000")
    app = console("h1", refresh_seconds=0.1)

    async def scenario(pilot):
        assert app.notice_watch.count == 0
        run_due(hl, LATE, only=["scan"])  # the scheduler, elsewhere
        await until(pilot, lambda: app.notice_watch.count >= 3)
        await settle(pilot)
        steps = [n.step for n in app.notice_watch.recent]
        assert steps == ["overdue", "urge", "supervise"]  # M01's only: not M02's 签收超时
        assert {n.number for n in app.notice_watch.recent} == {number}
        shown = screen_text(app)
        assert "红灯超期" in shown and number in shown  # the toast
        assert other not in shown
        line = app.screen.query_one(TopBar).status
        assert line == f"提醒3（Ctrl+T）：督办 {number} 市监局"  # the notice line: the newest
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, NoticesScreen)
        listed = screen_text(app)
        assert "红灯超期" in listed and "催办" in listed and "督办" in listed
        await pilot.press("enter")  # the newest: opens the order
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen) and app.screen.number == number
        assert app.screen.query_one(TopBar).status == line  # the line is on new screens too

    drive(app, scenario)


def test_the_supervisor_is_told_too_and_nothing_is_read_while_idle(console, hl, who, clock):
    late_order(hl, who, clock)
    app = console("sup", refresh_seconds=0.1)
    reads = []

    async def scenario(pilot):
        backend_notices = app.backend.notices

        def counting(after):
            reads.append(after)
            return backend_notices(after)

        app.backend.notices = counting
        await pilot.pause(0.5)
        assert reads == []  # the feed is quiet: no notice query at all
        run_due(hl, LATE, only=["scan"])
        await until(pilot, lambda: app.notice_watch.count >= 3)
        assert {n.step for n in app.notice_watch.recent} == {"overdue", "urge", "supervise"}

    drive(app, scenario)


def test_a_locked_console_shows_no_notice_to_whoever_passes_by(console, hl, who, clock):
    number = late_order(hl, who, clock)
    app = console("h1", refresh_seconds=0.1)

    async def scenario(pilot):
        await pilot.press("f12")
        await settle(pilot)
        assert app.locked
        run_due(hl, LATE, only=["scan"])
        await until(pilot, lambda: app.notice_watch.count >= 3)
        await settle(pilot)
        assert app.notice_watch.count == 3  # received, and kept for after the unlock
        assert number not in screen_text(app) and "红灯" not in screen_text(app)

    drive(app, scenario)


def test_stored_text_in_a_notice_is_shown_literally(console, hl, who, clock):
    evil = "[b]占道[/b]\x1b]52;c;ZXZpbA==\x07\x1b[2J[@click=app.quit]x[/]"
    late_order(hl, who, clock, description=evil)
    app = console("h1", refresh_seconds=0.1)

    async def scenario(pilot):
        run_due(hl, LATE, only=["scan"])
        await until(pilot, lambda: app.notice_watch.count >= 3)
        await settle(pilot)
        shown = screen_text(app)
        assert "[b]占道[/b]" in shown  # the toast: markup shown as typed
        assert "\x1b" not in screen_segments(app) and "\x07" not in screen_segments(app)
        assert app.screen.query_one(TopBar).status.startswith("提醒3")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "[b]占道[/b]" in screen_text(app)
        assert "\x1b" not in screen_segments(app)
        assert app.is_running  # the [@click=app.quit] link was not made

    drive(app, scenario, size=(120, 40))


def test_supervision_is_shown_in_queue_and_order_and_answered_from_the_queue(
    console, hl, who, clock
):
    number = late_order(hl, who, clock, co=["M02"])
    run_due(hl, LATE, only=["scan"])
    app = console("h1")

    async def scenario(pilot):
        assert isinstance(app.screen, QueuesScreen)
        for _ in range(DEPT_QUEUES.index("supervised")):
            await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.queue_name == "supervised"
        shown = screen_text(app)
        assert number in shown and "督办理中" in shown  # the part is marked 督
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert "【待答复】" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        await pilot.press(*"已派员现场核查 明日答复", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        assert app.screen.items == [] and app.screen.counts["supervised"] == 0  # answered
        assert "督办：0 件" in screen_text(app)

    drive(app, scenario)
    with hl.reading() as s:
        items = s.exec(select(Supervision).where(col(Supervision.kind) == "supervise")).all()
    # M01's 督办 is answered; M02's (its part was never signed) still waits for M02.
    assert sorted((i.answer or "") for i in items) == ["", "已派员现场核查 明日答复"]


def test_a_co_handler_is_not_offered_to_answer_anothers_supervision(console, hl, who, clock):
    number = new_order(hl, who, lead="M01", co=["M02"])
    handling.sign(hl, who["h2"], number)
    supervision.supervise(hl, who["sup"], number, "请尽快办理", dept="M01")  # M01's part only
    app = console("h2")

    async def scenario(pilot):
        await pilot.press("right_square_bracket")  # 办理中
        await settle(pilot)
        assert number in screen_text(app) and "督办理中" not in screen_text(app)
        assert not app.screen.check_action("act", ("supervise_reply",))
        for _ in range(DEPT_QUEUES.index("supervised") - 1):
            await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.queue_name == "supervised" and app.screen.items == []

    drive(app, scenario)


def scheduler_app(hl, drafts_dir, mode="on"):
    options = ConsoleOptions(as_user="op", idle_lock_seconds=0, refresh_seconds=0.2, scheduler=mode)
    backend = Backend(
        hl.settings, drafts_dir=drafts_dir, hl=hl, start_scheduler=start_embedded_scheduler
    )
    return make_app(backend, options, os_user="tester", may_act_as_others=True)


def test_the_in_process_scheduler_starts_when_the_lease_is_free_and_stops_on_exit(hl, drafts_dir):
    app = scheduler_app(hl, drafts_dir)

    async def scenario(pilot):
        embedded = app.backend.scheduler
        assert embedded is not None and embedded.running and embedded.other is None
        holder = embedded.process.holder

        def held() -> bool:
            lease = read_lease(hl)
            return lease is not None and lease.live and lease.holder == holder

        await until(pilot, held)
        lease = read_lease(hl)
        assert lease is not None and lease.live and lease.holder == holder

    drive(app, scenario)
    assert app.backend.scheduler is not None and not app.backend.scheduler.running
    lease = read_lease(hl)
    assert lease is not None and not lease.live  # handed back on exit


def test_no_in_process_scheduler_while_another_holds_the_lease(hl, drafts_dir):
    acquire(hl, "ops-host:4242:abc", seconds=600)
    app = scheduler_app(hl, drafts_dir)

    async def scenario(pilot):
        embedded = app.backend.scheduler
        assert embedded is not None and not embedded.running and embedded.process is None
        assert embedded.other is not None and embedded.other.holder == "ops-host:4242:abc"

    drive(app, scenario)
    lease = read_lease(hl)
    assert lease is not None and lease.live and lease.holder == "ops-host:4242:abc"


def test_the_console_takes_over_when_the_other_scheduler_stops(hl, drafts_dir):
    acquire(hl, "ops-host:4242:abc", seconds=600)
    app = scheduler_app(hl, drafts_dir)

    async def scenario(pilot):
        assert app.backend.scheduler is not None and app.backend.scheduler.waiting
        assert app._scheduler_retry is not None  # it looks again every minute
        release(hl, "ops-host:4242:abc")  # that scheduler stops cleanly
        app.start_scheduler()  # the minute's look, without waiting a minute
        await settle(pilot)
        embedded = app.backend.scheduler
        assert embedded is not None and embedded.running and app._scheduler_retry is None

    drive(app, scenario)
    assert not app.backend.scheduler.running


def test_no_in_process_scheduler_when_the_setting_says_off(hl, drafts_dir):
    app = scheduler_app(hl, drafts_dir, mode="off")

    async def scenario(pilot):
        assert app.backend.scheduler is None

    drive(app, scenario)
    assert read_lease(hl) is None
