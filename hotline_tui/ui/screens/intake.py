"""受理: a new call, from the phone number to a saved (answered or dispatched) order.

The phone comes first; as soon as it is a valid number the caller's history is read in a worker.
Category, area and departments are picked by Chinese, pinyin, initials or short name. Choosing a
category (and area) asks the dispatch catalogue for the lead department, which stays editable.
The form is kept in a draft file (see ``intake_draft``), so a dropped connection loses nothing;
saving the order discards the draft, and F8 asks before it gives up a typed call. Keys typed
before the session is ready are acted on when it is (the caller's history, the pick lists).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label, TextArea

from hotline_tui.services.tickets.drafts import is_blank
from hotline_tui.ui.i18n import error_text, state_name, tr
from hotline_tui.ui.intake_forms import disposition, intake_input
from hotline_tui.ui.screens.intake_caller import CallerLookup
from hotline_tui.ui.screens.intake_draft import IntakeDraft
from hotline_tui.ui.screens.intake_dups import FIELDS, IntakeDuplicates
from hotline_tui.ui.screens.intake_enterprise import IntakeEnterprises
from hotline_tui.ui.screens.intake_kb import IntakeKnowledge
from hotline_tui.ui.screens.intake_nlp import IntakeSuggestions
from hotline_tui.ui.text import content
from hotline_tui.ui.widgets.bars import MessageLine, TopBar
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.intake_form import IntakeForm
from hotline_tui.ui.widgets.keybar import KeyBar
from hotline_tui.ui.widgets.picker import Picker, PickerInput

if TYPE_CHECKING:
    from hotline_tui.services.reference.catalogue import DeptView
    from hotline_tui.services.reference.pickers import PickerSet
    from hotline_tui.services.tickets.intake import Registered
    from hotline_tui.services.tickets.lookup import CallerHistory, EnterpriseView

__all__ = ["IntakeScreen"]

# Which form field a service's validation error points at.
FIELD_OF = {
    "description": "description",
    "validation.mobile": "phone",
    "validation.landline": "phone",
    "validation.phone": "phone",
    "validation.credit_code": "credit_code",
    "validation.callback_phone": "callback",
    "channel": "channel",
    "caller.name": "name",
    "lead_dept": "lead",
    "answer_text": "answer",
}


class IntakeScreen(CallerLookup):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10,ctrl+s", "save", tr("key.save"), id="intake.save"),
        Binding("f8", "new_call", tr("key.clear"), id="intake.clear"),
        Binding("f7", "caller_orders", tr("intake.caller_orders"), id="intake.history", show=False),
        Binding("f9", "kb_suggest", tr("key.kb_suggest"), id="intake.kb"),
        Binding("ctrl+r", "nlp_undo", tr("key.nlp_undo"), id="intake.nlp_undo", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pickers: PickerSet | None = None
        self.history: CallerHistory | None = None
        self.suggested: str | None = None
        self.saving = False
        self._pending_restore: dict[str, str] | None = None
        self._looked_up = ""
        self._pickers_asked = False
        self.enterprise = IntakeEnterprises(self)
        self.kb = IntakeKnowledge(self)
        self.dups = IntakeDuplicates(self)
        self.nlp = IntakeSuggestions(self)
        self.drafts = IntakeDraft(self)
        self._call_message = ""  # the last call's outcome, shown until the next call starts

    def compose(self) -> ComposeResult:
        yield TopBar(tr("mode.intake"))
        yield IntakeForm(id="intake-form")
        yield MessageLine(id="intake-message")
        yield KeyBar()

    @property
    def form(self) -> IntakeForm:
        return self.query_one(IntakeForm)

    def on_mount(self) -> None:
        self.ui.register_live(self)
        self.query_one("#phone", Input).focus()
        self.drafts.install_hangup()
        if self.ui.actor is not None:
            self.session_ready()
        if self.ui.draft_answered:  # opened after the offer (a dispatcher's second mode)
            self.draft_answered()

    def draft_answered(self) -> None:
        """The previous session's draft was answered: restore it if asked, then keep this
        form's own draft from now on."""
        restore = self.ui.take_draft_to_restore()
        if restore is not None:
            self.restore(restore)
        self.drafts.release()

    def on_unmount(self) -> None:
        self.drafts.remove_hangup()
        self.drafts.write_at_exit()  # the console is closing: the last keys too

    def session_ready(self) -> None:
        self.query_one(TopBar).user = self.ui.user_label()
        self.form.set_channels(self.backend.settings.intake_channels)
        self.dups.warm()
        self._catch_up()

    def _catch_up(self) -> None:
        """Keys typed before the session was ready are in the fields: act on them now, as if
        they were typed now (a repeat caller typed fast must not be missed)."""
        phone = self.query_one("#phone", Input).value
        if phone.strip():
            self._phone_typed(phone)
        if self.query_one("#caller_kind", Choice).value == "enterprise":
            for field in ("#name", "#credit_code"):
                typed = self.query_one(field, Input).value
                if typed.strip():
                    self.enterprise.typed(typed)
        self.kb.typed(self.query_one("#description", TextArea).text)
        self.nlp.typed(self.query_one("#description", TextArea).text)
        self.dups.changed()
        form = self.form
        in_picker = isinstance(self.focused, PickerInput)
        if in_picker or any(picker.text.strip() for picker in form.query(Picker)):
            self._ask_pickers()

    def _ask_pickers(self) -> None:
        if self.pickers is None and not self._pickers_asked and self.ui.actor is not None:
            self._pickers_asked = True
            self.db(self.backend.pickers, self.pickers_ready, group="pickers")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The first time a picker is reached, make sure its list is (being) loaded."""
        if isinstance(event.widget, PickerInput):
            self._ask_pickers()

    def pickers_ready(self, pickers: PickerSet) -> None:
        if self.pickers is not None:
            return
        self.pickers = pickers
        form = self.form
        form.picker("category").search = lambda q: pickers.categories.search(q, 8)
        form.picker("area").search = lambda q: pickers.areas.search(q, 8)
        form.picker("lead").search = lambda q: pickers.departments.search(q, 8)
        form.picker("co").search = lambda q: pickers.departments.search(q, 8)
        self.nlp.wrap(pickers)  # the suggestions first in the category's and the lead's
        if self._pending_restore is not None:
            self.restore(self._pending_restore)
        for picker in form.query(Picker):
            if picker.has_focus_within:
                picker.refresh_matches()  # typed (or reached empty) before the list was there

    # ------------------------------------------------------------------ phone (see intake_caller)

    @on(Input.Changed, "#phone")
    def _phone_changed(self, event: Input.Changed) -> None:
        self._phone_typed(event.value)

    # ------------------------------------------------------------------ choices and pickers

    @on(Choice.Changed, "#disposition")
    def _disposition(self, event: Choice.Changed) -> None:
        self.form.show_for(event.value)

    @on(Choice.Changed, "#request_type")
    def _request_type(self, event: Choice.Changed) -> None:
        self.nlp.chosen(event.value, event.choice.has_focus)

    @on(Choice.Changed, "#caller_kind")
    def _kind(self, event: Choice.Changed) -> None:
        self.form.show_caller(event.value)

    @on(Picker.Picked, "#category, #area")
    def _place_picked(self, event: Picker.Picked) -> None:
        category = self.form.picker("category").value
        area = self.form.picker("area").value
        self.nlp.place_changed()
        if category is None or self.ui.actor is None:
            return
        self.db(
            lambda: self.backend.suggest(category, area),
            self._suggested,
            group="suggest",
        )

    def _suggested(self, dept: DeptView | None) -> None:
        hint = self.query_one("#suggestion", Label)
        lead = self.form.picker("lead")
        if dept is None:
            hint.update(tr("intake.no_suggestion"))
            return
        name = dept.short_name or dept.name
        hint.update(content(tr("intake.suggested", name=dept.name)))
        # The suggestion fills the lead unless the operator chose one themselves (the model's
        # suggestion gives way to the catalogue's rule).
        if lead.value is None or lead.value == self.suggested or self.nlp.holds("department"):
            lead.set_value(dept.code, f"{name}")
            self.nlp.edited("lead", dept.code)
        self.suggested = dept.code

    # ------------------------------------------------------------------ drafts

    def on_input_changed(self, event: Input.Changed) -> None:
        self._form_changed()
        if event.input.id in FIELDS:
            self.dups.changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._form_changed()
        if event.text_area.id == "description":
            self.kb.typed(event.text_area.text)
            self.nlp.typed(event.text_area.text)
            self.dups.changed()

    def action_kb_suggest(self) -> None:
        self.kb.preview()

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self._form_changed()

    def on_picker_picked(self, event: Picker.Picked) -> None:
        self._form_changed()
        if event.picker.id:
            self.nlp.edited(event.picker.id, event.code)

    def action_nlp_undo(self) -> None:
        self.nlp.undo()

    def _form_changed(self) -> None:
        values = self.form.values()
        self.drafts.changed(values)
        if self._call_message and not is_blank(values):
            # The next call has started: the last one's outcome goes (if it is still shown).
            message = self.query_one(MessageLine)
            if message.message == self._call_message:
                message.show("")
            self._call_message = ""

    def save_draft_now(self) -> None:
        self.drafts.write_now()

    def restore(self, values: dict[str, str]) -> None:
        # Searching in the pickers needs the pick lists: restore again when they arrive.
        self._pending_restore = values if self.pickers is None else None
        self._looked_up = ""
        self.form.restore(values)
        self.query_one(MessageLine).show(tr("draft.restored"))

    # ------------------------------------------------------------------ saving

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("name", "credit_code"):
            self.enterprise.fill_first()
        self.focus_next()

    @on(Input.Changed, "#name, #credit_code")
    def _enterprise_typed(self, event: Input.Changed) -> None:
        self.enterprise.typed(event.value)

    @property
    def enterprises(self) -> list[EnterpriseView]:
        """The enterprises found for what was typed (Enter fills in the first)."""
        return self.enterprise.found

    def history_replaced(self) -> None:
        """Something else took the history's place: its order lines wait no more."""
        self._history_rest = None

    def action_new_call(self) -> None:
        """F8: a fresh form. A typed call is given up only when the operator says so."""
        values = self.form.values()
        if is_blank(values):
            self.new_call()
            return
        from hotline_tui.ui.screens.intake_dialogs import NewCallConfirm

        def answer(give_up: bool | None) -> None:
            if give_up:
                self.new_call()

        self.app.push_screen(NewCallConfirm(values), answer)

    def new_call(self) -> None:
        """Clear the form for the next call; the draft goes with it."""
        self.drafts.discard()
        self.form.clear()
        self.history = None
        self._history_rest = None
        self.suggested = None
        self._looked_up = ""
        self._call_message = ""
        self.dups.clear()
        self.nlp.clear()
        self.query_one(MessageLine).show("")
        self.query_one("#phone", Input).focus()

    def action_save(self) -> None:
        if self.saving or self.ui.actor is None:
            return
        values = self.form.values()
        problem = self._check(values)
        if problem is not None:
            field, message = problem
            self.query_one(MessageLine).show(message, "error")
            self._focus_field(field)
            return
        form: dict[str, Any] = dict(values)
        form["co"] = [c for c in values.get("co", "").split(",") if c]
        form["confidential"] = values.get("confidential") == "1"
        if values.get("caller_kind") == "anonymous":
            form["name"] = ""
        self.saving = True
        self.query_one(MessageLine).show("…")
        offered = self.nlp.records()

        def register() -> Registered:
            record = intake_input(form)
            settled = replace(disposition(form, record), suggestions=offered)
            return self.backend.register(record, settled)

        self.db(
            register,
            self._saved,
            group="save",
            exclusive=False,
            failed=self._save_failed,
        )

    def _check(self, values: dict[str, str]) -> tuple[str, str] | None:
        """Inline checks before the save (the service checks everything again)."""
        if not values.get("description", "").strip():
            return "description", f"{tr('intake.description')}：{tr('intake.required')}"
        disposition = values.get("disposition")
        if disposition == "dispatch" and not values.get("lead"):
            return "lead", f"{tr('intake.lead')}：{tr('intake.required')}"
        if disposition == "answer" and not values.get("answer", "").strip():
            return "answer", f"{tr('intake.answer')}：{tr('intake.required')}"
        return None

    def _saved(self, result: Registered) -> None:
        self.saving = False
        message = tr("intake.saved", number=result.number, state=state_name(result.state))
        self.new_call()
        # On the message line only: a toast would cover the line (and the status) in
        # low-bandwidth mode; the line keeps it until the next call starts.
        self.query_one(MessageLine).show(message)
        self._call_message = message

    def _save_failed(self, error: BaseException) -> None:
        """Refused: say why, keep everything typed, go to the field concerned."""
        self.saving = False
        self.query_one(MessageLine).show(error_text(error), "error")
        params = getattr(error, "params", {})
        field = FIELD_OF.get(str(params.get("field", ""))) or FIELD_OF.get(
            getattr(error, "code", "")
        )
        if field:
            self._focus_field(field)

    def _focus_field(self, field: str) -> None:
        for widget in self.query(f"#{field}"):
            if widget.display:
                widget.focus()
