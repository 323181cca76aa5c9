"""The confirmation of one lifecycle action, asking only for what that action needs.

The modal runs the action itself (in a worker) so that a refusal - a stale version, an illegal
state, a missing field - is shown inline and everything typed stays; it closes with the result
only when the service accepted it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, TextArea

from hotline_tui.ui.actions import ACTIONS, FieldSpec, Target
from hotline_tui.ui.i18n import action_name, choice_name, error_text, field_name, tr
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.text import clip, content, plain
from hotline_tui.ui.widgets.bars import MessageLine
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.lean import LeanTextArea
from hotline_tui.ui.widgets.picker import Picker

if TYPE_CHECKING:
    from hotline_tui.services.reference.catalogue import DeptView
    from hotline_tui.services.reference.pickers import PickerSet

__all__ = ["ActionModal"]

DECISIONS = ("return_accept", "return_reject", "extension_approve", "extension_deny")
# The target's lines (``Target.extra``, from ``ui.part_text``) a decision shows beside the input.
WEIGHED = {
    "extension_approve": ("extension_room",),
    "extension_deny": ("extension_room",),
    "return_accept": ("late_return",),
    "return_reject": ("late_return",),
    "extend": ("extension_room",),
}


class ActionModal(ConsoleModal[Any]):
    """Ask, run, and return the service's result (the action's own type; None when
    cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f10", "submit", tr("key.confirm"), id="action.submit", priority=True),
        Binding("escape", "cancel", tr("key.cancel"), id="action.cancel"),
    ]

    def __init__(self, name: str, target: Target) -> None:
        super().__init__()
        self.spec = ACTIONS[name]
        self.target = target
        self.busy = False

    def compose(self) -> ComposeResult:
        title = f"{action_name(self.spec.name)} · {self.target.number}"
        if self.target.dept and self.spec.part_action is not None:
            title += f" · {self.target.dept}"
        with Vertical(classes="dialog", id="action-box"):
            yield Label(content(title), classes="dialog-title")
            if self.target.reply_text and self.spec.name in ("review_pass", "review_fail", "visit"):
                yield Label(content(clip(self.target.reply_text, 200)), classes="quote")
            elif self.target.extra.get("detail") and self.spec.name in DECISIONS:
                # The department's return basis or extension reason: what is being decided.
                yield Label(content(clip(self.target.extra["detail"], 200)), classes="quote")
            # What the decision must weigh: the part's extension room, a late return.
            for key in WEIGHED.get(self.spec.name, ()):
                if self.target.extra.get(key):
                    yield Label(content(self.target.extra[key]), classes="quote", id=f"weigh-{key}")
            for spec in self.spec.fields:
                with Horizontal(
                    classes="form-row tall" if spec.kind == "text" else "form-row",
                    id=f"row-{spec.name}",
                ):
                    yield Label(
                        field_name(spec.name) + (" *" if spec.required else ""),
                        classes="field-label",
                    )
                    yield self._field(spec)
            yield MessageLine(id="action-message")
            if self.spec.fields:
                hint = tr("key.confirm") + ": Ctrl+S / F10   " + tr("key.cancel") + ": Esc"
            else:
                hint = tr("action.enter_hint")  # nothing to type: Enter confirms
            yield Label(hint, classes="hint")

    def _field(self, spec: FieldSpec) -> Widget:
        ident = f"a-{spec.name}"
        start = self.target.extra.get(spec.name)  # an edit form starts from the order's values
        if spec.kind == "choice":
            return Choice([(c, choice_name(c)) for c in spec.choices], value=start, id=ident)
        if spec.kind == "text":
            return LeanTextArea(id=ident, classes="note")
        if spec.kind in ("dept", "category", "area"):
            return Picker(id=ident)
        if spec.kind == "depts":
            return Picker(id=ident, multiple=True)
        field = Input(
            plain(start or "", single_line=True),
            id=ident,
            compact=True,
            restrict=r"[0-9]*" if spec.kind == "int" else None,
        )
        if spec.name == "days" and self.target.extension_days:
            field.value = str(self.target.extension_days)
        return field

    def on_mount(self) -> None:
        for spec in self.spec.fields:
            start = self.target.extra.get(spec.name)
            if spec.kind == "text" and start:
                self.query_one(f"#a-{spec.name}", TextArea).load_text(plain(start))
            elif spec.kind in ("dept", "category", "area") and start:
                label = self.target.extra.get(f"{spec.name}.label") or start
                self.query_one(f"#a-{spec.name}", Picker).set_value(start, label)
        self._show_conditional()
        focusable = [w for w in self.query("Input, TextArea, Choice") if w.display]
        if focusable:
            focusable[0].focus()
        if any(f.kind in ("dept", "depts", "category", "area") for f in self.spec.fields):
            self.db(self.backend.pickers, self._pickers_ready, group="warm")
        if self.spec.name == "dispatch":
            number = self.target.number
            self.db(lambda: self.backend.suggest_for(number), self._suggested, group="suggest")

    def _pickers_ready(self, pickers: PickerSet) -> None:
        indexes = {"category": pickers.categories, "area": pickers.areas}
        for spec in self.spec.fields:
            if spec.kind in ("dept", "depts", "category", "area"):
                index = indexes.get(spec.kind, pickers.departments)
                picker = self.query_one(f"#a-{spec.name}", Picker)
                picker.search = lambda q, index=index: index.search(q, 8)
                item = index.get(picker.value) if picker.value else None
                if item is not None:  # an edit form's code, now with its name
                    picker.set_value(item.code, item.label)

    def _suggested(self, dept: DeptView | None) -> None:
        lead = self.query_one("#a-lead", Picker)
        if dept is not None and lead.value is None:
            lead.set_value(dept.code, dept.short_name or dept.name)

    @on(Choice.Changed)
    def _choice_changed(self) -> None:
        self._show_conditional()

    def _show_conditional(self) -> None:
        for spec in self.spec.fields:
            if spec.only_if is not None and not self.target.extra.get(spec.only_if):
                self.query_one(f"#row-{spec.name}").display = False
            elif spec.when is not None:
                other = self.query_one(f"#a-{spec.when[0]}", Choice)
                self.query_one(f"#row-{spec.name}").display = other.value == spec.when[1]

    def on_key(self, event: events.Key) -> None:
        """Enter confirms an action that asks for nothing (签收): there is no field for it to
        move on from."""
        if event.key == "enter" and not any(w.display for w in self.query("#action-box .form-row")):
            event.stop()
            self.action_submit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.spec.fields:
            row = self.query_one(f"#row-{spec.name}")
            if not row.display:
                continue
            widget = self.query_one(f"#a-{spec.name}")
            if isinstance(widget, Choice):
                out[spec.name] = widget.value
            elif isinstance(widget, TextArea):
                out[spec.name] = widget.text
            elif isinstance(widget, Picker):
                out[spec.name] = list(widget.values) if widget.multiple else widget.value
            elif isinstance(widget, Input):
                out[spec.name] = widget.value
        return out

    def action_submit(self) -> None:
        if self.busy:
            return
        values = self.values()
        for spec in self.spec.fields:
            if spec.required and spec.name in values and not str(values[spec.name] or "").strip():
                self.query_one(MessageLine).show(
                    f"{field_name(spec.name)}：{tr('intake.required')}", "error"
                )
                self.query_one(f"#a-{spec.name}").focus()
                return
        self.busy = True
        self.query_one(MessageLine).show("…")
        self.db(
            lambda: self.run(values),
            self._done,
            group="act",
            exclusive=False,
            failed=self._failed,
        )

    def run(self, values: dict[str, Any]) -> Any:
        """The service call (in a worker); the modal closes with what it returns."""
        from hotline_tui.ui.action_inputs import input_for

        return self.backend.run(self.spec.action, input_for(self.spec, self.target, values))

    def _done(self, result: object) -> None:
        self.busy = False
        self.dismiss(result)

    def _failed(self, error: BaseException) -> None:
        """Refused (e.g. someone else changed the order): say who and what, keep the input."""
        self.busy = False
        self.query_one(MessageLine).show(error_text(error), "error")

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
