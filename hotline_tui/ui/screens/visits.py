"""回访: replied orders to call back, each with whom to call (name and number as the reader may
see them) and the department's reply. Enter opens the call dialog
(:mod:`hotline_tui.ui.screens.visit_call`: the outcome in a keystroke or two, the note, then what
was recorded); the last call's record stays on the message line. An unsatisfied visit starts a
redo for a user who may order one. F7 opens the visits due
(:mod:`hotline_tui.ui.screens.visit_due`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Label, Static

from hotline_tui.domain.permissions import allowed
from hotline_tui.ui.actions import Target
from hotline_tui.ui.i18n import tr
from hotline_tui.ui.screens.acting import ACTION_BINDINGS, ActingScreen
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.queues import target_of
from hotline_tui.ui.screens.visit_call import (
    QuickVisit,
    Recorded,
    VisitCard,
    after_text,
    caller_name,
    dial_text,
    outcome_text,
)
from hotline_tui.ui.text import content
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.grid import Column, DataGrid
from hotline_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from hotline_tui.services.live import Change
    from hotline_tui.services.tickets.work_items import WorkItem

__all__ = ["CallingBack", "QuickVisit", "VisitsScreen", "card_of"]

COLUMNS: list[Column[WorkItem]] = [
    Column("number", "col.number", 14, lambda i: i.number, lambda i: i.number),
    Column(
        "caller", "col.caller", 10, lambda i: caller_name(i.caller), lambda i: caller_name(i.caller)
    ),
    Column("dial", "col.dial", 13, lambda i: dial_text(i.caller), lambda i: dial_text(i.caller)),
    Column("dept", "col.dept", 8, lambda i: i.dept_name or "", lambda i: i.dept),
    Column("reply", "col.reply_summary", None, lambda i: i.reply_text or i.title),
]


def card_of(item: WorkItem) -> VisitCard:
    """What the call dialog shows of a visits-queue row."""
    return VisitCard(
        target=target_of(item),
        caller=item.caller,
        dept_name=item.dept_name or "",
        reply_text=item.reply_text,
        attempts=item.visit_attempts,
    )


class CallingBack(ActingScreen):
    """A list of orders to call back: Enter (or selecting a row) opens the call dialog; what it
    recorded stays on the message line; an unsatisfied outcome goes on to a redo for a user who
    may order one."""

    last_visit: str = ""  # what the last call recorded, in one line

    def current_card(self) -> VisitCard | None:
        return None

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_quick_visit()

    def action_quick_visit(self) -> None:
        card = self.current_card()
        if card is None or card.target.ticket_state != "pending_visit":
            return
        self.app.push_screen(QuickVisit(card), self._visited)

    def say_count(self, text: str) -> None:
        """The list's count, under what the last call recorded (it stays through reloads)."""
        said = f"{self.last_visit}\n{text}" if self.last_visit else text
        self.query_one(MessageLine).show(said)

    def _visited(self, recorded: Recorded | None) -> None:
        if recorded is None:
            return
        result = recorded.result
        self.last_visit = tr(
            "visit.last",
            number=recorded.number,
            outcome=outcome_text(recorded.values, recorded.attempt),
            after=after_text(result.state),
        )
        self.query_one(MessageLine).show(self.last_visit)
        self.reload()
        actor = self.ui.actor
        if actor is None or result.state != "unsatisfied":
            return
        if allowed(actor.role, "redo"):
            target = Target(result.number, result.state, result.version)
            self.app.push_screen(ActionModal("redo", target), lambda r: self.acted("redo", r))


class VisitsScreen(CallingBack):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "quick_visit", tr("visit"), id="visit.quick", priority=False),
        Binding("f9", "refresh_list", tr("key.refresh"), id="visit.refresh", show=False),
        Binding("f7", "visit_due", tr("key.visit_due"), id="visit.due"),
        *ACTION_BINDINGS,
    ]
    OFFERS = ("visit", "redo", "close", "withdraw")

    def __init__(self) -> None:
        super().__init__()
        self.items: list[WorkItem] = []

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.visits"))
        yield DataGrid(COLUMNS, key=lambda i: i.number, id="visits")
        yield Label(tr("visit.reply"), classes="section")
        yield Static("", id="visit-reply", classes="reply")
        yield MessageLine(id="visits-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.ui.register_live(self)
        self.query_one("#visits", DataGrid).focus()
        if self.ui.actor is not None:
            self.session_ready()

    def session_ready(self) -> None:
        self.query_one(TopBar).user = self.ui.user_label()
        self.reload()

    def reload(self) -> None:
        if self.ui.actor is None:
            return
        self.db(lambda: self.backend.queue("visits"), self._loaded, group="visits")

    def _loaded(self, items: list[WorkItem]) -> None:
        self.items = items
        self.query_one("#visits", DataGrid).show_rows(items)
        self.say_count(tr("queue.count", name=tr("queue.visits"), n=len(items)))
        self._show_reply()
        self.refresh_bindings()

    def wants(self, changes: Sequence[Change]) -> bool:
        return any(c.ticket for c in changes)

    def current_target(self) -> Target | None:
        item = self.query_one("#visits", DataGrid).current
        return target_of(item) if item is not None else None

    def current_card(self) -> VisitCard | None:
        item = self.query_one("#visits", DataGrid).current
        return card_of(item) if item is not None else None

    @on(DataTable.RowHighlighted, "#visits")
    def _moved(self) -> None:
        self._show_reply()
        self.target_moved()

    def _show_reply(self) -> None:
        item = self.query_one("#visits", DataGrid).current
        self.query_one("#visit-reply", Static).update(content(item.reply_text if item else ""))

    def action_refresh_list(self) -> None:
        self.reload()

    def action_visit_due(self) -> None:
        from hotline_tui.ui.screens.visit_due import VisitDueScreen

        self.app.push_screen(VisitDueScreen())
