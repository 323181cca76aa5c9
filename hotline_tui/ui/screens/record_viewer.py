"""Reading one row of the order view in full: Enter on a department's part or a timeline event
opens :class:`RecordViewer`, a read-only dialog with every field of the row and its whole text
(a reply, a return's basis, a note) wrapped and scrollable; Esc closes it.

The lines come from the order's view as the service gave it (:func:`part_record`,
:func:`event_record`): nothing is read again, and what the service hides stays hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from hotline_tui.ui.i18n import choice_name, event_name, state_name, tr
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.text import content, local_time

if TYPE_CHECKING:
    from hotline_tui.services.tickets.views import AssignmentView, EventView, TicketDetail

__all__ = ["RecordViewer", "dept_label", "event_record", "part_record"]


def dept_label(code: str | None, d: TicketDetail) -> str:
    """A department of the order by its code and full name (``M03 青川市住房和城乡建设局``)."""
    if not code:
        return ""
    name = next((a.dept_name for a in d.assignments if a.dept == code), "")
    return f"{code} {name}".strip()


def _line(key: str, value: object) -> str | None:
    return f"{tr(key)}：{value}" if value not in (None, "") else None


def part_record(a: AssignmentView) -> tuple[str, list[str]]:
    """A department's part: the title and its lines (the whole reply, return and extension)."""
    title = f"{a.dept} {a.dept_name}（{tr('role.' + a.role)}）"
    lines = [
        _line("record.part_state", state_name(a.state)),
        _line("record.assigned_at", local_time(a.created_at)),
        _line("record.sign_due", local_time(a.sign_due_at)),
        _line("record.signed_at", local_time(a.signed_at)),
        _line(
            "record.due", local_time(a.due_at) + (tr("detail.provisional") if a.provisional else "")
        ),
        _line("record.replied_at", local_time(a.replied_at)),
    ]
    if a.extension_days_requested:
        lines.append(tr("record.extension", n=a.extension_days_requested))
    if a.extension_days_granted:
        lines.append(tr("record.extension_granted", n=a.extension_days_granted))
    if a.return_reason:
        lines.append(_line("record.return_reason", choice_name(a.return_reason)))
    if a.return_basis:
        lines.append(tr("record.return_basis") + "：\n" + a.return_basis)
    lines.append(tr("record.reply") + "：\n" + (a.reply_text or tr("record.no_reply")))
    return title, [line for line in lines if line]


def event_record(e: EventView, d: TicketDetail) -> tuple[str, list[str]]:
    """A timeline event: the title and its lines (the whole note)."""
    title = f"{event_name(e.action)} · {local_time(e.at)}"
    moved = f"{state_name(e.from_state)} → {state_name(e.to_state)}" if e.to_state else ""
    lines = [
        _line("record.actor", e.actor + (f"（{e.os_user}）" if e.os_user else "")),
        _line("record.action", f"{event_name(e.action)}（{e.action}）"),
        _line("record.state", moved.strip()),
        _line("record.dept", dept_label(e.dept, d)),
        _line("record.seq", e.seq),
        tr("record.note") + "：\n" + (e.note or tr("detail.none")),
    ]
    return title, [line for line in lines if line]


class RecordViewer(ConsoleModal[None]):
    """One row in full, read-only: ↑/↓ and PgUp/PgDn scroll, Esc closes."""

    DEFAULT_CSS = """
    RecordViewer #record-body { height: auto; max-height: 18; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "close", tr("key.back"), id="record.back"),
    ]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="record-box"):
            yield Label(content(self.title_text, single_line=True), classes="dialog-title")
            with VerticalScroll(id="record-body"):
                yield Static(content("\n".join(self.lines)), id="record-text")
            yield Label(tr("record.hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#record-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
