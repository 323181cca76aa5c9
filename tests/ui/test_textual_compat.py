"""What the console relies on in Textual's private API (``ui/textual_compat.py``): the version it
was verified against, the shapes, and each reliance doing what it is used for. An upgrade of
Textual fails here first, naming what to read again."""

from __future__ import annotations

import ast
import asyncio
import importlib
import logging
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import textual
import textual.widgets
from rich.align import Align
from textual import _compositor
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.command import CommandList
from textual.drivers import linux_driver, linux_inline_driver
from textual.screen import Screen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from hotline_tui.ui import lean_output, textual_compat
from hotline_tui.ui.app import HotlineApp
from hotline_tui.ui.i18n import tr
from hotline_tui.ui.palette import ConsolePalette
from hotline_tui.ui.paste_input import PasteSafeParser
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.widgets.lean import LeanTextArea
from tests.ui.conftest import drive, until

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "hotline_tui" / "ui"
COMPAT = textual_compat.__name__
PARSER = "XTermParser"  # the drivers' module global the console replaces
NAMED_TUPLE = {"_replace", "_asdict", "_fields", "_make"}  # public, despite the underscore
UPGRADE = (
    "Textual changed: read each reliance listed in hotline_tui/ui/textual_compat.py against the "
    "new version, fix what moved, then set VERIFIED"
)


# ------------------------------------------------------------------ the version and the shapes


def test_textual_is_the_version_the_reliances_were_verified_against():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = re.search(r"^textual==(\S+)$", lock, re.MULTILINE)
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pinned is not None
    assert "textual==" + textual_compat.VERIFIED in declared["project"]["dependencies"], UPGRADE
    assert pinned[1] == textual_compat.VERIFIED, UPGRADE
    assert textual.__version__ == textual_compat.VERIFIED, UPGRADE


def test_every_private_name_relied_on_has_the_shape_it_had():
    assert textual_compat.problems() == [], UPGRADE
    assert textual_compat.check()


def _private(cls: type) -> set[str]:
    return {n for n in vars(cls) if n.startswith("_") and not n.startswith("__")}


def _textual_private_names() -> set[str]:
    """Every private (single underscore) name of the Textual classes the console loads, and of
    every widget."""
    import hotline_tui.ui.app  # noqa: F401 (what the console loads)

    for widget in textual.widgets.__all__:  # type: ignore[attr-defined]
        getattr(textual.widgets, widget)
    names: set[str] = set()
    for name, module in list(sys.modules.items()):
        if name.startswith("textual.") and module is not None:
            for cls in vars(module).values():
                if isinstance(cls, type) and cls.__module__ == name:
                    names |= _private(cls)
    return names - NAMED_TUPLE


def _own_names(tree: ast.Module) -> set[str]:
    """Private names the module itself defines (functions, classes, assignments)."""
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            own.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            own.add(node.id)
        elif isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            own.update(t.attr for t in targets if isinstance(t, ast.Attribute))
    return own


def test_no_other_console_module_touches_a_private_name_of_textual():
    textual_names = _textual_private_names()
    found: list[str] = []
    for path in sorted(UI.rglob("*.py")):
        if path.name == "textual_compat.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = _own_names(tree)
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            module = ""
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module + "".join(f".{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                module = " ".join(a.name for a in node.names)
            if re.search(r"\b(textual|rich)(\.\w+)*\._", module):
                found.append(f"{where}:{node.lineno} imports {module}")  # type: ignore[attr-defined]
            if isinstance(node, ast.Attribute) and node.attr in textual_names - own:
                found.append(f"{where}:{node.lineno} reads {node.attr}")
    # An attribute read is Textual's unless the module names it itself (a helper may share a
    # name with one of Textual's by chance).
    assert found == []


def test_no_other_console_class_overrides_a_private_name_of_textual():
    found: list[str] = []
    for path in sorted(UI.rglob("*.py")):
        if path.name == "__main__.py":
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for cls in vars(importlib.import_module(name)).values():
            if not isinstance(cls, type) or cls.__module__ != name:
                continue
            textuals = set().union(
                *(_private(k) for k in cls.__mro__ if k.__module__.startswith("textual"))
            )
            made = _private(type("Probe", (cls,), {}))  # set on every class by Textual itself
            for own in cls.__mro__:
                if own.__module__.startswith("hotline_tui.ui") and own.__module__ != COMPAT:
                    # A reactive of ours (``focused``, public) keeps its default in ``_default_*``.
                    mine = {n for n in _private(own) if n.removeprefix("_default_") in vars(own)}
                    found += [
                        f"{own.__qualname__}.{n}" for n in _private(own) & textuals - made - mine
                    ]
    assert sorted(set(found)) == []


def test_on_another_version_the_replacements_are_refused_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(textual, "__version__", "99.0.0")
    monkeypatch.setattr(textual_compat, "_replaced", set())
    monkeypatch.setattr(textual_compat, "_reported", False)
    before = (_compositor.ChopsUpdate.render_segments, getattr(linux_driver, PARSER))
    textual_compat.check.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=textual_compat.__name__):
            assert not textual_compat.check()
            assert not textual_compat.replace_compositor_output(
                lean_output._render_segments, lean_output._render_chops
            )
            assert not textual_compat.replace_terminal_parser(PasteSafeParser)
            textual_compat.report()
            textual_compat.report()  # once
    finally:
        textual_compat.check.cache_clear()
    assert (_compositor.ChopsUpdate.render_segments, getattr(linux_driver, PARSER)) == before
    assert "Textual 99.0.0" in caplog.text and textual_compat.VERIFIED in caplog.text
    assert len(caplog.records) == 1


# ------------------------------------------------------------------ each reliance, at work


def test_the_console_replaces_the_output_and_the_input_parser(console):
    app = console("op")

    async def scenario(pilot):
        assert lean_output.installed()
        assert _compositor.ChopsUpdate.render_segments is lean_output._render_segments
        assert _compositor.Compositor._render_chops is lean_output._render_chops
        assert getattr(linux_driver, PARSER) is PasteSafeParser
        assert getattr(linux_inline_driver, PARSER) is PasteSafeParser
        assert textual_compat.current_app() is app

    drive(app, scenario)


def test_the_bindings_read_are_the_console_s(console):
    app: HotlineApp = console("op")

    async def scenario(pilot):
        await until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
        chain = textual_compat.binding_chain(app.screen)
        assert chain[-1][0] is app
        assert all(isinstance(bindings, BindingsMap) for _node, bindings in chain)
        ids = {b.id for _key, b in textual_compat.app_bindings(app)}
        assert {"help", "lock", "mode.kb"} <= ids
        help_key = next(b for _key, b in textual_compat.app_bindings(app) if b.id == "help")
        assert textual_compat.action_state(app, help_key.action, app) is True

    drive(app, scenario)


class Widgets(App[None]):
    BINDINGS: ClassVar[list[Any]] = [Binding("f9", "nothing", "无", id="nothing")]

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield OptionList(Option("一\n二"), Option("三"), id="options")
        yield LeanTextArea(id="area")


class Spy(Screen[None]):
    """A screen whose focus changes are counted by the hook."""

    restyled: ClassVar[list[tuple[object, object]]] = []

    def compose(self) -> ComposeResult:
        yield Input(id="one")
        yield Input(id="two")


class SpyScreen(textual_compat.FocusStylesHook, Spy):
    def restyle_focus(self, focused: Any, blurred: Any) -> None:
        self.restyled.append((focused, blurred))


@pytest.fixture
def widgets() -> Iterator[Widgets]:
    yield Widgets()


def test_the_widget_reads_are_cells_lines_and_the_cursor(widgets):
    async def main() -> None:
        async with widgets.run_test(size=(80, 24)) as pilot:
            field = widgets.query_one("#field", Input)
            field.value = "中a文"
            assert textual_compat.input_cells(field, 2) == 3
            assert textual_compat.input_cells(field, 3) == 5
            options = widgets.query_one("#options", OptionList)
            await pilot.pause()
            assert list(textual_compat.option_lines(options))[:3] == [(0, 0), (0, 1), (1, 0)]
            area = widgets.query_one("#area", LeanTextArea)
            area.focus()
            await pilot.press("中", "x")
            assert textual_compat.text_area_cursor(area) == (3, 0)

    asyncio.run(main())


def test_the_overrides_are_called(widgets, monkeypatch):
    blinks: list[bool] = []
    monkeypatch.setattr(LeanTextArea, "cursor_visibility_changed", lambda self: blinks.append(True))

    async def main() -> None:
        async with widgets.run_test(size=(80, 24)) as pilot:
            widgets.query_one("#area", LeanTextArea).focus()
            await pilot.pause()
            assert blinks  # the cursor was shown on focus
            SpyScreen.restyled.clear()
            await widgets.push_screen(SpyScreen())
            await pilot.press("tab")
            await pilot.pause()
            one, two = widgets.screen.query_one("#one"), widgets.screen.query_one("#two")
            assert (two, one) in SpyScreen.restyled

    asyncio.run(main())


def test_the_palette_says_no_match_in_chinese(widgets):
    async def main() -> None:
        async with widgets.run_test(size=(80, 24)) as pilot:
            palette = ConsolePalette()
            await widgets.push_screen(palette)
            assert palette.placeholder_text == tr("palette.placeholder")
            await pilot.press(*"zzzqqq")
            options = palette.query_one(CommandList)
            shown: list[Option] = []

            def no_match_line() -> bool:
                # Held as it is shown: the next search (of the keys behind) takes it away.
                shown.extend(o for o in options.options if o.id == "--no-matches")
                return bool(shown)

            await until(pilot, no_match_line)
            prompt = shown[0].prompt
            assert isinstance(prompt, Align)
            assert tr("palette.none") in str(prompt.renderable)

    asyncio.run(main())
