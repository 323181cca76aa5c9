"""A dialog's values as its action's typed input (:mod:`hotline_tui.services.tickets.actions`).

:func:`input_for` fills the catalogue entry's input from the row acted on (the order, the
department of the part, the version the user saw) and from the dialog's fields, each converted
to its field's type. It runs in the worker with the service call, so that a value the services
refuse (days that are not a number, an edit that changes nothing) is shown in the dialog.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hotline_tui.domain.errors import ValidationError
from hotline_tui.services.tickets.actions import inputs
from hotline_tui.ui.actions import ActionSpec, FieldSpec, Target

__all__ = ["input_for"]


def input_for(spec: ActionSpec, target: Target, values: Mapping[str, Any]) -> inputs.OrderInput:
    """The input of ``spec``'s action on ``target`` with what the dialog asked for."""
    action = spec.action
    seen = target.part_version if action.on_part else target.ticket_version
    if spec.name == "edit":
        return _edit(target, values)
    types = typing.get_type_hints(action.input, vars(inputs))
    given: dict[str, Any] = {"number": target.number, "if_version": seen}
    if "dept" in types:
        # The part under the cursor (a department's own, by the catalogue's rule).
        given["dept"] = str(target.dept or "") if types["dept"] is str else target.dept
    for field in spec.fields:
        if field.name not in values:  # hidden: the input's default
            continue
        name = field.into or field.name
        value = _typed(field, types[name], values[field.name])
        if value is not None or not _has_default(action.input, name):
            given[name] = value
    made: inputs.OrderInput = action.input(**given)
    return made


def _typed(field: FieldSpec, kind: object, value: Any) -> Any:
    """A dialog's value (text, a choice, picked codes) as the input field's type."""
    if kind is bool:
        return value == "yes"
    if kind == tuple[str, ...]:
        return tuple(value or ())
    if kind is Path:
        return Path(str(value or "").strip()).expanduser()
    if kind is int or kind == int | None:
        return _days(field.name, value, required=kind is int)
    if kind == str | None:
        return value or None
    text = str(value or "")
    return text.strip() if field.kind == "number" else text


def _days(name: str, value: Any, *, required: bool) -> int | None:
    """Working days as typed: an extension's (required) or a 提级's / 会商's due (empty: the
    setting's)."""
    typed = str(value or "").strip()
    if name == "due_days":
        from hotline_tui.services.tickets.supervision import MAX_DUE_DAYS

        if not typed:
            return None
        if not typed.isdigit():
            raise ValidationError("validation.due_days", days=typed, max=MAX_DUE_DAYS)
        return int(typed)
    try:
        return int(typed)
    except ValueError:
        if not required and not typed:
            return None
        raise ValidationError("validation.extension_days_text", field="days", days=value) from None


def _has_default(cls: type[Any], name: str) -> bool:
    found = {f.name: f for f in dataclasses.fields(cls)}[name]
    return found.default is not dataclasses.MISSING


def _edit(target: Target, values: Mapping[str, Any]) -> inputs.EditInput:
    """修改: only what the operator changed, from the values the form started with."""
    from hotline_tui.ui.order_forms import edit_changes

    changes = edit_changes(target.extra, values)
    if not changes:
        raise ValidationError("validation.nothing_changed", ticket=target.number)
    return inputs.EditInput(number=target.number, changes=changes, if_version=target.ticket_version)
