"""Importing the category tree: rows are placed in the tree merged from the file and the
database (codes resolved from paths, implied ancestors created, depth and path length checked,
cycles refused) before any row is written; see :mod:`hotline_tui.services.reference.importing`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from db.models import Category
from hotline_tui.domain.catalogue import category_code
from hotline_tui.services.reference.csv_rows import CategoryRow, Problems
from hotline_tui.services.reference.importing import Counts, assign_changes
from hotline_tui.services.uow import UnitOfWork

__all__ = ["MAX_CATEGORY_DEPTH", "MAX_PATH_LENGTH", "apply_categories"]

MAX_CATEGORY_DEPTH = 3
MAX_PATH_LENGTH = 400  # the width of category.path


@dataclass
class _Node:
    """A category as it will be: the file's nodes and the database's untouched ones."""

    code: str
    name: str
    parent: str | None  # parent code
    short_name: str | None  # None: keep what the database has
    line: int  # the file line that defines or implies it; 0 for database-only nodes
    path: str = ""
    level: int = 0


def _resolve_codes(
    report: Problems,
    rows: Sequence[CategoryRow],
    by_code: dict[str, Category],
    by_path: dict[str, Category],
) -> dict[tuple[str, ...], _Node]:
    """The file's nodes (rows and their implied ancestors) with their codes."""
    explicit = {row.code: row for row in rows if row.code is not None}
    defined: dict[tuple[str, ...], CategoryRow] = {row.path: row for row in rows}
    implied_line: dict[tuple[str, ...], int] = {}
    for row in rows:
        for depth in range(1, len(row.path) + 1):
            implied_line.setdefault(row.path[:depth], row.line)
    nodes: dict[tuple[str, ...], _Node] = {}
    taken: dict[str, int] = {}  # code → first line using it
    for path, line in sorted(implied_line.items(), key=lambda item: len(item[0])):
        spec = defined.get(path)
        joined = "/".join(path)
        current = by_path.get(joined)
        if spec is not None and spec.code is not None:
            code = spec.code
            if current is not None and current.code != code and current.code not in explicit:
                report.add(spec.line, "path_taken", path=joined, code=current.code)
        elif current is not None and not (
            current.code in explicit and explicit[current.code].path != path
        ):
            code = current.code  # known by its path: keep its code, whatever made it
        else:
            code = category_code(path)
            if code in by_code and by_code[code].path != joined:
                report.add(line, "code_taken", value=code, path=by_code[code].path)
        if code in taken:
            report.add(line, "duplicate_code", value=code, first_line=taken[code])
        taken.setdefault(code, line)
        parent = nodes[path[:-1]].code if len(path) > 1 else None
        nodes[path] = _Node(
            code, path[-1], parent, spec.short_name if spec else None, spec.line if spec else line
        )
    return nodes


def apply_categories(uow: UnitOfWork, report: Problems, rows: Sequence[CategoryRow]) -> Counts:
    """Check the merged tree (codes, paths, depth), then upsert the nodes by code."""
    session = uow.session
    existing = list(session.execute(select(Category)).scalars())
    by_code = {c.code: c for c in existing}
    by_path = {c.path: c for c in existing}
    code_of = {c.id: c.code for c in existing}
    file_nodes = _resolve_codes(report, rows, by_code, by_path)
    report.check()
    merged = {c.code: _Node(c.code, c.name, code_of.get(c.parent_id), None, 0) for c in existing}
    merged.update({node.code: node for node in file_nodes.values()})
    _place(report, merged)
    report.check()

    created = updated = unchanged = 0
    for node in merged.values():
        row = by_code.get(node.code)
        if row is not None and row.path != node.path:
            # Park moved rows on a unique temporary path so that renames which swap paths
            # never collide on the unique index half-way through the flush.
            row.path = f"#{node.code}"
    session.flush()
    ids = {c.code: c.id for c in existing}
    for depth in range(1, MAX_CATEGORY_DEPTH + 1):
        for node in (n for n in merged.values() if n.level == depth):
            parent_id = ids[node.parent] if node.parent else None
            row = by_code.get(node.code)
            if row is None:
                row = Category(
                    code=node.code,
                    name=node.name,
                    short_name=node.short_name or "",
                    parent_id=parent_id,
                    level=node.level,
                    path=node.path,
                )
                session.add(row)
                by_code[node.code] = row
                created += 1
                continue
            changes: dict[str, object] = {
                "name": node.name,
                "parent_id": parent_id,
                "level": node.level,
                "path": node.path,
            }
            if node.short_name is not None:
                changes["short_name"] = node.short_name
            # A moved row sits on its temporary path, so its real path counts as a change.
            if assign_changes(row, changes):
                updated += 1
            elif node.line:
                unchanged += 1
        session.flush()
        ids.update({code: c.id for code, c in by_code.items()})
    return Counts(created, updated, unchanged)


def _place(report: Problems, merged: dict[str, _Node]) -> None:
    """Fill in every node's path and level; report too-deep, too-long or clashing paths."""

    def blame(node: _Node) -> int:
        # A database node goes wrong only because of a file node above it: name that line.
        trail: set[str] = set()
        while not node.line and node.parent in merged and node.code not in trail:
            trail.add(node.code)
            node = merged[node.parent]
        return node.line

    def place(node: _Node, trail: frozenset[str]) -> bool:
        if node.level:
            return True
        parent = merged.get(node.parent) if node.parent is not None else None
        if node.parent is not None:
            # Only a moved node can deepen the tree; the trail guards against a loop anyway.
            if parent is None or node.code in trail or len(trail) > MAX_CATEGORY_DEPTH:
                return False
            if not place(parent, trail | {node.code}):
                return False
        node.path = f"{parent.path}/{node.name}" if parent else node.name
        node.level = parent.level + 1 if parent else 1
        return True

    seen: dict[str, _Node] = {}
    for node in merged.values():
        if not place(node, frozenset()) or node.level > MAX_CATEGORY_DEPTH:
            report.add(blame(node), "too_deep", path=node.path or node.name)
        elif len(node.path) > MAX_PATH_LENGTH:
            report.add(blame(node), "too_long", column="path", max=MAX_PATH_LENGTH)
        elif node.path in seen:
            first, second = sorted((node, seen[node.path]), key=lambda n: (n.line == 0, n.line))
            report.add(
                blame(first), "duplicate_path", value=node.path, code=second.code, other=first.code
            )
        else:
            seen[node.path] = node
