"""The dispatch queue's 可能重复 marks and its one-key 并单.

Once the rows of 待派单 are shown, a worker asks which of them may repeat an order of the last
30 days (:func:`hotline_tui.services.dedup.lookup.similar_to_orders`); the rows that may are
marked 重 before their state (:func:`mark_of`), the rows only related to others' orders (other
callers, the same address or enterprise) 相. On a marked row the message line says which order
and how similar, and ``m`` — the catalogue's 并单, the key it always had — merges the row into
that order at once (``M`` undoes it); on any other row ``m`` asks for the order to merge into,
as before.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from hotline_tui.services.tickets.actions.inputs import MergeInput
from hotline_tui.ui.actions import ACTIONS, Target, role_may
from hotline_tui.ui.i18n import error_text, tr
from hotline_tui.ui.widgets.bars import MessageLine
from hotline_tui.ui.widgets.grid import DataGrid

if TYPE_CHECKING:
    from hotline_tui.services.dedup.lookup import Similar
    from hotline_tui.services.tickets.work_items import WorkItem
    from hotline_tui.ui.screens.queues import QueuesScreen

__all__ = ["MARKED_QUEUES", "QueueDuplicates", "mark_of"]

MARKED_QUEUES = ("to_dispatch",)


def mark_of(item: WorkItem) -> str:
    """重 (may repeat an order), 相 (related to others'), or "" — one cell before the state."""
    if item.duplicate_of:
        return tr("queue.duplicate_mark")
    return tr("queue.related_mark") if item.related else ""


def _marked(item: WorkItem, found: Similar | None) -> WorkItem:
    best = found.best if found is not None else None
    return replace(
        item,
        duplicate_of=best.number if best is not None else None,
        duplicate_similarity=best.similarity if best is not None else 0.0,
        related=tuple(m.number for m in found.related) if found is not None else (),
    )


class QueueDuplicates:
    """The duplicate part of the queues screen."""

    def __init__(self, screen: QueuesScreen) -> None:
        self.screen = screen

    def look(self, name: str, items: list[WorkItem]) -> None:
        """Rows of ``name`` shown: mark them when the lookup comes back."""
        actor = self.screen.ui.actor
        if name not in MARKED_QUEUES or not items or actor is None:
            return
        if not role_may(ACTIONS["merge"], actor.role):
            return
        numbers = [item.number for item in items]
        self.screen.db(
            lambda: (name, self.screen.backend.similar_orders(numbers)),
            self._found,
            group="queue-dups",
            failed=lambda _error: None,  # logged; the marks are a help, not a step
        )

    def _found(self, found: tuple[str, dict[str, Similar]]) -> None:
        name, similar = found
        screen = self.screen
        if name != screen.queue_name:
            return
        screen.items = [_marked(item, similar.get(item.number)) for item in screen.items]
        screen.query_one("#queue", DataGrid).show_rows(screen.items, keep_place=True)
        self.say()

    def carry(self, old: list[WorkItem], new: list[WorkItem]) -> list[WorkItem]:
        """The rows read again keep their marks until the lookup answers anew (no flicker)."""
        marks = {i.number: i for i in old if i.duplicate_of or i.related}
        return [
            replace(
                item,
                duplicate_of=marks[item.number].duplicate_of,
                duplicate_similarity=marks[item.number].duplicate_similarity,
                related=marks[item.number].related,
            )
            if item.number in marks
            else item
            for item in new
        ]

    def current(self) -> WorkItem | None:
        return self.screen.query_one("#queue", DataGrid).current

    def say(self) -> None:
        """On a marked row, the message line names the order it may repeat or relate to."""
        item = self.current()
        if item is None:
            return
        if item.duplicate_of:
            text = tr(
                "dup.queue_line",
                number=item.number,
                lead=item.duplicate_of,
                percent=round(item.duplicate_similarity * 100),
            )
        elif item.related:
            text = tr("dup.queue_related", number=item.number, numbers="、".join(item.related[:3]))
        else:
            return
        self.screen.query_one(MessageLine).show(text)

    def merge(self, target: Target) -> bool:
        """``m`` on a row that may repeat an order: 并单 into it now (True when started)."""
        item = self.current()
        if item is None or item.duplicate_of is None or item.number != target.number:
            return False
        lead = item.duplicate_of
        data = MergeInput(
            number=target.number,
            into=lead,
            note=tr("dup.note", percent=round(item.duplicate_similarity * 100)),
            if_version=target.ticket_version,
        )
        action = ACTIONS["merge"].action
        screen = self.screen
        screen.query_one(MessageLine).show("…")

        def done(_result: object) -> None:
            # As every action's outcome (ActingScreen.acted): the queue's count line follows.
            screen.notify(tr("dup.merged", number=target.number, lead=lead), markup=False)
            screen.reload()

        screen.db(
            lambda: screen.backend.run(action, data),
            done,
            group="merge",
            failed=lambda error: screen.query_one(MessageLine).show(error_text(error), "error"),
        )
        return True
