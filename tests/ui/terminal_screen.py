"""A terminal emulator for tests: ``pyte``, made to treat a wide character the way xterm and tmux
do (writing over either half of a two-column character erases the whole character), so that a
repaint that cuts one shows on the test's screen as the gap the operator saw."""

from __future__ import annotations

import pyte
from wcwidth import wcwidth

__all__ = ["Terminal"]


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
