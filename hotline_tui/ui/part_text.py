"""The lines a return review and an extension decision weigh, from a part's view or queue row:
the part's extension room (granted so far, the cap, what is left) and a late return (超时退单),
as ``Target.extra`` entries that the action modal shows (``action_modal.WEIGHED``)."""

from __future__ import annotations

from datetime import datetime

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.text import local_time

__all__ = ["part_extra"]


def part_extra(
    *,
    granted: int,
    cap: int | None,
    left: int | None,
    late: bool,
    window_end: datetime | None,
) -> dict[str, str]:
    """``extension_room`` (when the part has a cap) and ``late_return`` (when it is one)."""
    extra: dict[str, str] = {}
    if cap is not None:
        extra["extension_room"] = tr(
            "part.extension_room", granted=granted, cap=cap, left=left if left is not None else 0
        )
    if late:
        extra["late_return"] = tr("part.late_return", at=local_time(window_end))
    return extra
