"""队列: the department's queues (to sign, in progress, due soon, overdue, returned, 督办) or
the hotline's (to dispatch, returns, extensions, replies, unsatisfied, 撤单申请); ``[`` ``]``
switch queues, ``o`` sorts, due times are coloured (yellow near due, red and bold overdue) and
marked 临 / 超 so that they read on a monochrome terminal too — the department's sign or
completion due, the hotline's own dispatch and review due — a part with a 督办 to answer is
marked 督 (``h`` answers it), Enter opens the order and the letter keys act on the row under the
cursor. After an action or back from the order the cursor is where it was: on the same order,
or the next one moved up into its place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from hotline_tui.domain.states import Role
from hotline_tui.ui.actions import ACTIONS, WITHDRAW_REQUESTED, Target, enabled
from hotline_tui.ui.i18n import state_name, tr
from hotline_tui.ui.part_text import part_extra
from hotline_tui.ui.screens.acting import ACTION_BINDINGS, ActingScreen
from hotline_tui.ui.screens.queue_dups import QueueDuplicates, mark_of
from hotline_tui.ui.text import content, short_time
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.grid import DEPT_CELLS, Column, DataGrid
from hotline_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from hotline_tui.services.live import Change
    from hotline_tui.services.tickets.work_items import WorkItem

__all__ = ["DEPT_QUEUES", "HOTLINE_QUEUES", "QueuesScreen", "due_style", "due_text", "target_of"]

DEPT_QUEUES = ("to_sign", "in_progress", "due_soon", "overdue", "returned", "supervised")
HOTLINE_QUEUES = ("to_dispatch", "returns", "extensions", "replies", "unsatisfied", "withdrawals")


def due_style(item: WorkItem) -> str:
    """Colour for who sees it, bold for who does not (the due column's mark says which)."""
    return {"overdue": "bold red", "near": "yellow"}.get(item.due, "")


def target_of(item: WorkItem) -> Target:
    return Target(
        number=item.number,
        ticket_state=item.state,
        ticket_version=item.ticket_version,
        dept=item.dept,
        part_state=item.assignment_state,
        part_version=item.assignment_version,
        supervised=item.supervised,
        extension_days=item.extension_days,
        reply_text=item.reply_text,
        part_role=item.role,
        extra=({"detail": item.detail} if item.detail else {})
        | ({WITHDRAW_REQUESTED: "1"} if item.withdraw_requested else {})
        | (
            part_extra(
                granted=item.extension_granted,
                cap=item.extension_cap,
                left=item.extension_left,
                late=item.return_late and item.assignment_state == "return_review",
                window_end=item.return_due_at,
            )
            if item.dept
            else {}
        ),
    )


def due_text(item: WorkItem) -> str:
    """The due time of the step the row waits for (``WorkItem.deadline``: the sign due of a
    part to sign, the hotline's own due for dispatch and reviews), * when provisional, after
    超 when overdue and 临 when near (the colour alone does not show on every terminal)."""
    text = short_time(item.deadline)
    provisional = item.provisional and item.deadline_kind in ("sign", "complete")
    mark = tr(f"queue.{item.due}_mark") if text and item.due in ("overdue", "near") else ""
    return mark + text + ("*" if text and provisional else "")


def _state(item: WorkItem) -> str:
    """The part's state, marked 督 while a 督办 waits for the department's answer; in the
    hotline's review queues (every row under review) the part's role instead: a co-handler's
    return or request holds up the lead's reply; marked 超 while a late return (超时退单)
    waits for the review."""
    if item.deadline_kind in ("return_review", "extension_decision") and item.role:
        name = tr(f"role.{item.role}")
    else:
        name = state_name(item.assignment_state or item.state)
    if item.return_late and item.assignment_state == "return_review":
        name = tr("queue.late_mark") + name
    name = mark_of(item) + name  # 重 / 相: may repeat an order, related to others'
    return tr("queue.supervised_mark") + name if item.supervised else name


COLUMNS: list[Column[WorkItem]] = [
    Column("number", "col.number", 14, lambda i: i.number, lambda i: i.number),
    Column("state", "col.part", 8, _state, lambda i: i.assignment_state or i.state),
    Column("dept", "col.dept", DEPT_CELLS, lambda i: i.dept_name or i.dept or "", lambda i: i.dept),
    Column("due", "col.due", 14, due_text, lambda i: i.deadline),
    Column(
        "created", "col.created", 11, lambda i: short_time(i.created_at), lambda i: i.created_at
    ),
    Column("title", "col.title", None, lambda i: i.title),
]


class QueuesScreen(ActingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "step_queue(1)", tr("key.next_queue"), id="queue.next"),
        Binding(
            "left_square_bracket",
            "step_queue(-1)",
            tr("key.prev_queue"),
            id="queue.prev",
            show=False,
        ),
        Binding("f9", "refresh_queue", tr("key.refresh"), id="queue.refresh", show=False),
        *ACTION_BINDINGS,
    ]
    OFFERS = (
        "sign",
        "return",
        "extend",
        "reply",
        "supervise_reply",
        "dispatch",
        "return_accept",
        "return_reject",
        "extension_approve",
        "extension_deny",
        "review_pass",
        "review_fail",
        "redo",
        "close",
        "urge",
        "supervise",
        "merge",
        "consult",
        "withdraw_confirm",
        "withdraw_reject",
    )

    def __init__(self) -> None:
        super().__init__()
        self.queue_names: tuple[str, ...] = HOTLINE_QUEUES
        self.current = 0
        self.items: list[WorkItem] = []
        self.counts: dict[str, int] = {}
        self._shown_queue = ""  # the queue whose rows the grid holds (its place is kept)
        self.dups = QueueDuplicates(self)

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.queues"))
        yield Static("", id="queue-tabs", classes="tabs")
        yield DataGrid(
            COLUMNS, key=lambda i: f"{i.number}/{i.dept or ''}", style=due_style, id="queue"
        )
        yield MessageLine(id="queue-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.ui.register_live(self)
        self.query_one("#queue", DataGrid).focus()
        if self.ui.actor is not None:
            self.session_ready()

    def session_ready(self) -> None:
        actor = self.ui.actor
        assert actor is not None
        self.query_one(TopBar).user = self.ui.user_label()
        self.queue_names = DEPT_QUEUES if actor.role is Role.HANDLER else HOTLINE_QUEUES
        self.current = 0
        self._show_tabs()
        self.reload()

    @property
    def queue_name(self) -> str:
        return self.queue_names[self.current]

    def _show_tabs(self) -> None:
        parts = []
        for index, name in enumerate(self.queue_names):
            label = tr(f"queue.{name}")
            if name in self.counts:
                label += f" {self.counts[name]}"
            parts.append(content(f" {label} ", "reverse bold" if index == self.current else ""))
        tabs = content("")
        for part in parts:
            tabs = tabs.append(part)
        self.query_one("#queue-tabs", Static).update(tabs)

    def action_step_queue(self, delta: int) -> None:
        self.current = (self.current + delta) % len(self.queue_names)
        self._show_tabs()
        self.reload()

    def action_refresh_queue(self) -> None:
        self.reload()

    def reload(self) -> None:
        if self.ui.actor is None:
            return
        name, names = self.queue_name, self.queue_names

        def load() -> tuple[str, list[WorkItem], dict[str, int]]:
            # Every tab's count (one query) with the queue shown: no tab reads empty until
            # it is visited.
            return name, self.backend.queue(name), self.backend.queue_counts(names)

        self.db(load, self._loaded, group="queue")

    def _loaded(self, loaded: tuple[str, list[WorkItem], dict[str, int]]) -> None:
        name, items, counts = loaded
        self.counts.update(counts)
        if name != self.queue_name:
            self._show_tabs()
            return
        same = name == self._shown_queue
        self.items = self.dups.carry(self.items, items) if same else items
        self._show_tabs()
        self.query_one("#queue", DataGrid).show_rows(self.items, keep_place=same)
        self._shown_queue = name
        total = self.counts.get(name, len(items))  # the whole queue's, not the page's
        self.query_one(MessageLine).show(tr("queue.count", name=tr(f"queue.{name}"), n=total))
        self.refresh_bindings()
        self.dups.look(name, items)

    def wants(self, changes: Sequence[Change]) -> bool:
        return any(c.ticket for c in changes)

    # ------------------------------------------------------------------ rows

    def current_target(self) -> Target | None:
        item = self.query_one("#queue", DataGrid).current
        return target_of(item) if item is not None else None

    @on(DataTable.RowHighlighted, "#queue")
    def _moved(self) -> None:
        self.target_moved()
        self.dups.say()

    def action_act(self, name: str) -> None:
        """``m`` on a row marked 重 merges it into the order it may repeat, at once; every
        other key (and ``m`` elsewhere) asks as before."""
        target = self.current_target()
        actor = self.ui.actor
        if (
            name == "merge"
            and target is not None
            and actor is not None
            and enabled(ACTIONS["merge"], actor, target)
            and self.dups.merge(target)
        ):
            return
        super().action_act(name)

    @on(DataTable.RowSelected, "#queue")
    def _open(self) -> None:
        target = self.current_target()
        if target is not None:
            # The department's part the row is about: the order view opens on it, so its
            # actions are the row's.
            self.ui.open_order(target.number, dept=target.dept)

    @on(DataGrid.Sorted)
    def _sorted(self, event: DataGrid.Sorted) -> None:
        self.query_one(MessageLine).show(tr("queue.sorted", column=event.label))
