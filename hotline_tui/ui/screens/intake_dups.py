"""The intake's 可能重复 count: orders of the last 30 days the call being typed may repeat.

Like the knowledge suggestions (:mod:`hotline_tui.ui.screens.intake_kb`), typing never waits
for it: a lookup starts after a pause in the typing of the description, the phone, the call-back
number, the address or the credit code (:data:`DELAY`), in a worker that supersedes the previous
one; the count goes first on the knowledge line ("可能重复：1（…） 知识库 F9：…"), with the
first order's number. Orders from other callers about the same thing (相关) are counted after
it, never as duplicates (the rule: :mod:`hotline_tui.domain.near_dup`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.widgets.kb_line import SuggestLine

if TYPE_CHECKING:
    from textual.timer import Timer

    from hotline_tui.services.dedup.lookup import Similar
    from hotline_tui.ui.screens.intake import IntakeScreen

__all__ = ["DELAY", "FIELDS", "IntakeDuplicates", "line_for"]

DELAY = 0.6  # seconds of pause in the typing before the orders are compared
FIELDS = ("description", "phone", "callback", "address", "credit_code")
MIN_CHARS = 8  # the description's length (without spaces) before a lookup is worth it


def line_for(found: Similar) -> str:
    """可能重复：N（first number） and 相关：M, or "" when neither."""
    text = ""
    if found.duplicates:
        text = tr("dup.line", n=len(found.duplicates), number=found.duplicates[0].number)
    if found.related:
        text += tr("dup.related", n=len(found.related))
    return text


class IntakeDuplicates:
    """The duplicate part of one intake screen."""

    def __init__(self, screen: IntakeScreen) -> None:
        self.screen = screen
        self._timer: Timer | None = None
        self._asked: tuple[str, ...] = ()  # the fields the last lookup was for
        self.found: Similar | None = None

    @property
    def pending(self) -> bool:
        """A lookup waits for the typing to pause (tests wait for it)."""
        return self._timer is not None

    @property
    def line(self) -> SuggestLine:
        return self.screen.query_one("#kb-suggest", SuggestLine)

    def warm(self) -> None:
        """Fill the index of recent orders in the background, before the first call needs it."""
        self.screen.db(
            self.screen.backend.warm_duplicates,
            lambda _count: None,
            group="dup-warm",
            failed=lambda _error: None,  # logged; the count is a help, not a step
        )

    def changed(self) -> None:
        """A field the comparison uses changed: look again after a pause."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        values = self.screen.form.values()
        asked = tuple(" ".join(values.get(name, "").split()) for name in FIELDS)
        if len(asked[0].replace(" ", "")) < MIN_CHARS:
            self.clear()
            return
        if asked == self._asked or self.screen.ui.actor is None:
            return
        fields = dict(zip(FIELDS, asked, strict=True))
        self._timer = self.screen.set_timer(DELAY, lambda: self._look(asked, fields))

    def _look(self, asked: tuple[str, ...], fields: dict[str, str]) -> None:
        self._timer = None
        self._asked = asked
        self.screen.db(
            lambda: self.screen.backend.similar(fields),
            self._found,
            group="dup-suggest",
            failed=lambda _error: None,  # logged; the count is a help, not a step
        )

    def _found(self, found: Similar) -> None:
        if not self._asked:  # the form was cleared while it looked: the call is gone
            return
        self.found = found
        self.line.show_duplicates(line_for(found))

    def clear(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._asked = ()
        self.found = None
        if self.line.duplicates:
            self.line.show_duplicates("")
