"""Notices in the console: an order of the user's turned yellow or red, or was urged (催办),
supervised (督办) or publicly noted (通报), told without a keypress.

:class:`NoticeWatch` rides on the change feed: when the feed reports changes (the scheduler's
steps are audit events, so they are changes too), it reads the user's notices after the last one
it has seen (``services.tickets.notices.notices_since`` through the backend, in a worker) — an idle
console with nothing new reads nothing more and repaints nothing. Each arrival is shown as:

- the *notice line*: the newest notice and how many arrived, in the top line of every screen
  (one line repainted);
- a toast naming the first few (not in low-bandwidth mode, where the line alone is compact, nor
  on a locked console);
- the list (Ctrl+T, :class:`NoticesScreen`): the recent ones, Enter opens the order.

Stored text (titles, department names) goes through :mod:`hotline_tui.ui.text`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from hotline_tui.ui.i18n import label, tr
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.text import clip, short_time
from hotline_tui.ui.widgets.bars import TopBar
from hotline_tui.ui.widgets.grid import DEPT_CELLS, Column, DataGrid

if TYPE_CHECKING:
    from hotline_tui.services.live import Change
    from hotline_tui.services.tickets.notices import Notice
    from hotline_tui.ui.app import HotlineApp

__all__ = ["KEEP", "NoticeWatch", "NoticesScreen", "notice_text", "toast_text"]

KEEP = 50  # notices kept for the list
TOAST_LINES = 3
PAGE = 100  # what one read returns at most (services.tickets.notices.notices_since's default)
RED = (
    "overdue",
    "sign_overdue",
    "supervise",
    "notice",
    # the hotline's own steps overdue (services.scheduling.escalation_hotline)
    "dispatch_late",
    "return_review_late",
    "extension_late",
)


def step_name(step: str) -> str:
    return label("step", step)


def dept_label(n: Notice) -> str:
    """The department a notice is about; the hotline's own late dispatch names the hotline, and
    a 提级's leader is named as the leader (``领导 郑秀兰``)."""
    if n.leader:
        return tr("detail.leader", name=n.dept_name)
    return n.dept_name or (tr("board.hotline") if n.dept == "hotline" else n.dept)


def notice_text(n: Notice, *, title_width: int = 16) -> str:
    """``红灯 20260302-0001 市监局 截止 03-05 17:00 占道经营…`` (plain text, one line)."""
    due = tr("notice.due", at=short_time(n.deadline)) if n.deadline else ""
    return " ".join(
        part
        for part in (
            step_name(n.step),
            clip(n.number, 20),
            clip(dept_label(n), 10),
            due,
            clip(n.title, title_width),
        )
        if part
    )


def toast_text(notices: Sequence[Notice]) -> str:
    """One line per department part (``20260302000001 市监局：红灯超期、催办、督办``) for the
    first few, and how many more: a scan often takes several steps on one order at once."""
    parts: dict[tuple[str, str], list[Notice]] = {}
    for n in notices:
        parts.setdefault((n.number, n.dept), []).append(n)
    lines = []
    for (number, _dept), steps in list(parts.items())[:TOAST_LINES]:
        names = "、".join(step_name(n.step) for n in steps)
        lines.append(f"{clip(number, 20)} {clip(dept_label(steps[0]), 10)}：{names}")
        lines.append("  " + clip(steps[-1].title, 24))
    if len(parts) > TOAST_LINES:
        lines.append(tr("notice.more", n=len(parts) - TOAST_LINES))
    return "\n".join(lines)


def line_text(latest: Notice, count: int) -> str:
    """The notice line: how many arrived this session, and the newest (compact)."""
    text = f"{step_name(latest.step)} {clip(latest.number, 20)} {clip(dept_label(latest), 10)}"
    return tr("notice.line", n=count, text=text)


class NoticeWatch:
    """The user's notices for one console session, polled when the change feed moves."""

    def __init__(self, app: HotlineApp) -> None:
        self.app = app
        self.after: int | None = None
        self.recent: deque[Notice] = deque(maxlen=KEEP)
        self.count = 0
        self.line = ""
        self._reading = False
        self._again = False

    def start(self, head: int) -> None:
        """Start from the feed's head: what happened before the console opened is not news."""
        self.after = head

    def changes_arrived(self, changes: Sequence[Change]) -> None:
        if changes:
            self.read()

    def read(self) -> None:
        if self.after is None or self.app.actor is None:
            return
        if self._reading:
            self._again = True  # read once more when this read is back
            return
        self._reading, self._again = True, False
        after, backend = self.after, self.app.backend
        self.app.db(
            lambda: backend.notices(after), self._arrived, group="notices", failed=self._failed
        )

    def _failed(self, _error: BaseException) -> None:
        self._reading = False  # logged; the next change tries again

    def _arrived(self, notices: Sequence[Notice]) -> None:
        self._reading = False
        if notices:
            self.after = notices[-1].seq
            self.recent.extend(notices)
            self.count += len(notices)
            self.line = line_text(notices[-1], self.count)
            self.show(notices)
        if self._again or len(notices) >= PAGE:
            self.read()

    def show(self, notices: Sequence[Notice]) -> None:
        for bar in self.app.notice_bars():
            bar.status = self.line
        # A locked console shows no order to whoever passes by: the line waits under the lock.
        if not self.app.options.low_bandwidth and not self.app.locked:
            red = any(n.step in RED for n in notices)
            self.app.notify(
                toast_text(notices),
                title=tr("notice.title"),
                severity="error" if red else "warning",
                markup=False,
                timeout=10,
            )


COLUMNS: list[Column[Notice]] = [
    Column("time", "col.time", 11, lambda n: short_time(n.at), lambda n: n.seq),
    Column("step", "notice.col_step", 8, lambda n: step_name(n.step), lambda n: n.step),
    Column("number", "col.number", 14, lambda n: n.number, lambda n: n.number),
    Column("dept", "col.dept", DEPT_CELLS, dept_label, lambda n: n.dept),
    Column("due", "col.due", 11, lambda n: short_time(n.deadline), lambda n: n.deadline),
    Column("title", "col.title", None, lambda n: n.title),
]


class NoticesScreen(ConsoleModal[tuple[str, str | None] | None]):
    """The recent notices, newest first; Enter opens the order (returns its number and the
    department of the part the notice is about)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_notices", tr("key.back")),
    ]

    def __init__(self, notices: Sequence[Notice]) -> None:
        super().__init__()
        self.notices = list(reversed(notices))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="notices-box"):
            yield Label(tr("notice.list_title", n=len(self.notices)), classes="dialog-title")
            yield DataGrid(COLUMNS, key=lambda n: str(n.seq), id="notices")

    def on_mount(self) -> None:
        grid = self.query_one("#notices", DataGrid)
        grid.show_rows(self.notices)
        grid.focus()

    @on(DataTable.RowSelected, "#notices")
    def _open(self) -> None:
        item = self.query_one("#notices", DataGrid).current
        self.dismiss((item.number, item.dept) if item is not None else None)

    def action_dismiss_notices(self) -> None:
        self.dismiss(None)


def bars_of(screens: Sequence[object]) -> list[TopBar]:
    """The top bars of ``screens`` (mode screens and orders opened on them)."""
    found: list[TopBar] = []
    for screen in screens:
        query = getattr(screen, "query", None)
        if query is not None:
            found.extend(query(TopBar))
    return found
