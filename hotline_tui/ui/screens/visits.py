"""回访: replied orders to call back. The department's reply is shown to read to the caller; the
outcome takes a keystroke or two (Enter, then 1/2/3 resolved?, then 1/2/3 satisfied?; 0
unreachable, 9 declined). An unsatisfied visit starts a redo for a user who may order one. F7
opens the visits due (:mod:`hotline_tui.ui.screens.visit_due`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from hotline_tui.domain.permissions import allowed
from hotline_tui.ui.actions import Target
from hotline_tui.ui.i18n import choice_name, error_text, tr
from hotline_tui.ui.screens.acting import ACTION_BINDINGS, ActingScreen
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.screens.queues import target_of
from hotline_tui.ui.text import content, short_time
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.grid import Column, DataGrid
from hotline_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from hotline_tui.services.live import Change
    from hotline_tui.services.tickets.intake import Registered
    from hotline_tui.services.worklists import WorkItem

__all__ = ["CallingBack", "QuickVisit", "VisitsScreen"]

RESOLUTIONS = ("resolved", "partly", "unresolved")
SATISFACTIONS = ("satisfied", "basic", "unsatisfied")

COLUMNS: list[Column[WorkItem]] = [
    Column("number", "col.number", 14, lambda i: i.number, lambda i: i.number),
    Column(
        "created", "col.created", 11, lambda i: short_time(i.created_at), lambda i: i.created_at
    ),
    Column("dept", "col.dept", 10, lambda i: i.dept_name or "", lambda i: i.dept),
    Column("title", "col.title", None, lambda i: i.title),
]


class QuickVisit(ConsoleModal["Registered | None"]):
    """Two keystrokes: resolved? then satisfied? (or 0 unreachable / 9 declined at once)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", tr("key.cancel"))]

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target
        self.resolution: str | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="visit-box"):
            yield Label(content(f"{tr('visit')} · {self.target.number}"), classes="dialog-title")
            yield Label("", id="visit-prompt")
            yield MessageLine(id="visit-message")

    def on_mount(self) -> None:
        self._prompt()

    def _prompt(self) -> None:
        if self.resolution is None:
            options = "  ".join(f"{n} {choice_name(v)}" for n, v in enumerate(RESOLUTIONS, 1))
            other = f"0 {choice_name('unreachable')}   9 {choice_name('declined')}"
            text = f"{tr('resolution')}：{options}   {other}"
        else:
            options = "  ".join(f"{n} {choice_name(v)}" for n, v in enumerate(SATISFACTIONS, 1))
            text = f"{choice_name(self.resolution)} · {tr('satisfaction')}：{options}"
        self.query_one("#visit-prompt", Label).update(content(text))

    def on_key(self, event: events.Key) -> None:
        key = event.character or ""
        if self.busy or not key.isdigit():
            return
        event.stop()
        digit = int(key)
        if self.resolution is None:
            if digit == 0:
                self._run({"contact": "unreachable"})
            elif digit == 9:
                self._run({"contact": "declined"})
            elif 1 <= digit <= 3:
                self.resolution = RESOLUTIONS[digit - 1]
                self._prompt()
        elif 1 <= digit <= 3:
            self._run(
                {
                    "contact": "reached",
                    "resolution": self.resolution,
                    "satisfaction": SATISFACTIONS[digit - 1],
                }
            )

    def _run(self, values: dict[str, Any]) -> None:
        self.busy = True
        target = self.target
        self.db(
            lambda: self.backend.act("visit", target, values),
            self._done,
            group="act",
            exclusive=False,
            failed=self._failed,
        )

    def _done(self, result: Registered) -> None:
        self.dismiss(result)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.query_one(MessageLine).show(error_text(error), "error")

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)


class CallingBack(ActingScreen):
    """A list of orders to call back: Enter (or selecting a row) starts the quick visit; an
    unsatisfied outcome goes on to a redo for a user who may order one."""

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_quick_visit()

    def action_quick_visit(self) -> None:
        target = self.current_target()
        if target is None or target.ticket_state != "pending_visit":
            return
        self.app.push_screen(QuickVisit(target), self._visited)

    def _visited(self, result: Registered | None) -> None:
        self.acted("visit", result)
        actor = self.ui.actor
        if result is None or actor is None or result.state != "unsatisfied":
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
        self.query_one(MessageLine).show(tr("queue.count", name=tr("queue.visits"), n=len(items)))
        self._show_reply()
        self.refresh_bindings()

    def wants(self, changes: Sequence[Change]) -> bool:
        return any(c.ticket for c in changes)

    def current_target(self) -> Target | None:
        item = self.query_one("#visits", DataGrid).current
        return target_of(item) if item is not None else None

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
