"""The intake's suggestions from the description: request type, category and lead department.

Like the knowledge line (:mod:`hotline_tui.ui.screens.intake_kb`), typing never waits for them:
the models are asked after a pause (:data:`DELAY`), in a worker that supersedes the previous one.
What comes back (:class:`~hotline_tui.ui.nlp_gateway.Offers`) is shown on one line (in
low-bandwidth mode: at the start of the knowledge line); a task whose first is above its
model's threshold fills its field in when the operator has left it empty, marked as suggested
(underlined, and ``*`` on the line), and Ctrl+R empties every field so filled again; below the
threshold, the pickers offer the first three before their own matches (an empty picker opens
on them). Whatever the operator then keeps or changes is logged with the order
(:meth:`IntakeSuggestions.records`, :mod:`hotline_tui.services.suggestion_log`). Without a model
file nothing shows and nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.text import clip, plain
from hotline_tui.ui.widgets.bars import MessageLine
from hotline_tui.ui.widgets.choice import Choice
from hotline_tui.ui.widgets.kb_line import SuggestLine
from hotline_tui.ui.widgets.picker import Picker
from hotline_tui.ui.widgets.still import StillLine

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.timer import Timer

    from hotline_tui.services.reference.pickers import PickerSet, PickItem
    from hotline_tui.services.suggestion_log import Offered
    from hotline_tui.ui.nlp_gateway import Offer, Offers, TaskOffer
    from hotline_tui.ui.screens.intake import IntakeScreen

__all__ = ["DELAY", "FIELD", "IntakeSuggestions"]

DELAY = 0.5  # seconds of pause in the typing before the models are asked
MIN_CHARS = 4
FIELD = {"request_type": "request_type", "category": "category", "department": "lead"}
TASK_OF = {field: task for task, field in FIELD.items()}
MARK = "-suggested"


class IntakeSuggestions:
    """The suggestion part of one intake screen."""

    def __init__(self, screen: IntakeScreen) -> None:
        self.screen = screen
        self._timer: Timer | None = None
        self._asked = ""
        self.offers: Offers | None = None
        self.filled: dict[str, Offer] = {}  # task → the value filled in, while the field has it
        self._logged: dict[str, tuple[str, float]] = {}  # task → what filled it (label, p)
        self._before: dict[str, str] = {}  # the request type before it was filled in
        self.undone: set[str] = set()
        self.touched = False  # the operator chose a request type themselves

    @property
    def pending(self) -> bool:
        """The models wait for the typing to pause (tests wait for it)."""
        return self._timer is not None

    @property
    def line(self) -> StillLine:
        return self.screen.query_one("#nlp-line", StillLine)

    @property
    def lean(self) -> bool:
        return self.screen.app.has_class("-low-bandwidth")

    # ------------------------------------------------------------------ asking

    def typed(self, description: str) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = " ".join(description.split())
        if len(text.replace(" ", "")) < MIN_CHARS or self.screen.ui.actor is None:
            return
        if text == self._asked:
            return
        self._timer = self.screen.set_timer(DELAY, lambda: self._look(text))

    def place_changed(self) -> None:
        """The category or area was picked: ask again, for the lead department's ranking
        (the dispatch catalogue's rule comes first where it has one)."""
        if self._asked and self._timer is None:
            text = self._asked
            self._timer = self.screen.set_timer(DELAY, lambda: self._look(text))

    def _look(self, text: str) -> None:
        self._timer = None
        self._asked = text
        form = self.screen.form
        category = form.picker("category").value
        area = form.picker("area").value
        self.screen.db(
            lambda: self.screen.backend.nlp.suggest(text, category, area),
            self._found,
            group="nlp-suggest",
            failed=lambda _error: None,  # logged; the suggestions are a help, not a step
        )

    def _found(self, offers: Offers) -> None:
        if not self._asked or not offers.tasks:  # cleared meanwhile, or no model at all
            return
        self.offers = offers
        for task in offers.tasks:
            self._fill(task)
        self.show()

    # ------------------------------------------------------------------ filling in

    def _empty(self, task: str) -> bool:
        form = self.screen.form
        if task == "request_type":
            return task not in self._before and not self.touched
        picker = form.picker(FIELD[task])
        return picker.value is None and not picker.text.strip()

    def _fill(self, task: TaskOffer) -> None:
        name = task.task
        fill = task.fill
        if fill is None or name in self.undone:
            return
        held = self.filled.get(name)
        if held is None and not self._empty(name):
            return
        if held is not None and held.code == fill.code:
            return
        form = self.screen.form
        if name == "request_type":
            choice = form.query_one("#request_type", Choice)
            self._before.setdefault(name, choice.value)
            choice.value = fill.code
            choice.add_class(MARK)
        else:
            picker = form.picker(FIELD[name])
            picker.set_value(fill.code, fill.item.label if fill.item else fill.name)
            picker.add_class(MARK)
            picker.post_message(Picker.Picked(picker, fill.code))  # the catalogue, the draft
        self.filled[name] = fill
        self._logged[name] = (task.label, task.probability)

    def edited(self, field: str, value: str | None) -> None:
        """The operator changed a field (or the catalogue did): not the suggestion any more."""
        task = TASK_OF.get(field)
        held = self.filled.get(task) if task else None
        if task is None or held is None or held.code == value:
            return
        self._unmark(task)
        self.show()

    def chosen(self, value: str, focused: bool) -> None:
        """The request type changed: by the operator's keys when the field has the focus (the
        suggestion, a restored draft or a new call change it from elsewhere)."""
        if focused:
            self.touched = True
        self.edited("request_type", value)

    def holds(self, task: str) -> bool:
        """Whether ``task``'s field still holds the suggestion filled in."""
        return task in self.filled

    def _unmark(self, task: str) -> None:
        self.filled.pop(task, None)
        self.screen.form.query_one(f"#{FIELD[task]}").remove_class(MARK)

    def undo(self) -> None:
        """Ctrl+R: every field filled in by a suggestion is as it was before."""
        if not self.filled:
            return
        names = []
        form = self.screen.form
        for task in list(self.filled):
            if task == "request_type":
                form.query_one("#request_type", Choice).value = self._before.get(task, "")
            else:
                picker = form.picker(FIELD[task])
                picker.clear()
                picker.post_message(Picker.Picked(picker, None))
            self._unmark(task)
            self.undone.add(task)
            names.append(tr(f"nlp.task.{task}"))
        self.show()
        self.screen.query_one(MessageLine).show(tr("nlp.undone", fields="、".join(names)))

    # ------------------------------------------------------------------ offering and logging

    def offer_first(self, task: str, query: str, found: Sequence[PickItem]) -> list[PickItem]:
        """The picker's matches with the suggestions first (alone for an empty query)."""
        offer = self.offers.get(task) if self.offers else None
        items = [o.item for o in offer.offers if o.item is not None] if offer else []
        if not query.strip():
            return items
        codes = {item.code for item in found}
        first = [item for item in items if item.code in codes]
        seen = {item.code for item in first}
        return first + [item for item in found if item.code not in seen]

    def wrap(self, pickers: PickerSet) -> None:
        form = self.screen.form
        form.picker("category").search = lambda q: self.offer_first(
            "category", q, pickers.categories.search(q, 8)
        )
        form.picker("lead").search = lambda q: self.offer_first(
            "department", q, pickers.departments.search(q, 8)
        )

    def records(self) -> tuple[Offered, ...]:
        """Each task's suggestion as the call is saved: what filled it in, else the last one
        offered."""
        from hotline_tui.services.suggestion_log import Offered

        found = []
        for task in FIELD:
            if task in self._logged:
                label, probability = self._logged[task]
                found.append(Offered(task, label, probability, True))
            elif self.offers is not None and (offer := self.offers.get(task)) is not None:
                found.append(Offered(task, offer.label, offer.probability, False))
        return tuple(found)

    def clear(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for task in list(self.filled):
            self._unmark(task)
        self._asked = ""
        self.offers = None
        self._logged.clear()
        self._before.clear()
        self.undone.clear()
        self.touched = False
        self.show()

    # ------------------------------------------------------------------ the line

    def _shown(self, task: TaskOffer) -> tuple[str, str]:
        held = self.filled.get(task.task)
        offer = held or (task.offers[0] if task.offers else None)
        if offer is None:
            return "", ""
        name = plain(offer.name, single_line=True)
        if offer.catalogue and held is None:
            odds = tr("nlp.catalogue")
        else:
            odds = f"{offer.probability:.0%}"
        return name + ("*" if held else ""), odds

    def show(self) -> None:
        parts = [(t.task, *self._shown(t)) for t in self.offers.tasks] if self.offers else []
        parts = [p for p in parts if p[1]]
        if self.lean:
            text = ""
            if parts:
                text = tr("nlp.lean") + "·".join(name for _t, name, _o in parts)
                text += (tr("nlp.undo_lean") if self.filled else "") + " "
            self.screen.query_one(SuggestLine).show_suggestion(text)
            return
        line = self.line
        if parts and not line.display:
            line.display = True  # the first suggestion: the line stays for the session
        hint = tr("nlp.undo_hint") if self.filled else ""
        width = line.size.width or self.screen.size.width  # 0 until first laid out
        room = max(20, width) - cell_len(tr("nlp.line")) - cell_len(hint)
        words = "  ".join(f"{tr(f'nlp.task.{t}')}:{n} {o}" for t, n, o in parts)
        line.set_content(
            Content.assemble((tr("nlp.line"), "dim"), clip(words, room), (hint, "bold")),
            partial=True,
        )
