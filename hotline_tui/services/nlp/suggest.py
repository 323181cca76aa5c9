"""Suggestions while the caller speaks: the service the intake form calls.

:class:`Suggester` holds the three tasks' models (request type, category, lead department),
loads them in a background thread (:meth:`Suggester.start`), and answers
:meth:`Suggester.suggest` from those loaded so far: a task whose model is missing, refused (a
mismatched file, see :mod:`.files`) or still loading is simply absent from the answer, so the
console works, and starts, exactly as before with no model file at all. Loading imports
scikit-learn; nothing of it is imported until :meth:`start` or :meth:`load_now` runs.

A task's answer is its top 3 with calibrated probabilities and whether the first reaches the
auto-fill threshold chosen at training (precision ≥ 0.95 on out-of-fold predictions): above
it the intake form may fill the empty field in, below it offer the three first. A prediction
costs a few milliseconds of one core (``scripts/bench_nlp.py``); the caller runs it in a worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hotline_tui.domain.errors import HotlineError
from hotline_tui.services.nlp import files

__all__ = ["Choice", "ModelState", "Suggester", "Suggestions", "TaskSuggestion"]

log = logging.getLogger(__name__)

TOP = 3


@dataclass(frozen=True)
class Choice:
    label: str  # a request-type code, a category path or a department code (as trained)
    probability: float


@dataclass(frozen=True)
class TaskSuggestion:
    task: str
    choices: tuple[Choice, ...]  # best first, at most three (categories: the first level)
    threshold: float  # the model's auto-fill threshold
    finer: tuple[Choice, ...] = ()  # categories: full paths, best first

    @property
    def top(self) -> Choice:
        return self.choices[0]

    @property
    def auto_fill(self) -> bool:
        """Whether the first choice is sure enough to be filled in without asking."""
        return self.top.probability >= self.threshold


@dataclass(frozen=True)
class Suggestions:
    request_type: TaskSuggestion | None = None
    category: TaskSuggestion | None = None
    department: TaskSuggestion | None = None

    def get(self, task: str) -> TaskSuggestion | None:
        value: TaskSuggestion | None = getattr(self, task, None)
        return value


@dataclass(frozen=True)
class ModelState:
    state: Literal["absent", "loading", "ready", "refused"]
    message: str = ""  # why refused (the error's code and parameters, worded by the caller)
    error: HotlineError | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Loaded:
    model: Any
    threshold: float


class Suggester:
    """The models under ``data_dir``, loaded once; :meth:`suggest` is safe from any thread."""

    def __init__(self, data_dir: Path, tasks: Sequence[str] = files.TASKS) -> None:
        self.data_dir = data_dir
        self.tasks = tuple(tasks)
        self._lock = threading.Lock()
        self._models: dict[str, _Loaded] = {}
        self._states: dict[str, ModelState] = {t: ModelState("loading") for t in self.tasks}
        self._thread: threading.Thread | None = None

    def start(self) -> threading.Thread:
        """Load the models in a daemon thread (the console's start does not wait for it)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self.load_now, name="nlp-models", daemon=True
                )
                self._thread.start()
            return self._thread

    def load_now(self) -> None:
        """Load (or reload) every task's model file now."""
        for task in self.tasks:
            self._load(task)

    def _load(self, task: str) -> None:
        path = files.model_path(self.data_dir, task)
        if not path.is_file():
            self._set(task, ModelState("absent"), None)
            return
        try:
            header, model = files.load(path, task)
        except HotlineError as exc:
            log.warning("nlp model %s refused: %s", task, exc.describe())
            self._set(task, ModelState("refused", exc.code, exc), None)
            return
        except Exception as exc:  # a damaged file must not take the console down
            log.warning("nlp model %s unreadable: %s", task, exc)
            self._set(task, ModelState("refused", f"unreadable: {exc}"), None)
            return
        threshold = float(header.meta.get("threshold", 1.01))
        self._set(task, ModelState("ready", meta=header.meta), _Loaded(model, threshold))

    def _set(self, task: str, state: ModelState, loaded: _Loaded | None) -> None:
        with self._lock:
            self._states[task] = state
            if loaded is None:
                self._models.pop(task, None)
            else:
                self._models[task] = loaded

    def states(self) -> dict[str, ModelState]:
        with self._lock:
            return dict(self._states)

    def ready(self) -> bool:
        """Whether loading has finished (whatever it found)."""
        return all(s.state != "loading" for s in self.states().values())

    def rank(self, task: str, text: str, k: int = TOP) -> list[tuple[str, float]] | None:
        """``task``'s first ``k`` labels for ``text``, or None without a loaded model."""
        with self._lock:
            loaded = self._models.get(task)
        if loaded is None or not text.strip():
            return None
        ranked: list[tuple[str, float]] = loaded.model.rank([text], k)[0]
        return ranked

    def suggest(self, text: str) -> Suggestions:
        """Each loaded task's top 3 for ``text`` (nothing for an empty text)."""
        with self._lock:
            models = dict(self._models)
        if not text.strip() or not models:
            return Suggestions()
        found: dict[str, TaskSuggestion] = {}
        for task, loaded in models.items():
            ranked = loaded.model.rank([text], TOP)[0]
            finer = loaded.model.rank_finer([text], TOP)[0]
            found[task] = TaskSuggestion(
                task,
                tuple(Choice(label, p) for label, p in ranked),
                loaded.threshold,
                tuple(Choice(label, p) for label, p in finer),
            )
        return Suggestions(**found)
