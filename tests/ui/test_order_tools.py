"""The order tools by key, asserted on the database: merge and unmerge, consult, release,
reveal, edit (with a conflicting save), attach and view a material, and the visit-due board;
each also refused where the role or the state does not allow it."""

from __future__ import annotations

from sqlmodel import col, select
from textual.widgets import Input, TextArea

from db.models import Area, AuditEvent, Category, Material, Ticket
from hotline_tui.domain.intake import IntakeInput
from hotline_tui.services.tickets import closing, editing, handling, intake, supervision
from hotline_tui.services.tickets.intake import Disposition
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.detail import OrderDetailScreen
from hotline_tui.ui.screens.order_tools import MaterialsModal, MaterialViewer, RevealModal
from hotline_tui.ui.screens.visit_call import QuickVisit
from hotline_tui.ui.screens.visit_due import VisitDueScreen
from hotline_tui.ui.widgets.grid import DataGrid
from hotline_tui.ui.widgets.picker import Picker
from tests.services.tickets.helpers import load, new_order
from tests.ui.conftest import drive, screen_text, settle
from tests.ui.test_loop import footer_keys
from tests.world import leaf_code


async def open_detail(pilot, number: str) -> None:
    pilot.app.open_order(number)
    await settle(pilot)
    assert isinstance(pilot.app.screen, OrderDetailScreen)


async def act(pilot, key: str, *typed: str, submit: bool = True) -> None:
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ActionModal), pilot.app.screen
    await pilot.press(*typed)
    if submit:
        await pilot.press("ctrl+s")
    await settle(pilot)


def offered(app, name: str) -> bool:
    return f"act('{name}')" in footer_keys(app) and bool(app.screen.check_action("act", (name,)))


def audit_actions(hl) -> list[str]:
    with hl.reading() as s:
        return [e.action for e in s.exec(select(AuditEvent).order_by(col(AuditEvent.seq)))]


def test_dispatcher_merges_from_the_queue_then_undoes_it(console, hl, who):
    lead = new_order(hl, who, lead="M01")
    duplicate = new_order(hl, who, phone="13900139000")
    app = console("disp")

    async def scenario(pilot):
        assert offered(app, "merge")  # the to-dispatch queue, the duplicate under the cursor
        await act(pilot, "m", *duplicate, submit=False)  # into itself: refused inline
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        assert "不能并入" in screen_text(app)
        assert app.screen.query_one("#a-into", Input).value == duplicate  # kept
        app.screen.query_one("#a-into", Input).value = ""
        await pilot.press(*lead, "tab", *"same")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)
        assert load(hl, duplicate)[0].state == "merged"
        await open_detail(pilot, duplicate)
        assert not offered(app, "merge") and offered(app, "unmerge")
        await act(pilot, "M", *"wrong lead")
        assert load(hl, duplicate)[0].state == "pending_dispatch"
        assert load(hl, duplicate)[0].parent_id is None

    drive(app, scenario)
    assert audit_actions(hl)[-2:] == ["unmerge", "merged_out"]


def test_merge_consult_release_are_not_offered_to_other_roles(console, hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    app = console("op")

    async def scenario(pilot):
        await open_detail(pilot, number)
        for name in ("merge", "unmerge", "consult", "release", "reveal"):
            assert not offered(app, name), name
        await pilot.press("m", "j", "l", "i", "M")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)  # no dialog opened

    drive(app, scenario)
    assert load(hl, number)[0].state == "pending_sign"


def test_supervisor_calls_a_consultation(console, hl, who):
    number = new_order(hl, who, lead="M01")
    app = console("sup")

    async def scenario(pilot):
        await open_detail(pilot, number)
        await act(pilot, "j", submit=False)
        await pilot.press("ctrl+s")  # the note is required
        await settle(pilot)
        assert isinstance(app.screen, ActionModal) and "必填" in screen_text(app)
        await pilot.press(*"three departments meet")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)

    drive(app, scenario)
    assert load(hl, number)[0].consulted


def test_release_a_co_handler_only(console, hl, who):
    number = new_order(hl, who, lead="M01", co=["M02"])
    app = console("disp")

    async def scenario(pilot):
        await open_detail(pilot, number)
        parts = app.screen.query_one("#detail-parts", DataGrid)
        assert parts.current is not None and parts.current.role == "lead"
        assert not offered(app, "release")  # the lead cannot be released
        await pilot.press("down")
        await settle(pilot)
        assert parts.current is not None and parts.current.role == "co"
        assert offered(app, "release")
        await act(pilot, "l", *"not needed")
        assert not isinstance(app.screen, ActionModal)

    drive(app, scenario)
    states = {p.role: p.state for p in load(hl, number)[1]}
    assert states == {"lead": "pending_sign", "co": "released"}


def test_handler_reveals_the_masked_caller_with_a_reason(console, hl, who):
    number = new_order(hl, who, lead="M01")
    secret = new_order(hl, who, lead="M01", confidential=True)
    app = console("h1")

    async def scenario(pilot):
        await open_detail(pilot, number)
        assert "138****8000" in screen_text(app)
        assert offered(app, "reveal") and offered(app, "attach")
        for name in ("edit", "merge", "consult", "release"):  # not a department's to do
            assert not offered(app, name), name
        await act(pilot, "i", submit=False)
        assert isinstance(app.screen, RevealModal)
        await pilot.press("ctrl+s")  # no reason: refused, nothing recorded
        await settle(pilot)
        assert isinstance(app.screen, RevealModal)
        await pilot.press(*"call back")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert "13800138000" in screen_text(app)
        app.poll_feed()  # the reveal's own audit record comes back through the change feed
        await settle(pilot)
        assert "13800138000" in screen_text(app)  # and the number stays shown
        app.pop_screen()
        await settle(pilot)
        await open_detail(pilot, secret)  # confidential: no caller at all, nothing to reveal
        assert not offered(app, "reveal")

    drive(app, scenario)
    with hl.reading() as s:
        reveals = list(s.exec(select(AuditEvent).where(AuditEvent.action == "caller.reveal")))
    assert [(e.actor, e.note) for e in reveals] == [("h1", "call back")]


def test_edit_saves_only_the_changed_fields(console, hl, who):
    number = new_order(hl, who, lead="M01", description="路灯不亮")
    app = console("op")

    async def scenario(pilot):
        await open_detail(pilot, number)
        await act(pilot, "E", submit=False)
        modal = app.screen
        assert modal.query_one("#a-description", TextArea).text == "路灯不亮"  # starts filled
        await pilot.press(*"Lamp")  # the title is the first field
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)

    drive(app, scenario)
    ticket, _ = load(hl, number)
    assert (ticket.title, ticket.description, ticket.version) == ("Lamp", "路灯不亮", 3)


def test_edit_an_order_with_category_and_area_changes_the_area_only(console, hl, who):
    category = leaf_code(hl, "营业执照办理")
    number = intake.register(
        hl,
        who["op"],
        IntakeInput(request_type="consult", description="咨询执照", category=category, area="D1"),
        Disposition(kind="queue"),
    ).number
    with hl.reading() as s:
        area_name = s.exec(select(Area.name).where(Area.code == "D1")).one()
    app = console("op")

    async def scenario(pilot):
        await open_detail(pilot, number)
        assert f"区划：{area_name}" in screen_text(app)  # its name, not the code D1
        await act(pilot, "E", submit=False)
        modal = app.screen
        assert modal.query_one("#a-category", Picker).value == category  # starts filled
        assert modal.query_one("#a-area", Picker).value == "D1"
        modal.query_one("#a-area", Picker).focus()
        await settle(pilot)
        await pilot.press(*["backspace"] * 4, *"yq")  # 乙区 by its pinyin initials
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert modal.query_one("#a-area", Picker).value == "D2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)

    drive(app, scenario)
    with hl.reading() as s:
        ticket = s.exec(select(Ticket).where(Ticket.number == number)).one()
        area = s.get(Area, ticket.area_id)
        cat = s.get(Category, ticket.category_id)
    assert (area.code if area else None, cat.code if cat else None) == ("D2", category)


def test_edit_conflict_names_who_and_keeps_the_typing(console, hl, who):
    number = new_order(hl, who, lead="M01", description="路灯不亮")
    app = console("op")

    async def scenario(pilot):
        await open_detail(pilot, number)
        await act(pilot, "E", *"My title", submit=False)
        editing.edit(hl, who["disp"], number, {"address": "东门"})  # someone else saves first
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionModal)
        shown = screen_text(app)
        assert "disp" in shown and "（修改工单）" in shown
        assert app.screen.query_one("#a-title", Input).value == "My title"

    drive(app, scenario)
    ticket, _ = load(hl, number)
    assert (ticket.title, ticket.address) == ("", "东门")


def test_edit_not_offered_once_closed(console, hl, who):
    number = new_order(hl, who)
    intake.answer(hl, who["op"], number, "已答复")
    app = console("op")

    async def scenario(pilot):
        await open_detail(pilot, number)
        assert not offered(app, "edit")
        assert offered(app, "attach")  # a closed order still takes materials

    drive(app, scenario)


def test_attach_list_and_view_a_material(console, hl, who, tmp_path):
    number = new_order(hl, who, lead="M01")
    source = tmp_path / "说明.txt"
    source.write_text("井盖缺失，位于东门。", encoding="utf-8")
    app = console("op")

    async def scenario(pilot):
        await open_detail(pilot, number)
        await act(pilot, "A", *str(tmp_path / "missing.txt"))  # no such file: refused
        assert isinstance(app.screen, ActionModal) and "找不到文件" in screen_text(app)
        app.screen.query_one("#a-path", Input).value = str(source)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert "说明.txt" in screen_text(app)
        await pilot.press("O")
        await settle(pilot)
        assert isinstance(app.screen, MaterialsModal) and "说明.txt" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MaterialViewer)
        assert "井盖缺失，位于东门。" in screen_text(app)

    drive(app, scenario)
    with hl.reading() as s:
        assert [m.filename for m in s.exec(select(Material))] == ["说明.txt"]


def test_a_department_on_the_order_sees_the_material(console, hl, who, tmp_path):
    number = new_order(hl, who, lead="M01", co=["M02"])
    source = tmp_path / "photo.bin"
    source.write_bytes(b"\x00\x01binary")
    app = console("h2")

    async def scenario(pilot):
        await open_detail(pilot, number)
        await act(pilot, "A", *str(source))
        await pilot.press("O")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "非文本文件" in shown and "存放位置" in shown

    drive(app, scenario)


def waiting_for_visit(hl, who, reply: str = "已修复") -> str:
    """An order whose reply passed review: it waits for its return visit."""
    number: str = new_order(hl, who, lead="M01", description="路灯不亮")
    handling.sign(hl, who["h1"], number)
    handling.reply(hl, who["h1"], number, text=reply)
    closing.review(hl, who["disp"], number, passed=True)
    return number


async def open_visit_due(pilot) -> None:
    """F5 (return visits), then F7 (visits due)."""
    for key in ("f5", "f7"):
        await pilot.press(key)
        await settle(pilot)
    assert isinstance(pilot.app.screen, VisitDueScreen)


def test_visit_due_board_from_the_visit_mode(console, hl, who, clock):
    late = waiting_for_visit(hl, who)
    clock.advance(days=10)
    app = console("op")

    async def scenario(pilot):
        await open_visit_due(pilot)
        shown = screen_text(app)
        assert late in shown and "已超期 1 件" in shown and "已修复" in shown  # the reply to read
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuickVisit)
        await pilot.press("1", "1", "ctrl+s")  # resolved, satisfied, no note: record
        await settle(pilot)
        assert "工单已办结" in screen_text(app)  # what was recorded, until Enter
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VisitDueScreen)
        assert "回访到期 0 件" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, VisitDueScreen)

    drive(app, scenario)
    assert load(hl, late)[0].state == "closed"


def test_the_return_decision_shows_the_departments_basis(console, hl, who):
    number = new_order(hl, who, lead="M01")
    handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="属于住建局职责")
    app = console("disp")

    async def scenario(pilot):
        await pilot.press("right_square_bracket")  # 退单审核
        await settle(pilot)
        await act(pilot, "y", submit=False)
        assert "属于住建局职责" in screen_text(app)

    drive(app, scenario)


def test_the_order_view_names_the_lead_and_the_flags(console, hl, who):
    lead, duplicate = new_order(hl, who, lead="M01"), new_order(hl, who, phone="13900139000")
    intake.merge(hl, who["disp"], duplicate, lead, "同一问题")
    supervision.consult(hl, who["sup"], lead, "组织会商")
    app = console("disp")

    async def scenario(pilot):
        await open_detail(pilot, duplicate)
        assert f"已并入工单 {lead}" in screen_text(app)
        app.pop_screen()
        await settle(pilot)
        await open_detail(pilot, lead)
        shown = screen_text(app)
        assert f"重复件：{duplicate}" in shown and "已会商" in shown

    drive(app, scenario)
