"""The four gaps seen at 80×24, through the console's own output: the bytes the app writes in
each mode go to a terminal emulator, and what it shows must be what the app drew, wide
characters whole. A pick list dropped over the form cut them: its own lines at the edges of the
fields beneath it (``环境保护/大  污染/餐  油烟``, ``协办单位   川市东湖区…``), and, once closed,
the repaint of its region cut the message line and the key line at its edges
(``已按知识  文章 2``, ``f4 队   f5 回访``)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import Area, Category, Department
from hotline_tui.services import uow as uow_module
from hotline_tui.services.admin.users import system_actor
from hotline_tui.services.context import Hotline
from hotline_tui.services.uow import UnitOfWork
from hotline_tui.ui.app import HotlineApp
from hotline_tui.ui.i18n import tr
from hotline_tui.ui.widgets.bars import MessageLine
from tests.ui.conftest import drive, screen_text, settle
from tests.ui.terminal_screen import Terminal, watch

DISTRICT_OFFICES = [
    "生态环境分局",
    "市场监督管理局",
    "住房和城乡建设局",
    "城市管理局",
    "交通运输局",
]
DISTRICT_OFFICES += ["水务局", "卫生健康局", "教育局"]


def seed_city(hl: Hotline) -> None:
    """The demo city's names the gaps were seen in: a three-level category, a district with
    eight offices (enough for the co-handler list to reach the key line)."""

    def work(uow: UnitOfWork) -> None:
        s = uow.session
        parent: int | None = None
        for level, name in enumerate(["环境保护", "大气污染", "餐饮油烟"], start=1):
            path = "/".join(["环境保护", "大气污染", "餐饮油烟"][:level])
            category = Category(
                code=f"E{level}", name=name, level=level, parent_id=parent, path=path
            )
            s.add(category)
            s.flush()
            parent = category.id
        for i, office in enumerate(DISTRICT_OFFICES):
            short = "东湖" + office[:2]
            s.add(
                Department(
                    code=f"Q{i}", name="青川市东湖区" + office, short_name=short, kind="district"
                )
            )
        city = s.exec(select(Area).where(Area.code == "C1")).one()
        s.add(Area(code="D3", name="东湖区", parent_id=city.id, level="district"))
        uow.record("test.seed", entity="reference")

    uow_module.write(hl, system_actor(hl), work)


def shown(terminal: Terminal) -> list[str]:
    return [row.rstrip() for row in terminal.rows]


def drawn(app: HotlineApp) -> list[str]:
    return [row.rstrip() for row in screen_text(app).split("\n")]


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["default", "low-bandwidth"])
def test_chinese_characters_stay_on_the_terminal_when_pick_lists_open_and_close(
    console, hl, low_bandwidth
):
    seed_city(hl)
    app = console("op", low_bandwidth=low_bandwidth)
    terminal = watch(app)

    async def scenario(pilot):
        async def keys(*typed: str) -> None:
            await pilot.press(*typed)
            await settle(pilot)
            assert shown(terminal) == drawn(app)  # every repaint, not just the last

        # name, caller kind, type (→ 投诉), urgency, confidential, channel and call-back number
        await keys(*"13800138000", "tab", "tab", "tab", "right", "right", *["tab"] * 5)
        await keys(*"cyyy")  # 分类 by initials: the list drops over 区划 and 地址
        assert any("餐饮油烟  环境保护/大气污染/餐饮油烟" in row for row in shown(terminal))
        await keys("enter", "tab", *"dhq", "enter", "tab", *"幸福路口东", "tab", *"饭店油烟很大")
        await keys("tab", "tab", *"sthj")  # 主办单位: its list drops over 协办单位
        assert any(row.startswith("协办单位 青川市东湖区生态环境分局") for row in shown(terminal))
        await keys("enter")
        message = tr("kb.answered", id=2, number="20260302000001", state="已办结")
        app.screen.query_one(MessageLine).show(message)
        await keys("tab", *"qcs")  # 协办单位: eight matches, down over the message and key lines
        await keys("enter", "escape")  # closed: the lines beneath are repainted
        rows = shown(terminal)
        assert message in rows
        assert "f4 队列 f5 回访" in rows[-1]

    drive(app, scenario)
