"""工单: find orders by number, phone, words, state, department and dates; open one.

Enter in any criterion searches (in a worker); Enter on a result opens the order. The results are
read again when the change feed says one of them changed, the cursor kept on its order (or the
next one, in its place). Typing in the results types in the criterion last used (a letter there
is never a key of the list: Ctrl+O sorts the results); Esc goes back to it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label

from hotline_tui.domain.display_time import display_zone
from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.moments import parse_local_day
from hotline_tui.domain.states import TicketState
from hotline_tui.ui.i18n import state_name, tr, type_name
from hotline_tui.ui.intake_forms import find_query
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.text import local_time
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.grid import Column, DataGrid
from hotline_tui.ui.widgets.keybar import KeyBar
from hotline_tui.ui.widgets.picker import Picker, PickerInput

if TYPE_CHECKING:
    from hotline_tui.services.live import Change
    from hotline_tui.services.reference.pickers import PickerSet
    from hotline_tui.services.tickets.views import TicketSummary

__all__ = ["OrdersScreen", "parse_day"]

COLUMNS: list[Column[TicketSummary]] = [
    Column("number", "col.number", 14, lambda r: r.number, lambda r: r.number),
    Column("state", "col.state", 10, lambda r: state_name(r.state), lambda r: r.state),
    Column("type", "col.type", 4, lambda r: type_name(r.request_type), lambda r: r.request_type),
    Column(
        "created", "col.created", 16, lambda r: local_time(r.created_at), lambda r: r.created_at
    ),
    Column("phone", "col.phone", 11, lambda r: r.contact_phone or "", lambda r: r.contact_phone),
    Column("title", "col.title", None, lambda r: r.title or r.description),
]


def parse_day(text: str) -> datetime | None:
    """``YYYY-MM-DD`` (the hotline's local day) as an aware datetime, or None when empty.

    Raises ValueError for anything else, and for a day outside the years the hotline computes
    in (0001-01-01 would be in year 0 once in UTC).
    """
    text = text.strip()
    if not text:
        return None
    try:
        zone = display_zone()
        return parse_local_day(text, tz=zone).astimezone(zone)
    except ValidationError as exc:
        raise ValueError(exc.describe()) from exc


class OrdersScreen(ConsoleScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "find", tr("key.find"), id="orders.find"),
        Binding("escape", "focus_criteria", tr("key.back"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.criteria: dict[str, Any] | None = None
        self.results: list[TicketSummary] = []
        self._pickers_asked = False
        self._field = "f-number"  # the criterion last used: typing in the results goes there
        self._shown: dict[str, Any] | None = None  # the criteria whose results are on screen

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.orders"))
        with Horizontal(classes="form-row"):
            yield Label(tr("orders.number"), classes="field-label")
            yield Input(id="f-number", compact=True, classes="w-number")
            yield Label(tr("orders.phone"), classes="field-label")
            yield Input(id="f-phone", compact=True, classes="w-phone")
            yield Label(tr("orders.words"), classes="field-label")
            yield Input(id="f-words", compact=True)
        with Horizontal(classes="form-row"):
            yield Label(tr("orders.state"), classes="field-label")
            states = [("", "—")] + [(s.value, state_name(s.value)) for s in TicketState]
            yield Choice(states, id="f-state")
            yield Label(tr("orders.dept"), classes="field-label")
            yield Picker(id="f-dept", classes="w-dept")
        # The dates on a row of their own: beside a state choice as wide as its longest state
        # they ran off an 80-column screen.
        with Horizontal(classes="form-row"):
            yield Label(tr("orders.since"), classes="field-label")
            yield Input(id="f-since", compact=True, placeholder="YYYY-MM-DD", classes="w-date")
            yield Label(tr("orders.until"), classes="field-label")
            yield Input(id="f-until", compact=True, placeholder="YYYY-MM-DD", classes="w-date")
        yield DataGrid(COLUMNS, key=lambda r: r.number, id="results", type_back=self._criterion)
        yield MessageLine(id="orders-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.ui.register_live(self)
        self.query_one("#f-number", Input).focus()
        if self.ui.actor is not None:
            self.session_ready()

    def session_ready(self) -> None:
        self.query_one(TopBar).user = self.ui.user_label()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input) and event.widget.id:
            self._field = event.widget.id
        if not self._pickers_asked and isinstance(event.widget, PickerInput):
            self._pickers_asked = True
            self.db(self.backend.pickers, self._pickers_ready, group="warm")

    def _pickers_ready(self, pickers: PickerSet) -> None:
        self.query_one("#f-dept", Picker).search = lambda q: pickers.departments.search(q, 8)

    # ------------------------------------------------------------------ searching

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_find()

    def action_find(self) -> None:
        message = self.query_one(MessageLine)
        try:
            since = parse_day(self.query_one("#f-since", Input).value)
            until = parse_day(self.query_one("#f-until", Input).value)
        except ValueError:
            message.show(tr("orders.bad_date"), "error")
            return
        self.criteria = {
            "number": self.query_one("#f-number", Input).value.strip(),
            "phone": self.query_one("#f-phone", Input).value.strip(),
            "words": self.query_one("#f-words", Input).value.strip(),
            "state": self.query_one("#f-state", Choice).value,
            "dept": self.query_one("#f-dept", Picker).value,
            "since": since,
            "until": until,
            "limit": 200,
        }
        self.reload()

    def search_phone(self, phone: str) -> None:
        """From the palette or the intake screen: the orders of this number."""
        for field in ("#f-number", "#f-words", "#f-since", "#f-until"):
            self.query_one(field, Input).value = ""
        self.query_one("#f-phone", Input).value = phone
        self._field = "f-phone"
        self.action_find()

    def reload(self) -> None:
        criteria = self.criteria
        if criteria is None or self.ui.actor is None:
            return
        self.db(lambda: self.backend.find(find_query(criteria)), self._found, group="find")

    def _found(self, results: list[TicketSummary]) -> None:
        first = not self.results
        self.results = results
        grid: DataGrid[TicketSummary] = self.query_one("#results", DataGrid)
        # The same search read again keeps the cursor's place; a new one starts at the top.
        grid.show_rows(results, keep_place=self.criteria is self._shown)
        self._shown = self.criteria
        self.query_one(MessageLine).show(tr("orders.found", n=len(results)))
        # The first results take the focus, unless the operator has gone on typing while the
        # search ran (a slow link): the focus stays with what they type.
        if results and first and not grid.has_focus and not self._typed_since_find():
            grid.focus()

    def _typed_since_find(self) -> bool:
        criteria = self.criteria or {}
        return any(
            self.query_one(f"#f-{name}", Input).value.strip() != criteria.get(name)
            for name in ("number", "phone", "words")
        )

    def wants(self, changes: Sequence[Change]) -> bool:
        if self.criteria is None:
            return False
        shown = {r.number for r in self.results}
        return any(c.ticket in shown or c.action == "register" for c in changes)

    # ------------------------------------------------------------------ results

    @on(DataTable.RowSelected, "#results")
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.query_one("#results", DataGrid).current
        if row is not None:
            self.ui.open_order(row.number)

    @on(DataGrid.Sorted)
    def _sorted(self, event: DataGrid.Sorted) -> None:
        self.query_one(MessageLine).show(tr("queue.sorted", column=event.label))

    def _criterion(self) -> Input:
        """The criterion last used (where typing in the results goes)."""
        found = self.query(f"#{self._field}")
        field = found.first() if found else None
        return field if isinstance(field, Input) else self.query_one("#f-number", Input)

    def action_focus_criteria(self) -> None:
        self._criterion().focus()
