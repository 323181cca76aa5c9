"""The edit form's round trip: an order's current fields as the strings the form starts with
(:func:`edit_values`, carried in :attr:`Target.extra`), and what the operator changed in them
(:func:`edit_changes`, the ``changes`` of ``services.tickets.editing.edit``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotline_tui.services.tickets.views import TicketDetail

__all__ = ["edit_changes", "edit_values"]

_TEXT = ("title", "description", "address", "urgency", "request_type")


def edit_values(d: TicketDetail) -> dict[str, str]:
    """The form's starting values; pickers also get the label they show (``<name>.label``)."""
    return {
        "title": d.title,
        "description": d.description,
        "address": d.address,
        "urgency": d.urgency,
        "request_type": d.request_type,
        "confidential": "yes" if d.confidential else "no",
        "category": d.category or "",
        "category.label": d.category_path or "",
        "area": d.area or "",
        "area.label": d.area or "",
    }


def edit_changes(before: Mapping[str, str], values: Mapping[str, Any]) -> dict[str, object]:
    """Only the fields the operator changed: a save never overwrites what it did not touch."""
    changes: dict[str, object] = {}
    for name in _TEXT:
        if name in values and str(values[name] or "") != before.get(name, ""):
            changes[name] = str(values[name] or "")
    for name in ("category", "area"):
        if name in values and str(values[name] or "") != before.get(name, ""):
            changes[name] = values[name] or None
    if "confidential" in values and values["confidential"] != before.get("confidential"):
        changes["confidential"] = values["confidential"] == "yes"
    return changes
