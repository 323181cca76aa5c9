"""The intake form's fields, in the order an operator asks them, and their values as strings.

The form knows no rules and no database: it lays the fields out, shows or hides the rows the
chosen disposition needs, and reads and restores its values (``values()`` / ``restore()``, the
same strings a draft keeps). The intake screen decides what happens.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, TextArea

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.text import plain
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.history import HistoryLines
from hotline_tui.ui.widgets.kb_line import SuggestLine
from hotline_tui.ui.widgets.lean import LeanInput, LeanTextArea
from hotline_tui.ui.widgets.picker import Picker, PickerInput
from hotline_tui.ui.widgets.still import StillLine

__all__ = ["DISPOSITIONS", "IntakeForm"]

# Until the settings' list arrives (``set_channels``, once a user is logged in): the one channel
# every hotline has.
FIRST_CHANNEL = ("phone", "电话")

REQUEST_TYPES = ("consult", "help", "complaint", "report", "suggestion", "praise", "other")
URGENCIES = ("normal", "urgent", "critical")
CALLER_KINDS = ("person", "enterprise", "anonymous")
DISPOSITIONS = ("dispatch", "answer", "queue", "withdraw", "invalid")


def _row(label: str, *widgets: Widget, id: str | None = None) -> Horizontal:
    return Horizontal(Label(tr(label), classes="field-label"), *widgets, classes="form-row", id=id)


class IntakeForm(Vertical):
    """Fields of one call."""

    def compose(self) -> ComposeResult:
        from hotline_tui.ui.i18n import type_name

        yield _row(
            "intake.phone",
            LeanInput(id="phone", compact=True, max_length=20, classes="w-phone"),
            Label(tr("intake.caller_kind"), classes="field-label"),
            Choice([(k, tr(f"kind.{k}")) for k in CALLER_KINDS], id="caller_kind"),
            Label(tr("intake.name"), classes="field-label"),
            LeanInput(id="name", compact=True, max_length=200),
        )
        yield _row(
            "intake.credit",
            LeanInput(id="credit_code", compact=True, max_length=18, classes="w-credit"),
            id="row-credit",
        )
        yield HistoryLines(id="history", classes="history")
        yield _row(
            "intake.type",
            Choice([(t, type_name(t)) for t in REQUEST_TYPES], id="request_type"),
            Label(tr("intake.urgency"), classes="field-label"),
            Choice([(u, tr(f"urgency.{u}")) for u in URGENCIES], id="urgency"),
            Label(tr("intake.confidential"), classes="field-label"),
            Choice([("", tr("no")), ("1", tr("yes"))], id="confidential"),
        )
        yield _row(
            "intake.channel",
            Choice([FIRST_CHANNEL], id="channel"),
            Label(tr("intake.callback"), classes="field-label"),
            LeanInput(id="callback", compact=True, max_length=20, classes="w-phone"),
        )
        yield _row("intake.category", Picker(id="category"))
        yield _row(
            "intake.area",
            Picker(id="area", classes="w-area"),
            Label(tr("intake.address"), classes="field-label"),
            LeanInput(id="address", compact=True, max_length=300),
        )
        with Horizontal(classes="form-row tall", id="row-description"):
            yield Label(tr("intake.description"), classes="field-label")
            yield LeanTextArea(id="description", compact=True, classes="description")
        yield SuggestLine(id="kb-suggest", classes="kb-suggest")
        # The suggested type, category and lead (screens/intake_nlp): shown once a model has
        # answered, never in low-bandwidth mode (there they start the knowledge line).
        yield StillLine(id="nlp-line", classes="nlp-line")
        yield _row(
            "intake.disposition",
            Choice([(d, tr(f"disp.{d}")) for d in DISPOSITIONS], id="disposition"),
            Label("", id="suggestion", classes="hint"),
        )
        yield _row("intake.lead", Picker(id="lead"), id="row-lead")
        yield _row("intake.co", Picker(id="co", multiple=True), id="row-co")
        with Horizontal(classes="form-row tall", id="row-answer"):
            yield Label(tr("intake.answer"), classes="field-label")
            yield LeanTextArea(id="answer", compact=True, classes="answer")
        yield _row("intake.note", LeanInput(id="note", compact=True, max_length=500), id="row-note")

    def on_mount(self) -> None:
        self.show_for("dispatch")
        self.show_caller("person")

    # ------------------------------------------------------------------ visibility

    def show_for(self, disposition: str) -> None:
        """Only the rows the disposition needs take space (and Tab stops)."""
        self.query_one("#row-lead").display = disposition == "dispatch"
        self.query_one("#row-co").display = disposition == "dispatch"
        self.query_one("#row-answer").display = disposition == "answer"
        self.query_one("#row-note").display = disposition in ("queue", "withdraw", "invalid")

    def show_caller(self, kind: str) -> None:
        """An enterprise has a credit code; an anonymous caller has no name (the field is
        emptied and cannot be typed into, nor reached by Tab)."""
        self.query_one("#row-credit").display = kind == "enterprise"
        name = self.query_one("#name", Input)
        anonymous = kind == "anonymous"
        if anonymous and name.value:
            name.value = ""
        name.disabled = anonymous

    def set_channels(self, channels: Mapping[str, str]) -> None:
        """The channels of the ``intake_channels`` setting (code → label), the first chosen
        until the operator picks another (← →, or its digit)."""
        choice = self.query_one("#channel", Choice)
        current = choice.value
        choice.options = list(channels.items()) or [FIRST_CHANNEL]
        choice.value = current
        choice.refresh(layout=True)

    # ------------------------------------------------------------------ values

    def picker(self, name: str) -> Picker:
        return self.query_one(f"#{name}", Picker)

    def values(self) -> dict[str, str]:
        """Every field as a string (what a draft keeps and what the backend is given)."""
        out: dict[str, str] = {}
        for field in self.query(Input):
            if field.id and not isinstance(field, PickerInput):
                out[field.id] = field.value
        for choice in self.query(Choice):
            if choice.id:
                out[choice.id] = choice.value
        for area in self.query(TextArea):
            if area.id:
                out[area.id] = area.text
        for picker in self.query(Picker):
            if picker.id is None:
                continue
            if picker.multiple:
                out[picker.id] = ",".join(picker.values)
                out[f"{picker.id}_labels"] = ",".join(
                    picker._labels.get(code, code) for code in picker.values
                )
            else:
                out[picker.id] = picker.value or ""
                out[f"{picker.id}_label"] = picker.text
        return out

    def restore(self, values: Mapping[str, str]) -> None:
        """Put saved values back (a restored draft); unknown keys are ignored."""
        for field in self.query(Input):
            if field.id and field.id in values and not isinstance(field, PickerInput):
                field.value = plain(values[field.id], single_line=True)
        for choice in self.query(Choice):
            if choice.id and choice.id in values:
                choice.value = values[choice.id]
        for area in self.query(TextArea):
            if area.id and area.id in values:
                area.load_text(plain(values[area.id]))
        for picker in self.query(Picker):
            if picker.id is None:
                continue
            if picker.multiple:
                codes = [c for c in values.get(picker.id, "").split(",") if c]
                labels = values.get(f"{picker.id}_labels", "").split(",")
                picker.set_values(
                    [(code, labels[i] if i < len(labels) else code) for i, code in enumerate(codes)]
                )
            elif picker.id in values:
                picker.set_value(values[picker.id] or None, values.get(f"{picker.id}_label", ""))
        self.show_for(values.get("disposition", "dispatch"))
        self.show_caller(values.get("caller_kind", "person"))

    def clear(self) -> None:
        for field in self.query(Input):
            if not isinstance(field, PickerInput):
                field.value = ""
        for choice in self.query(Choice):
            choice.index = 0
        for area in self.query(TextArea):
            area.load_text("")
        for picker in self.query(Picker):
            picker.clear()
        self.query_one("#history", HistoryLines).update("")
        self.query_one("#suggestion", Label).update("")
        self.show_for("dispatch")
        self.show_caller("person")
