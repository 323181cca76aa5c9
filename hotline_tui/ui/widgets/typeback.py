"""Results under a search field: what is typed there goes back to the search.

A results list (the orders found, the knowledge hits) holds the focus after a search, and an
operator who goes on typing means the search, not the list: a letter there must never fire a
list's single-letter key (a query typed into the results once opened 修改工单 with the query in
its title). A list with :class:`TypeBack` and a ``type_back`` (the screen's answer to "which
field?") hands every printable key to that field, before any binding sees it. The list's own
keys are non-printable there (Enter opens, Ctrl+O sorts, the arrows move).

The focus moves while the key is handled, not in a later message: keys typed ahead arrive one
at a time (see :mod:`hotline_tui.ui.typeahead`), and an Enter right behind a letter must reach
the field (search again), not the list (open the order under the cursor).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.widget import Widget
from textual.widgets import Input

# A plain mixin at run time: Textual follows a widget's first DOM base for its CSS and
# component classes, which must stay the list's own (DataTable's, OptionList's).
if TYPE_CHECKING:
    _Mixin = Widget
else:
    _Mixin = object

__all__ = ["TypeBack", "type_into"]


class TypeBack(_Mixin):
    """A mixin for a results list: with ``type_back`` set, printable keys go to the field it
    names, never to a binding of the list, the screen or the app."""

    type_back: Callable[[], Input] | None = None

    def on_key(self, event: events.Key) -> None:
        # Textual calls each class's own ``on_key`` down the MRO (no super() here); the
        # default stops the widget's own key handling, stop() the bindings: the app checks
        # them only once a key has bubbled up to it.
        if self.type_back is not None and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            type_into(self.type_back(), event)


def type_into(field: Input, key: events.Key) -> None:
    """Focus ``field`` and type ``key`` there, as if the operator had gone back to the field
    themselves: its text is selected on the way in, so the key starts a new query (Shift+Tab,
    or Esc, and an arrow key go back to refine the old one)."""
    field.screen.set_focus(field)
    field.post_message(events.Key(key.key, key.character))
