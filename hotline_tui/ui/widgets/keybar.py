"""The key line at the bottom of every screen: the keys that work here and now.

A one-line replacement for Textual's ``Footer``, read from the same source (the screen's active
bindings, so role- and state-disabled keys disappear and remapped keys show remapped). The
``Footer`` rebuilds its widgets whenever the bindings may have changed - on every focus change -
and that layout change repaints the whole screen; this line is repainted only when its text
actually changes, and never re-laid out.

It never cuts a key in half. When the keys do not fit its width (the order view at 80 columns
offers a dispatcher a dozen actions), the line keeps the screen's own keys in their order and
drops the console-wide ones first (the mode keys F2…F11, which the palette offers too), then
the focused widget's (a table's ``o 排序``), then the screen's last ones, and says on F1 how
many it left out: F1 lists every key (:func:`fit_keys`).
One line rather than two because a line that grew and shrank with the offered keys would move
the screen above it, a repaint of the whole screen on a slow link.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from textual.content import Content
from textual.screen import Screen

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.widgets.still import StillLine

__all__ = ["KeyBar", "KeyEntry", "fit_keys"]

HELP_ACTION = "help"  # the app's F1: it lists every key, also those the line has no room for


SCREEN, WIDGET, CONSOLE = 0, 1, 2  # whose binding: dropped last … first


class KeyEntry(NamedTuple):
    key: str  # as shown (``f1``, ``esc``, ``s``)
    description: str
    owner: int  # SCREEN, WIDGET (the focused one's) or CONSOLE (the app's, on every screen)
    action: str


def _cells(entry: KeyEntry) -> int:
    return cell_len(entry.key) + 1 + cell_len(entry.description)


def _width(entries: Sequence[KeyEntry]) -> int:
    return sum(_cells(e) for e in entries) + max(0, len(entries) - 1)


def fit_keys(entries: Sequence[KeyEntry], width: int) -> list[KeyEntry]:
    """The entries that fit in ``width`` cells, whole. If some must go: the console-wide ones
    first, then the focused widget's, then the screen's, each from the end; F1 stays, last,
    saying how many keys it lists besides."""
    if _width(entries) <= width:
        return list(entries)
    helps = [e for e in entries if e.action == HELP_ACTION]
    kept = [e for e in entries if e.action != HELP_ACTION]
    order = sorted(reversed(range(len(kept))), key=lambda i: -kept[i].owner)
    dropped: set[int] = set()

    def line() -> list[KeyEntry]:
        rest = [e for i, e in enumerate(kept) if i not in dropped]
        if helps and dropped:
            more = tr("key.more", n=len(dropped))
            return [*rest, helps[0]._replace(description=more)]
        return rest + helps

    for index in order:
        if _width(line()) <= width:
            break
        dropped.add(index)
    return line()


def _owner(node: object, screen: Screen[object]) -> int:
    if node is screen:
        return SCREEN
    return CONSOLE if node is screen.app else WIDGET


class KeyBar(StillLine):
    DEFAULT_CSS = """
    KeyBar { height: 1; width: 1fr; dock: bottom; background: $panel; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[KeyEntry] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._paint()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        entries: list[KeyEntry] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            entries.append(
                KeyEntry(
                    self.app.get_key_display(binding),
                    binding.description,
                    _owner(active.node, screen),
                    binding.action,
                )
            )
        self._entries = entries
        self._paint()

    def _paint(self) -> None:
        parts: list[str | tuple[str, str]] = []
        for entry in fit_keys(self._entries, self.size.width or 80):
            if parts:
                parts.append(" ")
            parts.append((entry.key, "bold"))
            parts.append(" " + entry.description)
        self.set_content(Content.assemble(*parts))
