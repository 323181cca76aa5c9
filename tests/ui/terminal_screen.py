"""A terminal emulator for tests: ``pyte``, made to treat a wide character the way xterm and tmux
do (writing over either half of a two-column character erases the whole character), so that a
repaint that cuts one shows on the test's screen as the gap the operator saw."""

from __future__ import annotations

from typing import Any

import pyte
from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.screen import Screen
from wcwidth import wcwidth

__all__ = ["Terminal", "watch"]


class Terminal:
    def __init__(self, columns: int, lines: int) -> None:
        self.screen = _WideScreen(columns, lines)
        self._stream = pyte.Stream(self.screen)

    def feed(self, data: str) -> None:
        self._stream.feed(data)

    @property
    def rows(self) -> list[str]:
        """What the screen shows, row by row (a wide character once, trailing blanks kept)."""
        return list(self.screen.display)

    @property
    def cells(self) -> list[list[tuple[str, str, str, bool, bool]]]:
        """Every cell: character ("" for a wide character's right half), colours, bold,
        reverse."""
        buffer = self.screen.buffer
        return [
            [
                (c.data, c.fg, c.bg, c.bold, c.reverse)
                for c in (buffer[y][x] for x in range(self.screen.columns))
            ]
            for y in range(self.screen.lines)
        ]


class _WideScreen(pyte.Screen):
    def draw(self, data: str) -> None:
        for character in data:
            width = wcwidth(character)
            x, line = self.cursor.x, self.buffer[self.cursor.y]
            if width > 0 and x < self.columns:
                for column in range(x, min(x + width, self.columns)):
                    self._erase_wide_at(line, column)
            super().draw(character)

    def _erase_wide_at(self, line: dict[int, pyte.screens.Char], x: int) -> None:
        cell = line[x]
        if cell.data == "" and x > 0:  # the right half: the left half goes too
            line[x - 1] = line[x - 1]._replace(data=" ")
        elif cell.data and wcwidth(cell.data[0]) == 2 and x + 1 < self.columns:
            line[x + 1] = line[x + 1]._replace(data=" ")


def watch(app: App[Any], columns: int = 80, lines: int = 24) -> Terminal:
    """A terminal fed every update ``app`` would write to a real one (a headless test app
    writes nothing): the same ``render_segments`` the driver's output goes through, in the
    app's mode. Call before ``run_test``."""
    terminal = Terminal(columns, lines)

    def display(screen: Screen[Any], renderable: RenderableType | None) -> None:
        if renderable is None or app._batch_count:
            return
        if isinstance(renderable, CompositorUpdate):
            with app._context():
                terminal.feed(renderable.render_segments(app.console))

    app._display = display  # type: ignore[method-assign]
    return terminal
