"""What must be read can be read (issue 15, item 7), at 80×24 in both modes: a department's reply
and a timeline note whole on Enter, the co-handlers' opinions in the order view, the timeline in
words, departments by their short names, knowledge titles over the whole line, and every key of
the order view on its key line or, when the line has no room, under F1."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from sqlalchemy import text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from hotline_tui.services.reference.pickers import PickItem
from hotline_tui.services.tickets import handling
from hotline_tui.ui.screens.detail import OrderDetailScreen
from hotline_tui.ui.screens.help import HelpScreen, help_lines
from hotline_tui.ui.screens.queues import QueuesScreen
from hotline_tui.ui.screens.record_viewer import RecordViewer
from hotline_tui.ui.widgets.kb_line import SuggestLine, shares
from hotline_tui.ui.widgets.keybar import KeyBar
from hotline_tui.ui.widgets.picker import pick_line
from tests.kb_index.service_helpers import published
from tests.services.tickets.helpers import new_order
from tests.ui.conftest import drive, screen_text, settle
from tests.ui.test_kb import describe
from tests.ui.test_order_tools import open_detail

MODES = [pytest.param(False, id="default"), pytest.param(True, id="low-bandwidth")]

CO_OPINION = (
    "经现场核查，该商铺已于上月办理营业执照变更登记，相关材料齐全，"
    "请主办单位结合市场监管职责一并答复来电人，社保缴费记录另行函告。"
)
LEAD_REPLY = (
    "已联系来电人说明营业执照变更的办理流程和所需材料，"
    "来电人表示理解，并约定下周到区政务服务中心窗口办理，尾句在此。"
)


def two_departments(hl, who, *, lead_replied: bool = False) -> str:
    """An order with M01 leading and M03 co-handling; M03 has given its opinion."""
    number = new_order(hl, who, lead="M01", co=["M03"])
    handling.sign(hl, who["h1"], number)
    handling.sign(hl, who["h3"], number)
    handling.reply(hl, who["h3"], number, text=CO_OPINION)
    if lead_replied:
        handling.reply(hl, who["h1"], number, text=LEAD_REPLY)
    return str(number)


def flat(app) -> str:
    """The screen's text with its line breaks taken out (a wrapped text reads as one)."""
    return "".join(line.strip() for line in screen_text(app).splitlines())


def dialog_text(app) -> str:
    """The text inside the dialog's border, its line breaks taken out."""
    inside = [
        line[line.index("│") + 1 : line.rindex("│")].strip()
        for line in screen_text(app).splitlines()
        if line.count("│") >= 2
    ]
    return "".join(inside)


@pytest.mark.parametrize("lean", MODES)
def test_enter_reads_a_part_and_a_timeline_event_whole(console, hl, who, lean):
    number = two_departments(hl, who, lead_replied=True)
    app = console("disp", low_bandwidth=lean)

    async def scenario(pilot):
        await open_detail(pilot, number)
        assert "尾句在此" not in screen_text(app)  # the 说明 column cuts the reply
        await pilot.press("enter")  # on the lead's part
        await settle(pilot)
        assert isinstance(app.screen, RecordViewer)
        shown = dialog_text(app)
        assert LEAD_REPLY in shown and "测试市市场监督管理局（主办）" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        timeline = app.screen.query_one("#detail-timeline", DataTable)
        timeline.focus()
        detail = app.screen.detail
        assert detail is not None
        replies = [i for i, e in enumerate(detail.timeline) if e.note == LEAD_REPLY]
        timeline.move_cursor(row=replies[0], animate=False)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordViewer)
        shown = dialog_text(app)
        assert LEAD_REPLY in shown and "动作：答复（reply）" in shown
        assert "M01 测试市市场监督管理局" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)

    drive(app, scenario)


@pytest.mark.parametrize("user", ["h1", "disp"])
@pytest.mark.parametrize("lean", MODES)
def test_the_lead_reads_the_co_handlers_opinion_in_the_order_view(console, hl, who, user, lean):
    number = two_departments(hl, who)
    app = console(user, low_bandwidth=lean)

    async def scenario(pilot):
        await open_detail(pilot, number)
        shown = flat(app)
        assert "协办意见：" in shown
        assert CO_OPINION in shown  # whole, wrapped, not cut in the 说明 column

    drive(app, scenario)


@pytest.mark.parametrize("lean", MODES)
def test_the_timeline_shows_actions_in_words(console, hl, who, lean):
    number = two_departments(hl, who)
    app = console("h1", low_bandwidth=lean)

    async def scenario(pilot):
        await open_detail(pilot, number)
        rows = app.screen.query_one("#detail-timeline", DataTable)
        actions = {str(rows.get_cell_at(Coordinate(i, 2))).strip() for i in range(rows.row_count)}
        assert {"受理", "派单", "分派单位", "签收", "工单随主办变更", "答复"} <= actions
        assert not actions & {"register", "dispatch", "assign", "sign", "follow_lead", "reply"}

    drive(app, scenario)


def long_short_names(hl) -> None:
    """Short names as long as the demo city's longest (市公积金中心, 东湖市监分局)."""
    with hl.engines.write.begin() as conn:  # the catalogue as an import would leave it
        for code, short in (("M01", "东湖市监分局"), ("M03", "西山市监分局")):
            conn.execute(
                text("UPDATE department SET short_name = :s WHERE code = :c"),
                {"s": short, "c": code},
            )


@pytest.mark.parametrize("lean", MODES)
def test_departments_show_their_short_names_whole(console, hl, who, lean):
    long_short_names(hl)
    number = two_departments(hl, who)
    app = console("h1", low_bandwidth=lean)

    async def scenario(pilot):
        assert isinstance(app.screen, QueuesScreen)
        await pilot.press("]")  # 办理中
        await settle(pilot)
        assert number in screen_text(app) and "东湖市监分局" in screen_text(app)
        await open_detail(pilot, number)
        parts = app.screen.query_one("#detail-parts", DataTable)
        names = [str(parts.get_cell_at(Coordinate(i, 0))).strip() for i in range(parts.row_count)]
        assert names == ["东湖市监分局", "西山市监分局"]

    drive(app, scenario)


LONG_TITLE = "个体工商户营业执照遗失后如何补办以及补办需要准备哪些材料"


@pytest.mark.parametrize("lean", MODES)
def test_a_knowledge_title_uses_the_whole_line(console, hl, who, lean):
    published(hl, who["adm"], title=LONG_TITLE)
    published(hl, who["adm"], title="营业执照办理")
    app = console("op", low_bandwidth=lean)

    async def scenario(pilot):
        await describe(pilot, "营业执照遗失补办")
        line = app.screen.query_one(SuggestLine)
        shown = line.render().plain
        if lean:  # the best title only
            assert LONG_TITLE in shown
        else:  # the short one whole, the long one cut only where the line ends
            assert "2.营业执照办理" in shown
            assert line.size.width - 2 <= line.render().cell_length <= line.size.width

    drive(app, scenario)


@pytest.mark.parametrize(("user", "lead_replied"), [("disp", False), ("h1", False), ("h3", True)])
@pytest.mark.parametrize("lean", MODES)
def test_every_key_of_the_order_view_is_readable_at_80_columns(
    console, hl, who, user, lead_replied, lean
):
    number = two_departments(hl, who, lead_replied=lead_replied)
    app = console(user, low_bandwidth=lean)

    async def scenario(pilot):
        await open_detail(pilot, number)
        screen = app.screen
        line = screen_text(app).splitlines()[-1]
        bar = screen.query_one(KeyBar)
        assert bar.render().cell_length <= 80
        assert "f1 帮助" in line  # whole, and last: it lists what the line has no room for
        shown = [e.description for e in bar._entries if e.description in line]
        listed = {description for _keys, description, _on in help_lines(screen)}
        for entry in bar._entries:
            assert entry.description in shown or entry.description in listed, entry
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)

    drive(app, scenario)


def test_titles_share_the_line_by_need():
    assert shares([10, 20], 40) == [10, 20]  # all fit
    assert shares([6, 40, 40], 50) == [6, 22, 22]  # the short one whole, the rest halved
    assert shares([60, 14], 50) == [36, 14]  # the 30 cells a short title leaves go to the long


def test_a_picker_line_keeps_the_short_name_whole_when_the_full_name_is_cut():
    east = PickItem("dept", "D0101", "青川市市场监督管理局东湖分局", "东湖市监分局", "D0101")
    west = PickItem("dept", "D0201", "青川市市场监督管理局西山分局", "西山市监分局", "D0201")
    lines = [pick_line(item, 30) for item in (east, west)]
    assert lines[0].startswith("东湖市监分局  D0101") and lines[1].startswith("西山市监分局")
    assert all(cell_len(line) <= 30 for line in lines)
    city = PickItem("dept", "M01", "青川市市场监督管理局", "市监局", "M01")
    assert pick_line(city) == "青川市市场监督管理局（市监局）  M01"  # room: the full name
