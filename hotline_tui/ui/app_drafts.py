"""The console's part in the previous session's intake draft: offered once the session has
started, answered before any intake form writes a draft of its own (a mixin of
:class:`~hotline_tui.ui.app.HotlineApp`)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakSet

from hotline_tui.ui.screens.intake import IntakeScreen
from hotline_tui.ui.screens.intake_dialogs import DraftOffer
from hotline_tui.ui.workers import DbWork

if TYPE_CHECKING:
    from hotline_tui.services.tickets.drafts import Draft
    from hotline_tui.ui.backend import Backend
    from hotline_tui.ui.screens.base import ConsoleScreen

__all__ = ["DraftHandover"]

# The app's own parts: at run time plain mixins of HotlineApp (ui/app.py), which is also a
# Textual App; typed as one here.
if TYPE_CHECKING:
    from textual.app import App

    _App = App[None]
else:
    _App = object


class DraftHandover(DbWork, _App):
    """The previous session's draft, from the offer to the intake form."""

    backend: Backend
    draft_answered: bool
    _draft_to_restore: dict[str, str] | None
    _live: WeakSet[ConsoleScreen]

    def _offer_draft(self, draft: Draft | None) -> None:
        """The previous session's draft, offered; until it is answered no intake form writes a
        draft of its own (it would overwrite the one offered)."""
        if draft is None:
            self._draft_answered(None, discard=False)
            return
        self.push_screen(
            DraftOffer(draft),
            lambda restore: self._draft_answered(
                draft.fields if restore else None, discard=not restore
            ),
        )

    def _draft_answered(self, restore: dict[str, str] | None, *, discard: bool) -> None:
        """The offer is answered (or there was nothing to offer). The intake form, open now or
        opened later (a dispatcher's home is the queue), restores the draft if asked and then
        keeps its own."""
        self.draft_answered = True
        self._draft_to_restore = restore
        intake = self.get_intake()
        if discard:
            if intake is not None:
                intake.drafts.discard()  # in order with the form's own writes
            else:
                self.db(self.backend.discard_draft, group="draft")
        if restore is not None:
            self.switch_mode("intake")  # a form mounted by this picks the draft up itself
        if intake is not None:
            intake.draft_answered()

    def take_draft_to_restore(self) -> dict[str, str] | None:
        restore, self._draft_to_restore = self._draft_to_restore, None
        return restore

    def get_intake(self) -> IntakeScreen | None:
        for screen in self._live:
            if isinstance(screen, IntakeScreen):
                return screen
        return None
