"""Textual's private API, fenced: every private name of Textual the console relies on, the
version it was verified against, and the two patches of Textual's code.

No other module of the console touches a private name of Textual (``tests/ui/
test_textual_compat.py`` reads them all to be sure). What is relied on, and what for:

======================================================  =================  ======================
private name                                            used by            for
======================================================  =================  ======================
``_compositor.ChopsUpdate.render_segments``,            ``lean_output``    wide characters kept
``Compositor._render_chops`` (replaced),                                   whole; partial
``Compositor._get_renders``, ``_context.active_app``                       repaints cropped
``_xterm_parser.XTermParser`` (replaced in the Linux    ``paste_input``    pastes whole, in order
drivers), ``BRACKETED_PASTE_START`` / ``_END``
``Screen._update_focus_styles`` (overridden)            ``screens/base``   a lean focus change
``Screen._modal_binding_chain``,                        ``screens/help``   F1 lists the keys the
``App._check_action_state``                                                key line shows
``App._bindings``                                       ``app``            the palette's commands
``OptionList._lines``                                   ``widgets/         the highlighted row
                                                        selection``        in reverse video
``Input._position_to_cell``,                            ``widgets/lean``   repaint only what an
``TextArea._cursor_offset``, ``_cursor_visible``                           edit changed
(watched)
``CommandPalette._placeholder``,                        ``palette``        the palette's "no
``_start_no_matches_countdown`` (overridden) and the                       match" line in Chinese
names it uses
======================================================  =================  ======================

**The version.** Textual is pinned at :data:`VERIFIED` (``pyproject.toml``,
``requirements.lock``); :func:`check` compares the running Textual with it and with the shapes
listed in :data:`RELIANCES` (each name exists; a method takes the parameters it took). On any
other version, or a shape that differs, a warning goes to the log (:func:`report`, once the
session has started) and:

- the two *replacements* of Textual's code (:func:`replace_compositor_output`,
  :func:`replace_terminal_parser`) are refused: a compositor or an input parser that changed its
  meaning behind the same signature would garble every screen or every key, where Textual's own
  code is correct (a partial repaint then re-sends a widget's line from its start, and a wide
  character under the edge of a drop-down may be halved, as in stock Textual);
- the *overrides* (a private method of ours in a Textual subclass) need no guard: if Textual
  stops calling one, its default runs (a focus change restyles more, a blink repaints a row);
- the *reads* fall back to the public equivalent where there is one (the footer's active
  bindings for the help screen, the action's own ``check_action``) and otherwise to doing
  without (no reversed row: the stylesheet's colours still mark it).

The tests fail loudly on an upgrade, before a user sees any of this: the pinned version must be
:data:`VERIFIED`, every shape must match, and each reliance is exercised in a running console.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Final

import textual
from textual import _compositor, _xterm_parser
from textual._context import active_app
from textual.actions import parse
from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.command import CommandList, CommandPalette
from textual.drivers import linux_driver, linux_inline_driver
from textual.screen import Screen
from textual.widgets import Input, OptionList, TextArea
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.dom import DOMNode
    from textual.geometry import Region
    from textual.strip import Strip
    from textual.widget import Widget

__all__ = [
    "BRACKETED_PASTE_END",
    "BRACKETED_PASTE_START",
    "RELIANCES",
    "VERIFIED",
    "CursorVisibilityHook",
    "FocusStylesHook",
    "NoMatchesLine",
    "Reliance",
    "XTermParser",
    "action_state",
    "app_bindings",
    "binding_chain",
    "check",
    "current_app",
    "get_renders",
    "input_cells",
    "option_lines",
    "problems",
    "replace_compositor_output",
    "replace_terminal_parser",
    "report",
    "text_area_cursor",
]

log = logging.getLogger(__name__)

VERIFIED: Final = "8.2.8"
"""The Textual version every reliance below was read against (``requirements.lock``)."""

XTermParser = _xterm_parser.XTermParser
BRACKETED_PASTE_START: Final[str] = _xterm_parser.BRACKETED_PASTE_START
BRACKETED_PASTE_END: Final[str] = _xterm_parser.BRACKETED_PASTE_END


@dataclass(frozen=True)
class Reliance:
    """A private name of Textual: ``owner.name`` exists (and, for a method, takes
    ``parameters``)."""

    owner: object
    name: str
    parameters: tuple[str, ...] | None = None

    @property
    def label(self) -> str:
        owner = getattr(self.owner, "__qualname__", None) or getattr(self.owner, "__name__", "?")
        return f"{owner}.{self.name}"

    def problem(self) -> str | None:
        """What differs from the expected shape, or None."""
        if not hasattr(self.owner, self.name):
            return f"{self.label} is gone"
        if self.parameters is None:
            return None
        try:
            found = tuple(inspect.signature(getattr(self.owner, self.name)).parameters)
        except (TypeError, ValueError):
            return f"{self.label} has no signature"
        if found != self.parameters:
            return f"{self.label} takes {found}, not {self.parameters}"
        return None


RELIANCES: Final[tuple[Reliance, ...]] = (
    Reliance(_compositor.ChopsUpdate, "render_segments", ("self", "console")),
    Reliance(_compositor.ChopsUpdate, "__init__", ("self", "chops", "spans", "chop_ends")),
    Reliance(_compositor.Compositor, "_render_chops", ("self", "crop", "is_rendered_line")),
    Reliance(_compositor.Compositor, "_get_renders", ("self", "crop")),
    Reliance(_compositor.Compositor, "cuts"),
    Reliance(_xterm_parser.XTermParser, "__init__", ("self", "debug")),
    Reliance(_xterm_parser.XTermParser, "feed", ("self", "data")),
    Reliance(linux_driver, "XTermParser"),
    Reliance(linux_inline_driver, "XTermParser"),
    Reliance(Screen, "_update_focus_styles", ("self", "focused", "blurred")),
    Reliance(Screen, "_modal_binding_chain"),
    Reliance(App, "_check_action_state", ("self", "action", "default_namespace")),
    Reliance(OptionList, "_lines"),
    Reliance(Input, "_position_to_cell", ("self", "position")),
    Reliance(TextArea, "_cursor_visible"),
    Reliance(CommandPalette, "_start_no_matches_countdown", ("self", "search_value")),
    Reliance(CommandPalette, "_stop_no_matches_countdown", ("self",)),
    Reliance(CommandPalette, "_list_visible"),
    Reliance(CommandPalette, "_NO_MATCHES"),
    Reliance(CommandPalette, "_NO_MATCHES_COUNTDOWN"),
)
"""Every private name relied on that the classes show (the instance attributes ``App._bindings``,
``TextArea._cursor_offset`` and ``CommandPalette._placeholder`` are checked by the tests on live
widgets)."""


def problems() -> list[str]:
    """What differs between the running Textual and what the console relies on."""
    found = [] if textual.__version__ == VERIFIED else [f"Textual {textual.__version__}"]
    return found + [p for r in RELIANCES if (p := r.problem()) is not None]


@cache
def check() -> bool:
    """Whether the running Textual is the verified one, with every shape relied on."""
    return not problems()


_reported = False


def report() -> None:
    """Log a warning (once per process) if the running Textual is not the verified one.

    Called once the session has started: the console sets up its log file in the worker that
    opens the database, after the replacements were refused.
    """
    global _reported
    found = problems()
    if found and not _reported:
        _reported = True
        log.warning(
            "Textual %s is not the version the console was verified against (%s): %s; the "
            "console runs on Textual's own output and input code",
            textual.__version__,
            VERIFIED,
            "; ".join(found),
        )


# --------------------------------------------------------------------------- the replacements

_replaced: set[str] = set()


def replace_compositor_output(
    render_segments: Callable[[Any, Any], str],
    render_chops: Callable[[Any, Region, Callable[[int], bool]], Sequence[dict[int, Strip | None]]],
) -> bool:
    """Use ``render_segments`` for ``ChopsUpdate.render_segments`` and ``render_chops`` for
    ``Compositor._render_chops``; False (Textual's own kept) on a Textual not verified."""
    if "compositor" in _replaced:
        return True
    if not check():
        return False
    _compositor.ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign,assignment]
    _compositor.Compositor._render_chops = render_chops  # type: ignore[method-assign,assignment]
    _replaced.add("compositor")
    return True


def replace_terminal_parser(parser: type[XTermParser]) -> bool:
    """Make the Linux drivers read the terminal with ``parser`` (a subclass of
    :data:`XTermParser`); False (Textual's own kept) on a Textual not verified."""
    modules = (linux_driver, linux_inline_driver)
    if not check() or not all(
        getattr(m, "XTermParser", None) in (XTermParser, parser) for m in modules
    ):
        return False
    for module in modules:
        setattr(module, "XTermParser", parser)  # noqa: B010 (a module global)
    return True


def get_renders(compositor: Any, crop: Region) -> Iterable[tuple[Region, Region, list[Strip]]]:
    """The compositor's widgets in ``crop``: (region, clip, lines), back to front."""
    renders: Iterable[tuple[Region, Region, list[Strip]]] = compositor._get_renders(crop)
    return renders


def current_app() -> App[Any] | None:
    """The app whose code is running (the one painting), if any."""
    return active_app.get(None)


# --------------------------------------------------------------------------- the reads


def binding_chain(screen: Screen[Any]) -> list[tuple[DOMNode, BindingsMap]]:
    """(node, its bindings) from the focused widget up to the app, as the key line reads them;
    without Textual's chain, the active bindings (one per key)."""
    chain: list[tuple[DOMNode, BindingsMap]] | None = getattr(screen, "_modal_binding_chain", None)
    if chain is not None:
        return chain
    return [(a.node, BindingsMap([a.binding])) for a in screen.active_bindings.values()]


def action_state(app: App[Any], action: str, node: DOMNode) -> bool | None:
    """Whether ``action`` (a binding's, on ``node`` unless it names another) is enabled now
    (None: shown disabled)."""
    check_state = getattr(app, "_check_action_state", None)
    if check_state is not None:
        state: bool | None = check_state(action, node)
        return state
    _target, name, parameters = parse(action)  # the node's own check, without a namespace
    return node.check_action(name, parameters)


def app_bindings(app: App[Any]) -> Iterable[tuple[str, Binding]]:
    """(key, binding) of the app's own bindings, as remapped by the keymap."""
    bindings: BindingsMap | None = getattr(app, "_bindings", None)
    return iter(bindings) if bindings is not None else iter(())


def option_lines(options: OptionList) -> Sequence[tuple[int, int]]:
    """For each line an option list renders, (option index, line of the option); empty if
    unknown."""
    lines: Sequence[tuple[int, int]] = getattr(options, "_lines", None) or ()
    return lines


def input_cells(field: Input, position: int) -> int:
    """The cells of ``field``'s value before ``position`` (as the input lays it out)."""
    cells: int = field._position_to_cell(position)
    return cells


def text_area_cursor(area: TextArea) -> tuple[int, int]:
    """The cursor's (x, y) in the area's wrapped document."""
    offset: tuple[int, int] = area._cursor_offset
    return offset


# --------------------------------------------------------------------------- the overrides


class FocusStylesHook:
    """For a screen: :meth:`restyle_focus` restyles what a focus change involves, instead of
    Textual's restyle of every widget under the nearest ``:focus-within`` ancestor."""

    def restyle_focus(self, focused: Widget | None, blurred: Widget | None) -> None:
        raise NotImplementedError

    def _update_focus_styles(
        self, focused: Widget | None = None, blurred: Widget | None = None
    ) -> None:
        self.restyle_focus(focused, blurred)


class CursorVisibilityHook:
    """For a text area: :meth:`cursor_visibility_changed` runs when the blinking cursor shows
    or hides (Textual repaints the cursor's whole row)."""

    def cursor_visibility_changed(self) -> None:
        raise NotImplementedError

    def _watch__cursor_visible(self) -> None:
        self.cursor_visibility_changed()


class NoMatchesLine(CommandPalette):
    """Textual's command palette, its "no match" line from :meth:`no_matches` and its prompt's
    placeholder in :attr:`placeholder_text`."""

    @property
    def placeholder_text(self) -> str:
        text: str = self._placeholder
        return text

    def no_matches(self) -> RenderableType:
        raise NotImplementedError

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's countdown, with :meth:`no_matches` for its line."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(self.no_matches(), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(
            self._NO_MATCHES_COUNTDOWN, show_no_matches, name="no-matches"
        )
