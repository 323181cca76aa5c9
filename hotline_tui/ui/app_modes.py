"""The console's modes and its own keys: who may enter which mode, the function keys, the
command palette's commands, help, and opening an order or a caller's orders from anywhere (a
mixin of :class:`~hotline_tui.ui.app.HotlineApp`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.screen import Screen

from hotline_tui.domain.permissions import allowed
from hotline_tui.ui.i18n import tr
from hotline_tui.ui.palette import ConsolePalette
from hotline_tui.ui.screens.base import ConsoleScreen
from hotline_tui.ui.textual_compat import app_bindings

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor

__all__ = ["MODE_PERMISSION", "ModeKeys"]

# Which permission opens a mode.
MODE_PERMISSION = {
    "intake": "register",
    "orders": "ticket.read",
    "queues": "ticket.read",
    "visits": "visit",
    "board": "supervise",
    "kb": "kb.read",
    "stats": "kpi.read",  # supervisors: the city; a department's handler: their own
}

# The app's own parts: at run time plain mixins of HotlineApp (ui/app.py), which is also a
# Textual App; typed as one here.
if TYPE_CHECKING:
    from textual.app import App

    _App = App[None]
else:
    _App = object


class ModeKeys(_App):
    """The modes, the console's keys and the palette's commands."""

    actor: Actor | None
    locked: bool

    def may_enter(self, mode: str) -> bool:
        if self.actor is None:  # nothing before the login (the login screen is alone)
            return False
        if mode == "kb":  # the knowledge base's own permission table
            from hotline_tui.domain.kb import kb_allowed

            return kb_allowed(self.actor.role, MODE_PERMISSION[mode])
        return allowed(self.actor.role, MODE_PERMISSION[mode])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mode" and parameters:
            return self.may_enter(str(parameters[0]))
        if action in ("lock", "notices"):
            return self.actor is not None and not self.locked
        return True

    async def action_mode(self, mode: str) -> None:
        # Awaited, so that keys typed right after the function key reach the new mode's form.
        if not self.may_enter(mode):
            return
        if mode != self.current_mode:
            await self.switch_mode(mode)
            return
        # The mode's own key over a screen opened on it (F3 on an order found in 工单): back to
        # the mode's screen, as the key does from any other mode. Only whole screens (an order,
        # an article, 回访到期) close; a dialog stays, it may hold what the operator typed.
        while len(self.screen_stack) > 1 and isinstance(self.screen, ConsoleScreen):
            await self.pop_screen()

    def role_allows(self, action: str, parameters: tuple[object, ...]) -> bool:
        """Whether the user's role may ever use this key (the help lists only those)."""
        if action == "mode" and parameters:
            return self.may_enter(str(parameters[0]))
        if action in ("lock", "notices"):
            return self.actor is not None
        return True

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """None of Textual's (English) commands: the palette's are in ui/palette.py."""
        return ()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not ConsolePalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(ConsolePalette())

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """(name, key, what it does) of each console command the user may use: the modes
        their role opens, help, lock, notices, quit."""
        keys = {binding.id: binding for _key, binding in app_bindings(self) if binding.id}
        for mode in self.MODES:
            binding = keys.get(f"mode.{mode}")
            if binding is not None and self.actor is not None and self.may_enter(mode):
                yield (
                    tr(f"mode.{mode}"),
                    self.get_key_display(binding),
                    partial(self.run_action, f"mode('{mode}')"),
                )
        for ident, action in (("help", "help"), ("lock", "lock"), ("notices", "notices")):
            binding = keys.get(ident)
            if binding is not None and (ident == "help" or self.actor is not None):
                yield (
                    binding.description,
                    self.get_key_display(binding),
                    partial(self.run_action, action),
                )
        yield tr("key.quit"), self.get_key_display(keys["quit"]), partial(self.run_action, "quit")

    def action_help(self) -> None:
        from hotline_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def open_order(self, number: str, dept: str | None = None) -> None:
        """Push the order's detail onto the current mode (on ``dept``'s part, if given)."""
        if self.actor is not None:
            from hotline_tui.ui.screens.detail import OrderDetailScreen

            self.push_screen(OrderDetailScreen(number, dept=dept))

    def find_phone(self, phone: str) -> None:
        """The orders of this phone number (the caller's history) in the orders mode."""
        if self.actor is None or not self.may_enter("orders"):
            return
        self.call_later(self._find_phone, phone)

    async def _find_phone(self, phone: str) -> None:
        await self.switch_mode("orders")  # mounted first: the search fills its fields
        search = getattr(self.screen, "search_phone", None)
        if search is not None:
            search(phone)
