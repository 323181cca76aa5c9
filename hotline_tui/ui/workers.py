"""Blocking work off the event loop: :class:`DbWork` runs a call in a thread worker and hands its
result back on the event loop; a failure becomes a visible error and the session goes on.

A result that arrives after its worker was superseded (``exclusive`` in the same group) or after
its screen went away is dropped, so a slow query can never overwrite a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from hotline_tui.ui.app import HotlineApp

__all__ = ["DbWork"]

R = TypeVar("R")


class DbWork:
    """Mixin for screens: ``self.db(call, then)`` runs ``call()`` in a thread, ``then(result)``
    on the event loop.

    Failures go to ``failed(error)`` when given (a modal keeps what the user typed and shows the
    error inline), else to the app's single error handler.
    """

    _db_callbacks: dict[
        Worker[Any], tuple[Callable[[Any], None], Callable[[BaseException], None] | None]
    ]

    @property
    def ui(self) -> HotlineApp:
        """The console application (named ``ui``: ``App.console`` is Rich's console)."""
        return cast("HotlineApp", cast(Any, self).app)

    def db(
        self,
        call: Callable[[], R],
        then: Callable[[R], None] | None = None,
        *,
        group: str = "db",
        exclusive: bool = True,
        failed: Callable[[BaseException], None] | None = None,
        name: str = "",
    ) -> Worker[R]:
        if not hasattr(self, "_db_callbacks"):
            self._db_callbacks = {}
        node = cast(Any, self)
        worker: Worker[R] = node.run_worker(
            call,
            name=name or group,
            group=group,
            exclusive=exclusive,
            thread=True,
            exit_on_error=False,
        )
        self._db_callbacks[worker] = (then or (lambda _result: None), failed)
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        callbacks = getattr(self, "_db_callbacks", {})
        entry = callbacks.get(event.worker)
        if entry is None:
            return
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        del callbacks[event.worker]
        then, failed = entry
        if event.state is WorkerState.CANCELLED or event.worker.is_cancelled:
            return
        if not cast(Any, self).is_attached:
            return
        if event.state is WorkerState.ERROR:
            error = event.worker.error or RuntimeError("worker failed")
            if failed is not None:
                self.ui.log_failure(error)
                failed(error)
            else:
                self.ui.report_error(error)
            return
        try:
            then(event.worker.result)
        except Exception as exc:  # a bug in a result handler must not end the session
            self.ui.report_error(exc)
