"""The key line at the bottom of every screen: the keys that work here and now.

A one-line replacement for Textual's ``Footer``, read from the same source (the screen's active
bindings, so role- and state-disabled keys disappear and remapped keys show remapped). The
``Footer`` rebuilds its widgets whenever the bindings may have changed - on every focus change -
and that layout change repaints the whole screen; this line is repainted only when its text
actually changes, and never re-laid out.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen

from hotline_tui.ui.widgets.still import StillLine

__all__ = ["KeyBar"]


class KeyBar(StillLine):
    DEFAULT_CSS = """
    KeyBar { height: 1; width: 1fr; dock: bottom; background: $panel; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        parts: list[str | tuple[str, str]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            if parts:
                parts.append(" ")
            parts.append((self.app.get_key_display(binding), "bold"))
            parts.append(" " + binding.description)
        self.set_content(Content.assemble(*parts))
