"""Stored instants as people read them: in the hotline's display zone, the one helper of every
front end (the console, the command line).

Provides:

- :func:`use_zone` - the zone to show times in (``Settings.timezone``), set by each entry point
  when it has read its settings, like the segmenter's cache (:mod:`hotline_tui.domain.text`);
  until then, and by default, ``Asia/Shanghai``;
- :func:`display_zone` - that zone, for reading a typed day or time in it too;
- :func:`local_time` - ``YYYY-MM-DD HH:MM`` in the zone; :func:`short_time` - ``MM-DD HH:MM``.

The zone is one per process: a console or a command shows one operator's times, and the
labels and error texts that print a time (``ui/i18n.py``) have no settings at hand.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

__all__ = ["DEFAULT_ZONE", "display_zone", "local_time", "short_time", "use_zone"]

DEFAULT_ZONE = "Asia/Shanghai"

_zone: tzinfo = ZoneInfo(DEFAULT_ZONE)


def use_zone(name: str | None) -> None:
    """Show times in the zone ``name`` (an IANA name such as ``Asia/Urumqi``) from now on;
    ``None`` or empty means the default. An unknown name raises ``ZoneInfoNotFoundError``."""
    global _zone
    _zone = ZoneInfo(name or DEFAULT_ZONE)


def display_zone() -> tzinfo:
    """The zone times are shown (and typed) in."""
    return _zone


def local_time(value: datetime | None, zone: tzinfo | None = None) -> str:
    """``YYYY-MM-DD HH:MM`` in the display zone (or ``zone``), or empty for no time."""
    if value is None:
        return ""
    return f"{value.astimezone(zone or _zone):%Y-%m-%d %H:%M}"


def short_time(value: datetime | None, zone: tzinfo | None = None) -> str:
    """``MM-DD HH:MM`` in the display zone (or ``zone``), or empty: compact columns."""
    if value is None:
        return ""
    return f"{value.astimezone(zone or _zone):%m-%d %H:%M}"
