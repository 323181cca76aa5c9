"""Sub-commands of ``hotline`` that are imported only when they are used.

Provides :class:`Lazy`, one top-level command or group named with its one-line help and the
module that defines it, and :class:`LazyCommands`, the mapping a click group keeps its commands
in: it imports a command's module the first time the command is looked up. So ``hotline ticket
show`` imports the ticket commands and not the knowledge base, the migrations or the demo
generator, while anything that walks the tree (``list_commands`` then ``get_command``, or
``group.commands.items()``) still sees every command, loaded on the way.

``hotline --help`` lists every command with its help without importing any of them: while the
root group formats its help, :meth:`LazyCommands.peek` gives a stand-in that carries only the
name and the help written here (a test compares it with the real command's).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Literal

import typer
from typer.core import TyperCommand

__all__ = ["Lazy", "LazyCommands"]


@dataclass(frozen=True)
class Lazy:
    """A command (``kind="command"``: a function) or a group (``kind="group"``: a ``Typer``
    app) defined as ``attribute`` of ``module``, with the help ``hotline --help`` shows; or
    (``kind="member"``) one of the commands of the ``Typer`` app ``attribute`` of ``module``,
    joined to a group that lists it."""

    kind: Literal["command", "group", "member"]
    module: str
    attribute: str
    help: str

    def load(self, name: str) -> Any:
        """Import the module and build the click command exactly as ``add_typer`` /
        ``command`` on the root would have."""
        target = getattr(importlib.import_module(self.module), self.attribute)
        if self.kind == "member":
            return _members(target)[name]
        holder = typer.Typer(add_completion=False)
        if self.kind == "group":
            holder.add_typer(target, name=name)
        else:
            holder.command(name)(target)
        return typer.main.get_group(holder).commands[name]

    def stand_in(self, name: str) -> TyperCommand:
        """What the root's help lists before the command is loaded: its name and help."""
        return TyperCommand(name, help=self.help)


_BUILT: dict[int, dict[str, Any]] = {}


def _members(app: typer.Typer) -> dict[str, Any]:
    """The click commands of ``app``, built once per process."""
    if id(app) not in _BUILT:
        _BUILT[id(app)] = dict(typer.main.get_group(app).commands)
    return _BUILT[id(app)]


class LazyCommands(MutableMapping[str, Any]):
    """A group's commands: those typer built at once, and :class:`Lazy` ones built on first
    lookup. Iteration lists the lazy commands, then the others, then the lazy groups: the
    order typer uses (commands before groups)."""

    def __init__(self, built: Mapping[str, Any], lazy: Mapping[str, Lazy]) -> None:
        self._built: dict[str, Any] = dict(built)
        self._lazy = dict(lazy)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            entry = self._lazy[name]  # KeyError: no such command
            self._built[name] = entry.load(name)
        return self._built[name]

    def peek(self, name: str) -> Any | None:
        """The command if it is loaded, its stand-in if not, None if there is no such name."""
        if name in self._built:
            return self._built[name]
        entry = self._lazy.get(name)
        return entry.stand_in(name) if entry is not None else None

    def __iter__(self) -> Iterator[str]:
        commands = [n for n, e in self._lazy.items() if e.kind != "group"]
        groups = [n for n, e in self._lazy.items() if e.kind == "group"]
        others = [n for n in self._built if n not in self._lazy]
        return iter([*commands, *others, *groups])

    def __len__(self) -> int:
        return len(self._built.keys() | self._lazy.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._built or name in self._lazy

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command
        self._lazy.pop(name, None)

    def __delitem__(self, name: str) -> None:
        found = name in self
        self._built.pop(name, None)
        self._lazy.pop(name, None)
        if not found:
            raise KeyError(name)
