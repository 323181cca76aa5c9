"""督办: near-due and overdue work by department, computed from the stored due times (never empty
just because no scheduler runs), with 催办 / 督办 / 提级 on the row under the cursor. Enter on a
department shows only its parts; Esc shows all again. The hotline is a row too: its orders late
for dispatch and the returns and extension requests late for its decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Label

from hotline_tui.ui.actions import Target
from hotline_tui.ui.i18n import state_name, tr
from hotline_tui.ui.screens.acting import ACTION_BINDINGS, ActingScreen
from hotline_tui.ui.screens.queues import due_style, due_text, target_of
from hotline_tui.ui.text import content, local_time
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.grid import DEPT_CELLS, Column, DataGrid
from hotline_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from hotline_tui.services.live import Change
    from hotline_tui.services.tickets.board import Board, BoardRow
    from hotline_tui.services.tickets.work_items import WorkItem

__all__ = ["BoardScreen"]

HOTLINE = "hotline"  # the hotline's own row (services.tickets.deadlines.HOTLINE)


def _dept_label(row: BoardRow) -> str:
    return tr("board.hotline") if row.dept == HOTLINE else row.dept_name or row.dept


DEPT_COLUMNS: list[Column[BoardRow]] = [
    Column("dept", "col.dept", 24, _dept_label, lambda r: r.dept),
    Column("overdue", "col.overdue", 6, lambda r: r.overdue, lambda r: -r.overdue),
    Column("sign", "col.sign_overdue", 8, lambda r: r.sign_overdue, lambda r: -r.sign_overdue),
    Column("near", "col.near", 6, lambda r: r.near, lambda r: -r.near),
]
ITEM_COLUMNS: list[Column[WorkItem]] = [
    Column("number", "col.number", 14, lambda i: i.number, lambda i: i.number),
    Column("dept", "col.dept", DEPT_CELLS, lambda i: i.dept_name or i.dept or "", lambda i: i.dept),
    Column(
        "state",
        "col.part",
        8,
        lambda i: state_name(i.assignment_state or i.state),
        lambda i: i.assignment_state or i.state,
    ),
    Column("due", "col.due", 14, due_text, lambda i: i.deadline),
    Column("title", "col.title", None, lambda i: i.title),
]


class BoardScreen(ActingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "refresh_board", tr("key.refresh"), id="board.refresh", show=False),
        Binding("escape", "all_depts", tr("key.back"), show=False),
        *ACTION_BINDINGS,
    ]
    OFFERS = ("urge", "supervise", "escalate", "consult")

    def __init__(self) -> None:
        super().__init__()
        self.board: Board | None = None
        self.dept_filter: str | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.board"))
        yield Label(tr("board.title"), id="board-title", classes="section")
        yield DataGrid(DEPT_COLUMNS, key=lambda r: r.dept, id="board-depts")
        yield DataGrid(
            ITEM_COLUMNS, key=lambda i: f"{i.number}/{i.dept}", style=due_style, id="board-items"
        )
        yield MessageLine(id="board-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.ui.register_live(self)
        self.query_one("#board-items", DataGrid).focus()
        if self.ui.actor is not None:
            self.session_ready()

    def session_ready(self) -> None:
        self.query_one(TopBar).user = self.ui.user_label()
        self.reload()

    def reload(self) -> None:
        if self.ui.actor is None:
            return
        self.db(self.backend.board, self._loaded, group="board")

    def _loaded(self, board: Board) -> None:
        self.board = board
        self.query_one("#board-depts", DataGrid).show_rows(board.rows)
        self._show_items()
        self.query_one("#board-title", Label).update(
            content(f"{tr('board.title')}  {tr('board.at', at=local_time(board.at))}")
        )
        self.refresh_bindings()

    def _show_items(self) -> None:
        if self.board is None:
            return
        if self.dept_filter == HOTLINE:  # the hotline's own late and near-due steps
            items = self.board.hotline_items
        else:
            items = [i for i in self.board.items if self.dept_filter in (None, i.dept)]
        self.query_one("#board-items", DataGrid).show_rows(items)
        overdue = sum(1 for i in items if i.due == "overdue")
        self.query_one(MessageLine).show(
            f"{tr('col.overdue')} {overdue}  {tr('col.near')} {len(items) - overdue}"
        )

    def wants(self, changes: Sequence[Change]) -> bool:
        return any(c.ticket for c in changes)

    def current_target(self) -> Target | None:
        grid = self.query_one("#board-items", DataGrid)
        item = (
            grid.current
            if grid.has_focus or self.focused is not self.query_one("#board-depts")
            else None
        )
        return target_of(item) if item is not None else None

    @on(DataTable.RowSelected, "#board-depts")
    def _dept_chosen(self) -> None:
        row = self.query_one("#board-depts", DataGrid).current
        self.dept_filter = row.dept if row is not None else None
        self._show_items()
        self.query_one("#board-items", DataGrid).focus()

    @on(DataTable.RowSelected, "#board-items")
    def _open(self) -> None:
        target = self.current_target()
        if target is not None:
            self.ui.open_order(target.number, dept=target.dept)  # on the row's part

    @on(DataTable.RowHighlighted, "#board-items")
    def _moved(self) -> None:
        self.target_moved()

    def action_all_depts(self) -> None:
        self.dept_filter = None
        self._show_items()

    def action_refresh_board(self) -> None:
        self.reload()
