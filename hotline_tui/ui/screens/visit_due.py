"""回访到期 (F7 in the return-visit mode): orders whose return visit is overdue (red) or due
within the next hours (yellow), earliest first, computed from the stored visit due times (never
empty because no scheduler runs), each with whom to call and the reply. Enter calls back the
row under the cursor (the same call dialog as the visit list), ``v`` asks in full, Esc goes back
to the visit list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Label, Static

from hotline_tui.ui.actions import Target
from hotline_tui.ui.i18n import tr
from hotline_tui.ui.screens.acting import ACTION_BINDINGS
from hotline_tui.ui.screens.visit_call import VisitCard, caller_name, dial_text
from hotline_tui.ui.screens.visits import CallingBack
from hotline_tui.ui.text import content, local_time, short_time
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.grid import Column, DataGrid
from hotline_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from hotline_tui.services.live import Change
    from hotline_tui.services.scheduling.visit_due import VisitDue, VisitDueRow

__all__ = ["VisitDueScreen"]

COLUMNS: list[Column[VisitDueRow]] = [
    Column("number", "col.number", 14, lambda r: r.number, lambda r: r.number),
    Column("due", "col.visit_due", 11, lambda r: short_time(r.due_at), lambda r: r.due_at),
    Column("caller", "col.caller", 10, lambda r: caller_name(r.caller), lambda r: r.attempts),
    Column("dial", "col.dial", 13, lambda r: dial_text(r.caller), lambda r: dial_text(r.caller)),
    Column("reply", "col.reply_summary", None, lambda r: r.reply_text or r.title),
]


def _style(row: VisitDueRow) -> str:
    return "red" if row.overdue else "yellow"


def _target(row: VisitDueRow) -> Target:
    return Target(row.number, row.ticket_state, row.ticket_version, reply_text=row.reply_text)


def _card(row: VisitDueRow) -> VisitCard:
    return VisitCard(
        target=_target(row),
        caller=row.caller,
        dept_name=row.dept_name,
        reply_text=row.reply_text,
        attempts=row.attempts,
    )


class VisitDueScreen(CallingBack):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "quick_visit", tr("visit"), id="visit_due.quick", priority=False),
        Binding("escape", "back", tr("key.back"), id="visit_due.back"),
        Binding("f9", "refresh_list", tr("key.refresh"), id="visit_due.refresh", show=False),
        *ACTION_BINDINGS,
    ]
    OFFERS = ("visit",)

    def __init__(self) -> None:
        super().__init__()
        self.board: VisitDue | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.visits") + " · " + tr("key.visit_due"))
        yield Label("", id="visit-due-title", classes="section")
        yield DataGrid(COLUMNS, key=lambda r: r.number, style=_style, id="visit-due")
        yield Label(tr("visit.reply"), classes="section")
        yield Static("", id="visit-due-reply", classes="reply")
        yield MessageLine(id="visit-due-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.ui.register_live(self)
        self.query_one(TopBar).user = self.ui.user_label()
        self.query_one("#visit-due", DataGrid).focus()
        self.reload()

    def reload(self) -> None:
        if self.ui.actor is None:
            return
        self.db(self.backend.visit_due, self._loaded, group="visit-due")

    def _loaded(self, board: VisitDue) -> None:
        self.board = board
        self.query_one("#visit-due-title", Label).update(
            content(
                f"{tr('visit_due.title', hours=board.horizon_hours)}"
                f"  {tr('board.at', at=local_time(board.at))}"
            )
        )
        self.query_one("#visit-due", DataGrid).show_rows(board.rows)
        late = sum(1 for r in board.rows if r.overdue)
        self.say_count(tr("visit_due.count", n=len(board.rows), late=late))
        self._show_reply()
        self.refresh_bindings()

    def wants(self, changes: Sequence[Change]) -> bool:
        return any(c.ticket for c in changes)

    def current_target(self) -> Target | None:
        row = self.query_one("#visit-due", DataGrid).current
        return _target(row) if row is not None else None

    def current_card(self) -> VisitCard | None:
        row = self.query_one("#visit-due", DataGrid).current
        return _card(row) if row is not None else None

    @on(DataTable.RowHighlighted, "#visit-due")
    def _moved(self) -> None:
        self._show_reply()
        self.target_moved()

    def _show_reply(self) -> None:
        row = self.query_one("#visit-due", DataGrid).current
        self.query_one("#visit-due-reply", Static).update(content(row.reply_text if row else ""))

    def action_refresh_list(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
