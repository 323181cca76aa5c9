"""The command palette's jump: type an order number to open it, or a phone number to find its
orders. Only the typed text is used (no database call while typing)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.text import content, plain

if TYPE_CHECKING:
    from hotline_tui.ui.app import HotlineApp

__all__ = ["JumpProvider", "jump_targets"]


def jump_targets(query: str) -> list[tuple[str, str]]:
    """("order", number) and/or ("phone", number) for what was typed."""
    text = "".join(ch for ch in plain(query, single_line=True) if not ch.isspace())
    digits = text.translate(str.maketrans("０１２３４５６７８９－", "0123456789-")).replace("-", "")
    if not digits.isdigit():
        return []
    targets: list[tuple[str, str]] = []
    if len(digits) >= 8:
        targets.append(("order", digits))
    if (len(digits) == 11 and digits.startswith("1")) or (
        7 <= len(digits) <= 12 and digits.startswith("0")
    ):
        targets.append(("phone", digits))
    return targets


class JumpProvider(Provider):
    """Jump to an order by number, or to the orders of a phone number."""

    @property
    def ui(self) -> HotlineApp:
        return cast("HotlineApp", self.app)

    async def discover(self) -> Hits:
        yield DiscoveryHit(content(tr("palette.hint")), lambda: None, help=tr("palette.hint"))

    async def search(self, query: str) -> Hits:
        for kind, value in jump_targets(query):
            if kind == "order":
                label = tr("palette.jump", number=value)
                yield Hit(1.0, content(label), partial(self.ui.open_order, value), text=label)
            else:
                label = tr("palette.phone", phone=value)
                yield Hit(0.9, content(label), partial(self.ui.find_phone, value), text=label)
