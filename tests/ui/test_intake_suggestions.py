"""The intake's suggestions at 80×24 on a demo city, with models trained here on hand-written
texts (:mod:`tests.ui.suggestion_texts`): a sure suggestion fills the empty fields in, marked,
and Ctrl+R empties them again; an unsure one is offered first in the pickers; without a model
file nothing shows and nothing changes; what was suggested is logged with the order."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import col, select

from db.models import Category, NlpSuggestion, Ticket
from hotline_tui.services.context import Hotline
from hotline_tui.services.nlp import files
from hotline_tui.services.nlp.datasets import Examples
from hotline_tui.services.nlp.training import train
from hotline_tui.ui.screens.intake import IntakeScreen
from hotline_tui.ui.widgets.bars import MessageLine
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.kb_line import SuggestLine
from hotline_tui.ui.widgets.still import StillLine
from tests.ui.conftest import drive, screen_text, settle, until
from tests.ui.stats_city import City, seed_city
from tests.ui.suggestion_texts import FUMES, examples

PHONE = "13912340000"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> City:
    return seed_city(tmp_path_factory.mktemp("nlp-city"), orders=60)


@pytest.fixture(scope="module")
def trained() -> dict[str, Any]:
    return {task: train(Examples(*examples(task)), task) for task in files.TASKS}


@pytest.fixture
def core(city: City) -> Iterator[Hotline]:
    hl = city.core()
    shutil.rmtree(city.folder / "drafts", ignore_errors=True)  # no call left from the last test
    yield hl
    hl.close()
    shutil.rmtree(city.folder / "nlp", ignore_errors=True)  # the next test's own models


def install(city: City, trained: dict[str, Any], threshold: float | None = None) -> None:
    """The three models under the city's data directory (``threshold``: instead of theirs)."""
    for task, model in trained.items():
        meta = dict(model.meta)
        if threshold is not None:
            meta["threshold"] = threshold
        files.save(files.model_path(city.folder, task), task, model.model, meta)


def category_code(hl: Hotline, path: str) -> str:
    with hl.reading() as s:
        return str(s.exec(select(Category.code).where(Category.path == path)).one())


def logged(hl: Hotline, number: str) -> list[tuple[str, str, bool, str | None]]:
    with hl.reading() as s:
        ticket = s.exec(select(Ticket).where(Ticket.number == number)).one()
        rows = s.exec(
            select(NlpSuggestion)
            .where(NlpSuggestion.ticket_id == ticket.id)
            .order_by(col(NlpSuggestion.id))
        ).all()
        return [(r.task, r.suggested, r.auto_filled, r.final) for r in rows]


def saved_number(screen: IntakeScreen) -> str:
    found = re.search(r"已保存工单 (\d+)", screen.query_one("#intake-message", MessageLine).message)
    assert found, screen.query_one("#intake-message", MessageLine).message
    return found.group(1)


async def describe(pilot: Any, text: str = FUMES) -> IntakeScreen:
    """Type a caller's phone and ``text`` into the description; wait for the suggestions."""
    screen = pilot.app.screen
    assert isinstance(screen, IntakeScreen)
    await pilot.press(*PHONE)
    screen.query_one("#description").focus()
    await pilot.press(*text)
    await until(pilot, lambda: not screen.nlp.pending and screen.nlp.offers is not None)
    return screen


def test_a_sure_suggestion_fills_the_empty_fields_marked_and_ctrl_r_empties_them(
    city, core, trained
):
    install(city, trained)
    app = city.console(core, "op1")

    async def scenario(pilot):
        screen = await describe(pilot)
        form = screen.form
        kind = form.query_one("#request_type", Choice)
        category = form.picker("category")
        assert kind.value == "complaint" and kind.has_class("-suggested")
        assert category.value == category_code(core, "环境保护")
        assert category.has_class("-suggested")
        assert form.picker("lead").value == "M05"  # and the catalogue's rule agrees
        shown = screen_text(app)
        rows = shown.splitlines()
        assert len(rows) == 24 and "f10 保存" in rows[-1]  # the key bar still on the last row
        line = next(row for row in rows if row.startswith("建议 "))
        assert "类型:投诉*" in line and "分类:" in line and "*已填 ^R撤销" in line
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert kind.value == "consult" and not kind.has_class("-suggested")
        assert category.value is None and category.text == ""
        assert not category.has_class("-suggested")
        assert "已撤销建议填写：类型、分类" in screen_text(app)
        assert "*已填" not in screen_text(app)
        await pilot.press(*"，还有噪音")  # typed on: what was undone is not filled in again
        await until(pilot, lambda: not screen.nlp.pending)
        assert kind.value == "consult" and category.value is None

    drive(app, scenario)


def test_kept_suggestions_are_logged_with_the_registration(city, core, trained):
    install(city, trained)
    app = city.console(core, "op1")

    async def scenario(pilot):
        screen = await describe(pilot)
        await pilot.press("f10")
        await until(pilot, lambda: not screen.saving)
        number = saved_number(screen)
        rows = logged(core, number)
        assert [(task, auto) for task, _label, auto, _final in rows] == [
            ("request_type", True),
            ("category", True),
            ("department", True),  # and the catalogue's rule for 环境保护 agrees: kept
        ]
        assert rows[0][1] == rows[0][3] == "complaint"
        assert rows[1][1] == "环境保护" and rows[1][3] == "环境保护"
        assert rows[2][1] == rows[2][3] == "M05"

    drive(app, scenario)


def test_an_unsure_suggestion_fills_nothing_and_comes_first_in_the_picker(city, core, trained):
    install(city, trained, threshold=1.01)  # nothing is ever sure enough
    app = city.console(core, "op1")

    async def scenario(pilot):
        screen = await describe(pilot)
        form = screen.form
        assert form.query_one("#request_type", Choice).value == "consult"
        category = form.picker("category")
        assert category.value is None and not category.has_class("-suggested")
        assert "*已填" not in screen_text(app)
        category.focus()
        await settle(pilot)
        assert category.list_open
        assert screen.nlp.offers is not None
        task = screen.nlp.offers.get("category")
        assert task is not None
        offered = [o.item.code for o in task.offers if o.item]
        assert len(offered) == 3 and offered[0] == category_code(core, "环境保护/大气污染/餐饮油烟")
        assert [item.code for item in category._matches] == offered
        rows = screen_text(app).splitlines()
        assert any("餐饮油烟  建议" in row for row in rows)
        await pilot.press("enter")  # the first offered, picked
        await settle(pilot)
        assert category.value == offered[0] and not category.has_class("-suggested")
        await until(pilot, lambda: not screen.nlp.pending)  # asked again with the category
        assert "主办:市环境局 目录" in screen_text(app)  # the catalogue's rule leads the line
        await pilot.press(*"yyzz")  # typed: the pick list's own matches as before
        await settle(pilot)
        assert category.value is None

    drive(app, scenario)


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["full", "low-bandwidth"])
def test_without_a_model_file_nothing_shows_and_nothing_changes(city, core, low_bandwidth):
    app = city.console(core, "op1", low_bandwidth=low_bandwidth)

    async def scenario(pilot):
        screen = pilot.app.screen
        await pilot.press(*PHONE)
        screen.query_one("#description").focus()
        await pilot.press(*FUMES)
        await until(pilot, lambda: not screen.nlp.pending and not screen.kb.pending)
        assert screen.nlp.offers is None
        assert not screen.query_one("#nlp-line", StillLine).display
        assert screen.query_one(SuggestLine).suggestion == ""
        assert "建议" not in screen_text(app).replace("派单目录建议", "")
        assert screen.form.query_one("#request_type", Choice).value == "consult"
        assert screen.form.picker("category").value is None
        screen.query_one("#disposition", Choice).value = "queue"  # no lead to choose
        await pilot.press("f10")
        await until(pilot, lambda: not screen.saving)
        number = saved_number(screen)
        assert logged(core, number) == []

    drive(app, scenario)


def test_low_bandwidth_shows_the_suggestions_at_the_start_of_the_knowledge_line(
    city, core, trained
):
    install(city, trained)
    app = city.console(core, "op1", low_bandwidth=True)

    async def scenario(pilot):
        screen = await describe(pilot)
        assert not screen.query_one("#nlp-line", StillLine).display  # no line of its own
        rows = screen_text(app).splitlines()
        assert len(rows) == 24 and "f10 保存" in rows[-1]
        ours = [row for row in rows if "建议:" in row]
        assert len(ours) == 1 and ours[0].startswith("建议:投诉*·")
        assert "^R撤销" in ours[0] and len(ours[0]) <= 80

    drive(app, scenario)


def test_a_role_that_registers_nothing_never_loads_the_models(city, core, trained):
    install(city, trained)
    app = city.console(core, "dept1")  # a handler: registers no call

    async def scenario(pilot):
        await settle(pilot)
        assert not app.backend.nlp.started

    drive(app, scenario)
