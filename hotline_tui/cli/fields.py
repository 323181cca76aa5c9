"""Which of a command's options fed a service's field, so an error names what the user typed.

Services name the input they refuse by their own field names (``description``, ``caller.kind``,
``lead_dept``); the user typed ``-d`` or ``--caller``. :func:`field_flags` maps each field to the
flags of the running command's parameter, derived from the command's click parameters (its Python
name and its option names), never written by hand per command; :func:`running_command` finds the
command that was run under the root group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["field_flags", "flags_of", "running_command"]


def running_command(root: Any, ctx: Any, rest: Sequence[str]) -> Any | None:
    """The command run under ``root``: ``ctx.invoked_subcommand``, then down through groups by
    the leading words of ``rest`` (the arguments after it; groups here take no options)."""
    name = ctx.invoked_subcommand
    command = root.get_command(ctx, name) if name else None
    words = list(rest)
    while command is not None and hasattr(command, "list_commands"):
        if not words:
            return None
        command = command.get_command(ctx, words.pop(0))
    return command


def flags_of(param: Any) -> str:
    """``-d/--description`` for an option (short flags first), ``NUMBER`` for an argument."""
    if param.param_type_name == "argument":
        return str(param.metavar or (param.name or "").upper())
    return "/".join(sorted(param.opts, key=lambda flag: (flag.startswith("--"), flag)))


def _keys(param: Any) -> set[str]:
    keys = {param.name or ""}
    for flag in [*param.opts, *getattr(param, "secondary_opts", [])]:
        keys.add(flag.lstrip("-").replace("-", "_"))
    return keys - {""}


def field_flags(command: Any | None, fields: Sequence[str]) -> dict[str, str]:
    """For each of ``fields`` that a parameter of ``command`` feeds: the parameter's flags.

    A field matches a parameter by the parameter's Python name or one of its option names
    (``--if-version`` is ``if_version``); a dotted field (``caller.kind``) is tried whole
    (``caller_kind``) and then by its last part (``kind``).
    """
    if command is None:
        return {}
    params = [p for p in command.params if p.name != "help"]
    found: dict[str, str] = {}
    for field in fields:
        candidates = [field.replace(".", "_"), field.rsplit(".", 1)[-1]]
        for candidate in candidates:
            match = next((p for p in params if candidate in _keys(p)), None)
            if match is not None:
                found[field] = flags_of(match)
                break
    return found
