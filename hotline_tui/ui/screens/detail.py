"""One order in full: its fields, the caller, its 督办 (answered or waiting), its 提级 and 会商
(participants, due time, outcome or waiting), its return-visit calls, each department's part
with its due times, the co-handlers' opinions (协办意见) in full, the materials and the whole
timeline. Order actions act on the order; department actions on the part under the cursor in
the departments table; Enter on a part or an event shows it whole (:mod:`.record_viewer`).
Re-read when the change feed names the order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from hotline_tui.ui.actions import WITHDRAW_REQUESTED, Target
from hotline_tui.ui.i18n import choice_name, event_name, label, state_name, tr, type_name
from hotline_tui.ui.order_forms import edit_values
from hotline_tui.ui.part_text import part_extra
from hotline_tui.ui.screens.acting import ACTION_BINDINGS, ActingScreen
from hotline_tui.ui.screens.order_tools import MaterialsModal, relation_lines
from hotline_tui.ui.screens.record_viewer import RecordViewer, event_record, part_record
from hotline_tui.ui.text import content, local_time, short_time
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.grid import DEPT_CELLS, Column, DataGrid
from hotline_tui.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from hotline_tui.services.live import Change
    from hotline_tui.services.tickets.views import (
        AssignmentView,
        CallerView,
        EventView,
        SupervisionView,
        TicketDetail,
    )

__all__ = [
    "OrderDetailScreen",
    "awaiting_outcome",
    "co_opinion_lines",
    "open_supervision_depts",
    "summary_lines",
    "supervision_lines",
    "visit_lines",
]


def _due(a: AssignmentView) -> str:
    text = short_time(a.shown_due)
    return text + (tr("detail.provisional") if text and a.provisional else "")


PART_COLUMNS: list[Column[AssignmentView]] = [
    # The catalogue's short name: cut full names looked alike (青川市市场监… / 青川市市场监督…).
    Column("dept", "col.dept", DEPT_CELLS, lambda a: a.dept_short or a.dept_name, lambda a: a.dept),
    Column("role", "col.role", 4, lambda a: tr(f"role.{a.role}"), lambda a: a.role),
    Column("state", "col.part", 8, lambda a: state_name(a.state), lambda a: a.state),
    Column("due", "col.due", 13, _due, lambda a: a.due_at),
    Column("signed", "col.signed", 11, lambda a: short_time(a.signed_at), lambda a: a.signed_at),
    Column("note", "col.note", None, lambda a: a.reply_text or a.return_basis or ""),
]
EVENT_COLUMNS: list[Column[EventView]] = [
    Column("time", "col.time", 11, lambda e: short_time(e.at), lambda e: e.seq),
    Column("actor", "col.actor", 8, lambda e: e.actor, lambda e: e.actor),
    Column("action", "col.action", 14, lambda e: event_name(e.action), lambda e: e.action),
    Column(
        "state",
        "col.state",
        12,
        lambda e: f"{state_name(e.from_state)}→{state_name(e.to_state)}" if e.to_state else "",
    ),
    Column("dept", "col.dept", 5, lambda e: e.dept or ""),
    Column("note", "col.note", None, lambda e: e.note),
]


def summary_lines(d: TicketDetail) -> list[str]:
    """The order's own fields as lines of plain text (shown through ``content``)."""
    lines = [
        f"{d.number}  {state_name(d.state)}  v{d.version}  {type_name(d.request_type)}"
        f"  {tr('urgency.' + d.urgency)}  {local_time(d.created_at)}"
        + ("  " + tr("intake.confidential") if d.confidential else ""),
        f"{tr('intake.category')}：{d.category_path or ''}"
        f"   {tr('intake.area')}：{d.area_name or d.area or ''}  {d.address}",
    ]
    if d.caller is not None:
        caller = d.caller
        callback = (
            f"  {tr('detail.callback')} {caller.callback_phone}" if caller.callback_phone else ""
        )
        lines.append(
            f"{tr('detail.caller')}：{caller.name} {caller.phone or ''} {caller.credit_code or ''}"
            + callback
            + f"  {tr('detail.channel')} {d.channel_label or d.channel}"
            + ("  ⚠ " + tr("intake.abusive") if caller.abusive else "")
        )
    elif d.confidential:
        lines.append(tr("detail.hidden"))
    if d.withdraw_requested is not None:
        lines.append(tr("detail.withdraw_requested", note=d.withdraw_requested))
    if d.title:
        lines.append(d.title)
    lines.append(d.description)
    if d.answer_text:
        lines.append(f"{tr('detail.answer')}：{d.answer_text}")
    return lines + relation_lines(d)


def open_supervision_depts(d: TicketDetail) -> set[str]:
    """The departments with a 督办 still to answer."""
    return {
        s.dept for s in d.supervisions if s.kind == "supervise" and s.answered_at is None and s.dept
    }


def supervision_lines(d: TicketDetail) -> list[tuple[str, bool]]:
    """Each 督办, 提级 and 会商 as a line of plain text, and whether it still waits for its
    answer (a 督办's, from the department) or outcome (a 提级's or 会商's)."""
    lines = []
    for s in d.supervisions:
        if s.kind == "supervise":
            head = f"{tr('detail.supervision')} {s.dept or ''} {local_time(s.created_at)} {s.note}"
            if s.answered_at is None:
                lines.append((f"{head}  【{tr('detail.supervision_open')}】", True))
            else:
                answered = f"{tr('detail.supervision_answered')} {local_time(s.answered_at)}"
                lines.append((f"{head}  {answered}：{s.answer or ''}", False))
        elif s.kind in ("escalate", "consult"):
            lines.append(_coordination_line(s))
    return lines


def _coordination_line(s: SupervisionView) -> tuple[str, bool]:
    names = [*s.depts, *([tr("detail.leader", name=s.leader)] if s.leader else [])]
    head = f"{label('step', s.kind)} {local_time(s.created_at)} {s.note}"
    if names:
        head += "  " + tr("detail.parties", names="、".join(names))
    if s.answered_at is not None:
        done = f"{tr('detail.result')}（{s.answered_by or ''} {local_time(s.answered_at)}）"
        return (f"{head}  {done}：{s.answer or ''}", False)
    due = f"  {tr('detail.result_due', at=local_time(s.due_at))}" if s.due_at else ""
    return (f"{head}{due}  【{tr('detail.result_open')}】", True)


def awaiting_outcome(d: TicketDetail) -> frozenset[str]:
    """The kinds of 提级/会商 still waiting for their outcome."""
    return frozenset(
        s.kind for s in d.supervisions if s.kind in ("escalate", "consult") and not s.answered_at
    )


def co_opinion_lines(d: TicketDetail) -> list[str]:
    """Each co-handler's opinion (协办意见: its reply) in full, or that it has not replied yet:
    the lead weighs them before replying for the order. From the order's view as the service
    shows it to this user."""
    lines = []
    for a in d.assignments:
        if a.role != "co":
            continue
        name = a.dept_short or a.dept_name
        if a.reply_text:
            # The opinion on lines of its own: wrapped, it reads from the line's start.
            when = tr("detail.co_replied", at=short_time(a.replied_at))
            lines.append(f"{name}（{a.dept}，{when}）：\n{a.reply_text}")
        else:
            lines.append(
                f"{name}（{a.dept}）：{tr('detail.co_waiting', state=state_name(a.state))}"
            )
    return lines


def visit_lines(d: TicketDetail) -> list[str]:
    """Every return-visit call, oldest first, as plain text."""
    lines = []
    for v in d.visits:
        text = tr(
            "detail.visit_line",
            n=v.attempt,
            at=local_time(v.at),
            by=v.by,
            contact=choice_name(v.contact),
        )
        answers = [choice_name(a) for a in (v.resolution, v.satisfaction) if a]
        parts = [text, *answers, choice_name(v.action), v.note]
        lines.append("  ".join(part for part in parts if part))
    return lines


class OrderDetailScreen(ActingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", tr("key.back"), id="detail.back"),
        Binding("f9", "refresh_detail", tr("key.refresh"), id="detail.refresh", show=False),
        Binding("O", "materials", tr("key.materials"), id="detail.materials"),
        *ACTION_BINDINGS,
    ]

    def __init__(self, number: str, dept: str | None = None) -> None:
        super().__init__()
        self.number = number
        # The department's part the order was opened for (a queue row's): the cursor starts
        # on it, so the row's actions are offered wherever the focus goes in the view.
        self.start_dept = dept
        self.detail: TicketDetail | None = None
        self.revealed: CallerView | None = None  # kept until the screen closes

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.orders") + " " + self.number)
        with VerticalScroll(id="detail-body"):
            yield Static("", id="detail-summary")
            yield Label(tr("detail.assignments") + tr("detail.enter_reads"), classes="section")
            yield DataGrid(
                PART_COLUMNS, key=lambda a: str(a.id), id="detail-parts", classes="auto-height"
            )
            yield Static("", id="detail-co")
            yield Static("", id="detail-materials")
            yield Label(tr("detail.timeline") + tr("detail.enter_reads"), classes="section")
            yield DataGrid(
                EVENT_COLUMNS, key=lambda e: str(e.seq), id="detail-timeline", classes="auto-height"
            )
        yield MessageLine(id="detail-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.ui.register_live(self)
        self.query_one(TopBar).user = self.ui.user_label()
        self.query_one("#detail-parts", DataGrid).focus()
        self.reload()

    def reload(self) -> None:
        number = self.number
        self.db(lambda: self.backend.show(number), self._loaded, group="detail")

    def _loaded(self, detail: TicketDetail) -> None:
        if self.revealed is not None:
            detail = replace(detail, caller=self.revealed)
        self.detail = detail
        body = content("")
        for index, line in enumerate(summary_lines(detail)):
            body = body.append(content(("\n" if index else "") + line))
        for line, waiting in supervision_lines(detail):
            body = body.append(content("\n" + line, "bold red" if waiting else ""))
        visits = visit_lines(detail)
        if visits:
            body = body.append(content("\n" + tr("detail.visits") + "："))
            for line in visits:
                body = body.append(content("\n  " + line))
        self.query_one("#detail-summary", Static).update(body)
        parts: DataGrid[AssignmentView] = self.query_one("#detail-parts", DataGrid)
        parts.show_rows(detail.assignments)
        depts = [a.dept for a in parts.rows_data]
        if self.start_dept in depts:
            parts.move_cursor(row=depts.index(self.start_dept), animate=False)
        self.start_dept = None  # once: then the cursor is the user's
        opinions = co_opinion_lines(detail)
        co = self.query_one("#detail-co", Static)
        co.display = bool(opinions)
        co.update(content("\n".join([tr("detail.co_opinions") + "：", *opinions])))
        materials = "  ".join(f"{m.filename} ({m.size} B)" for m in detail.materials)
        self.query_one("#detail-materials", Static).update(
            content(f"{tr('detail.materials')}：{materials or tr('detail.none')}")
        )
        self.query_one("#detail-timeline", DataGrid).show_rows(detail.timeline)
        self.refresh_bindings()

    def wants(self, changes: Sequence[Change]) -> bool:
        return any(c.ticket == self.number for c in changes)

    def current_target(self) -> Target | None:
        d = self.detail
        if d is None:
            return None
        part = self.query_one("#detail-parts", DataGrid).current
        lead_reply = next(
            (a.reply_text for a in d.assignments if a.role == "lead" and a.reply_text), None
        )
        return Target(
            number=d.number,
            ticket_state=d.state,
            ticket_version=d.version,
            dept=part.dept if part else None,
            part_state=part.state if part else None,
            part_version=part.version if part else None,
            supervised=part is not None and part.dept in open_supervision_depts(d),
            extension_days=part.extension_days_requested if part else None,
            reply_text=lead_reply,
            extra=edit_values(d)
            | ({WITHDRAW_REQUESTED: "1"} if d.withdraw_requested is not None else {})
            | (
                part_extra(
                    granted=part.extension_days_granted,
                    cap=part.extension_cap,
                    left=part.extension_left,
                    late=part.return_late and part.state == "return_review",
                    window_end=part.return_due_at,
                )
                if part
                else {}
            ),
            part_role=part.role if part else None,
            caller_masked=d.caller is not None and d.caller.masked,
            awaiting=awaiting_outcome(d),
        )

    def acted(self, name: str, result: Any) -> None:
        if name == "reveal" and result is not None:
            self.revealed = result.caller
            self._loaded(result)
            self.query_one(MessageLine).show(tr("reveal.shown"))
            return
        super().acted(name, result)

    def action_materials(self) -> None:
        if self.detail is not None:
            self.app.push_screen(MaterialsModal(self.number, list(self.detail.materials)))

    @on(DataTable.RowHighlighted, "#detail-parts")
    def _moved(self) -> None:
        self.target_moved()

    @on(DataTable.RowSelected, "#detail-parts")
    def _read_part(self, event: DataTable.RowSelected) -> None:
        event.stop()
        part = self.query_one("#detail-parts", DataGrid).current
        if part is not None:
            self.app.push_screen(RecordViewer(*part_record(part)))

    @on(DataTable.RowSelected, "#detail-timeline")
    def _read_event(self, event: DataTable.RowSelected) -> None:
        event.stop()
        seen = self.query_one("#detail-timeline", DataGrid).current
        if seen is not None and self.detail is not None:
            self.app.push_screen(RecordViewer(*event_record(seen, self.detail)))

    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh_detail(self) -> None:
        self.reload()
