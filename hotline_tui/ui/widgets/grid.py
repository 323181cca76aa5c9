"""A sortable table of immutable rows (queue items, search results, events, assignments).

Columns are data (:class:`Column`): a label, a width in cells, how to show a row's value and how
to sort by it. Every cell is built by :mod:`hotline_tui.ui.text`, so stored text is shown
literally. A row style (due-time colours) comes from the screen. Reloading keeps the cursor on
the same row (by key) when that row is still there, else on the same line (the next row moves
up into the place of one acted on); Home and End go to the first and last row.

A grid of search results (``type_back``: the search field) sends what is typed in it back to
the search (:mod:`hotline_tui.ui.widgets.typeback`) and sorts on Ctrl+O; a worklist's letter keys
are its actions, and ``o`` sorts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Input

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.text import clip, rich
from hotline_tui.ui.widgets.typeback import TypeBack

__all__ = ["DEPT_CELLS", "Column", "DataGrid"]

T = TypeVar("T")

# A department column's width: the catalogue's longest short names (市公积金中心, 东湖市监分局)
# whole; a cut name could look like another department's.
DEPT_CELLS = 12


@dataclass(frozen=True)
class Column(Generic[T]):
    key: str
    label: str  # a catalogue key (hotline_tui.ui.i18n)
    width: int | None
    show: Callable[[T], object]
    sort: Callable[[T], Any] | None = None


class DataGrid(TypeBack, DataTable[Text], Generic[T]):
    """Rows of ``T`` with a cursor; ``o`` (Ctrl+O in search results) sorts by the next column."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "sort", tr("key.sort"), id="grid.sort"),
        Binding("ctrl+o", "sort_results", tr("key.sort"), id="grid.sort_results"),
    ]

    class Sorted(Message):
        def __init__(self, grid: DataGrid[Any], label: str) -> None:
            super().__init__()
            self.grid = grid
            self.label = label

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        key: Callable[[T], str],
        style: Callable[[T], str] | None = None,
        id: str | None = None,
        classes: str | None = None,
        type_back: Callable[[], Input] | None = None,
    ) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="row",
            zebra_stripes=False,
            show_row_labels=False,
        )
        self.columns_spec = list(columns)
        self.type_back = type_back
        self.row_key = key
        self.row_style = style
        self.rows_data: list[T] = []
        self.sort_index = -1
        self.sort_reverse = False
        self._flex = 30
        self._shown_keys: list[str] = []
        self._shown_cells: list[list[Text]] = []

    def on_mount(self) -> None:
        self._add_columns()

    def _flex_width(self) -> int:
        """The free-text column takes what the fixed columns leave (no sideways scrolling)."""
        fixed = sum((c.width or 0) + 2 * self.cell_padding for c in self.columns_spec if c.width)
        flexible = sum(1 for c in self.columns_spec if not c.width) or 1
        room = self.scrollable_content_region.width or 80
        return max(8, (room - fixed) // flexible - 2 * self.cell_padding)

    def _add_columns(self) -> None:
        self._flex = self._flex_width()
        for column in self.columns_spec:
            self.add_column(
                rich(tr(column.label)), width=column.width or self._flex, key=column.key
            )

    def on_resize(self) -> None:
        if self._flex_width() != getattr(self, "_flex", None):
            # The columns are made again for the new width; the cursor stays on its row
            # (clearing puts it on the first).
            keep = self.current
            self.clear(columns=True)
            self._shown_keys = []
            self._add_columns()
            self.show_rows(list(self.rows_data))
            if keep is not None and (key := self.row_key(keep)) in self._shown_keys:
                self.move_cursor(row=self._shown_keys.index(key), animate=False)

    def show_rows(self, rows: Sequence[T], *, keep_place: bool = True) -> None:
        """Replace the rows, keeping the cursor on the same row if it is still there, else on
        the same line; ``keep_place=False`` (another queue, a new search) starts at the top.

        When the same rows come back in the same order (a refresh after someone else's change
        elsewhere), only the cells whose text changed are repainted.
        """
        if not keep_place:
            self._shown_keys = []
        keep = self.current
        kept_key = self.row_key(keep) if keep is not None else None
        line = self.cursor_row
        self.rows_data = self._sorted(list(rows))
        keys = [self.row_key(row) for row in self.rows_data]
        cells = [self._cells(row) for row in self.rows_data]
        if keys == self._shown_keys and self.row_count == len(keys):
            for key, old, new in zip(keys, self._shown_cells, cells, strict=True):
                for column, before, after in zip(self.columns_spec, old, new, strict=True):
                    if before != after:
                        self.update_cell(key, column.key, after)
        else:
            self.clear()
            for key, row_cells in zip(keys, cells, strict=True):
                self.add_row(*row_cells, key=key)
            if not keep_place or not keys:
                self.move_cursor(row=0, animate=False)
            elif kept_key is not None and kept_key in keys:
                self.move_cursor(row=keys.index(kept_key), animate=False)
            elif keep is not None:
                # The row went (acted on, or moved to another queue): the next one moves up
                # into its place, not back to the top of a long list.
                self.move_cursor(row=min(line, len(keys) - 1), animate=False)
        self._shown_keys, self._shown_cells = keys, cells

    def _cells(self, row: T) -> list[Text]:
        style = self.row_style(row) if self.row_style else ""
        return [
            rich(clip(column.show(row), column.width or self._flex), style)
            for column in self.columns_spec
        ]

    @property
    def current(self) -> T | None:
        if not self.rows_data:
            return None
        index = self.cursor_row
        if 0 <= index < len(self.rows_data):
            return self.rows_data[index]
        return None

    def _sorted(self, rows: list[T]) -> list[T]:
        if self.sort_index < 0:
            return rows
        column = self.columns_spec[self.sort_index]
        sort = column.sort or (lambda row: str(column.show(row)))
        return sorted(rows, key=lambda row: _sortable(sort(row)), reverse=self.sort_reverse)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.role_allows(action, parameters)

    def role_allows(self, action: str, parameters: tuple[object, ...]) -> bool:
        """One sort key per grid, in the key line and the help: ``o``, or Ctrl+O where
        letters go back to the search."""
        if action == "sort":
            return self.type_back is None
        if action == "sort_results":
            return self.type_back is not None
        return True

    def action_sort_results(self) -> None:
        self.action_sort()

    def action_scroll_home(self) -> None:
        """Home: the first row (a row table has nothing to scroll sideways)."""
        self.action_scroll_top()

    def action_scroll_end(self) -> None:
        """End: the last row."""
        self.action_scroll_bottom()

    def action_sort(self) -> None:
        sortable = [i for i, c in enumerate(self.columns_spec) if c.sort is not None]
        if not sortable:
            return
        if self.sort_index in sortable and not self.sort_reverse:
            self.sort_reverse = True
        else:
            later = [i for i in sortable if i > self.sort_index]
            self.sort_index = later[0] if later else sortable[0]
            self.sort_reverse = False
        self.show_rows(list(self.rows_data))
        label = tr(self.columns_spec[self.sort_index].label) + (" ↓" if self.sort_reverse else " ↑")
        self.post_message(self.Sorted(self, label))


def _sortable(value: Any) -> tuple[int, Any]:
    """None sorts last; everything else by itself."""
    return (1, "") if value is None else (0, value)
