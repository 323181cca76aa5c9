"""The console's door to the intake suggestions: the request type, category and lead
department the models suggest for the description being typed.

Part of :class:`~hotline_tui.ui.backend.Backend` (``backend.nlp``); every method but
:meth:`NlpGateway.ready` blocks and is called from thread workers only. :meth:`NlpGateway.start`
creates the :class:`~hotline_tui.services.nlp.suggest.Suggester` and lets it load the model
files in its own thread (scikit-learn is imported there, never at the console's start); only
roles that register calls start it. :meth:`NlpGateway.suggest` answers with what the intake form
shows and fills in: each task's first three as the form's own values (a request-type code, a
category's pick item, a department's pick item), the model's probability, and whether the first
is sure enough (the model's threshold) to fill an empty field in. Labels the city does not have
(a model trained on another file) are dropped.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor, Hotline
    from hotline_tui.services.nlp.suggest import Suggester, Suggestions
    from hotline_tui.services.reference.pickers import PickerSet, PickItem
    from hotline_tui.settings import Settings

__all__ = ["NlpGateway", "Offer", "Offers", "TaskOffer"]

TOP = 3


class _Core(Protocol):
    @property
    def hl(self) -> Hotline: ...

    @property
    def actor(self) -> Actor: ...

    @property
    def settings(self) -> Settings: ...

    def pickers(self) -> PickerSet: ...


@dataclass(frozen=True)
class Offer:
    """One suggested value, as the form holds it."""

    code: str  # a request-type code, a category's or a department's code
    name: str  # what the form shows
    probability: float  # the model's (0 for the catalogue's own rule)
    item: PickItem | None = None  # for the pickers; None for request types
    catalogue: bool = False  # the dispatch catalogue's rule (departments)


@dataclass(frozen=True)
class TaskOffer:
    task: str
    offers: tuple[Offer, ...]  # best first, at most three: what the picker offers first
    label: str  # the model's first, as logged (code, category path, department code)
    probability: float
    auto_fill: bool  # the first is sure enough to fill an empty field in
    fill: Offer | None  # the value to fill in (when auto_fill)


@dataclass(frozen=True)
class Offers:
    text: str
    tasks: tuple[TaskOffer, ...] = ()

    def get(self, task: str) -> TaskOffer | None:
        return next((t for t in self.tasks if t.task == task), None)


def _offered(item: PickItem, probability: float) -> PickItem:
    """The pick item as a picker offers it first: its probability before the detail."""
    return replace(item, detail=f"建议 {probability:.0%}  {item.detail}")


class NlpGateway:
    """The suggestions of one console session."""

    def __init__(self, core: _Core) -> None:
        self._core = core
        self._lock = threading.Lock()
        self._suggester: Suggester | None = None

    def start(self) -> None:
        """Load the models in the background (once; a role that does not register: never)."""
        from hotline_tui.domain.permissions import allowed
        from hotline_tui.services.nlp.suggest import Suggester

        if not allowed(self._core.actor.role, "register"):
            return
        with self._lock:
            if self._suggester is None:
                self._suggester = Suggester(self._core.settings.data_dir)
                self._suggester.start()

    @property
    def started(self) -> bool:
        """Whether the models were asked to load (never for a role that does not register)."""
        return self._suggester is not None

    def ready(self) -> bool:
        """Whether a model is loaded (the intake shows its line only then)."""
        suggester = self._suggester
        return suggester is not None and any(
            s.state == "ready" for s in suggester.states().values()
        )

    def suggest(self, text: str, category: str | None, area: str | None) -> Offers:
        """The offers for ``text`` (``category``/``area``: as picked so far, for the dispatch
        catalogue's rule on the lead department)."""
        self.start()
        suggester = self._suggester
        if suggester is None:
            return Offers(text)
        # In this worker, wait for the models still loading: the first pause in the typing
        # then gets its suggestions once they are there, not nothing.
        suggester.start().join()
        found = suggester.suggest(text)
        pickers = self._core.pickers()
        tasks = [
            t
            for t in (
                _request_type(found),
                _category(found, pickers),
                self._department(found, suggester, text, category, area, pickers),
            )
            if t is not None
        ]
        return Offers(text, tuple(tasks))

    def _department(
        self,
        found: Suggestions,
        suggester: Suggester,
        text: str,
        category: str | None,
        area: str | None,
        pickers: PickerSet,
    ) -> TaskOffer | None:
        from hotline_tui.services.nlp.departments import rank_departments

        task = found.department
        if task is None:
            return None
        candidates = rank_departments(
            self._core.hl, self._core.actor, text, category, area, suggester
        )
        offers = []
        for c in candidates[:TOP]:
            model = next((r.value for r in c.reasons if r.kind == "model"), 0.0)
            item = pickers.departments.get(c.code)
            shown = item.short_name or item.name if item else c.name
            offers.append(
                Offer(c.code, shown, model, item and _offered(item, model), c.from_catalogue)
            )
        by_model = sorted((o for o in offers if o.probability > 0), key=lambda o: -o.probability)
        if not by_model:
            return None
        best = by_model[0]
        sure = best.probability >= task.threshold
        # The catalogue decides where it has a rule: the model fills in only where it has none.
        fill = best if sure and not offers[0].catalogue else None
        return TaskOffer(
            "department", tuple(offers), best.code, best.probability, fill is not None, fill
        )


def _request_type(found: Suggestions) -> TaskOffer | None:
    from hotline_tui.labels import label
    from hotline_tui.ui.widgets.intake_form import REQUEST_TYPES

    task = found.request_type
    if task is None:
        return None
    by_name = {label("request_type", code): code for code in REQUEST_TYPES}
    offers = []
    for choice in task.choices:
        code = choice.label if choice.label in REQUEST_TYPES else by_name.get(choice.label)
        if code is not None:
            offers.append(Offer(code, label("request_type", code), choice.probability))
    if not offers:
        return None
    first = offers[0]
    sure = task.auto_fill and first.code == _code(task.top.label, by_name)
    return TaskOffer(
        "request_type", tuple(offers), first.code, first.probability, sure, first if sure else None
    )


def _code(label: str, by_name: dict[str, str]) -> str:
    return by_name.get(label, label)


def _category(found: Suggestions, pickers: PickerSet) -> TaskOffer | None:
    task = found.category
    if task is None:
        return None
    by_path = {item.detail: item for item in pickers.categories.items}
    first = by_path.get(task.top.label)
    # The pickers offer the finer paths where the model has them, else the first levels.
    offers = [
        Offer(item.code, item.name, c.probability, _offered(item, c.probability))
        for c in (task.finer or task.choices)
        if (item := by_path.get(c.label)) is not None
    ][:TOP]
    if first is None and not offers:
        return None
    fill = Offer(first.code, first.name, task.top.probability, first) if first else None
    sure = task.auto_fill and fill is not None
    return TaskOffer(
        "category",
        tuple(offers),
        task.top.label,
        task.top.probability,
        sure,
        fill if sure else None,
    )
