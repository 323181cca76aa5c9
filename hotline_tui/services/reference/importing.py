"""Importing reference data: areas, departments, the category tree and the dispatch catalogue.

Every import is all-or-nothing. The file is read and checked row by row first (columns, codes,
vocabularies, duplicates); then, inside the write transaction, the rows are checked against the
database merged with the file (parents, references, the shape of the trees); only then is
anything written. The first bad line is named in an :class:`ImportFailed` error whose ``reason``
is a stable code (``unknown_parent``, ``bad_kind``…) that front ends put into words.

Rows are upserted by code: re-importing a file changes nothing and says so in its counts. The
``apply_*`` functions here run inside a unit of work; the file importers and the demo seed in
:mod:`hotline_tui.services.reference.catalogue` call them, so the demo and the files obey the same
rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlmodel import Session, col

from db.models import Area, CatalogueRule, Category, Department
from db.models.reference import AREA_LEVELS
from hotline_tui.domain.catalogue import category_code
from hotline_tui.services.reference.csv_rows import (
    AreaRow,
    CategoryRow,
    DeptRow,
    Problems,
    RuleRow,
)
from hotline_tui.services.uow import UnitOfWork

__all__ = [
    "AreaRow",
    "CategoryRow",
    "Counts",
    "DeptRow",
    "ImportResult",
    "RuleRow",
    "apply_areas",
    "apply_catalogue",
    "apply_categories",
    "apply_departments",
    "lock_reference_tables",
]

MAX_CATEGORY_DEPTH = 3
MAX_PATH_LENGTH = 400  # the width of category.path
_AREA_RANK = {level: rank for rank, level in enumerate(AREA_LEVELS)}


@dataclass(frozen=True)
class Counts:
    """What an upsert did: rows created, rows changed, rows already as the file says."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    """The outcome of one import; ``entity`` is area, department, category or catalogue."""

    entity: str
    file: str
    sha256: str
    created: int
    updated: int
    unchanged: int


def lock_reference_tables(uow: UnitOfWork, *tables: str) -> None:
    """Keep concurrent imports from interleaving (PostgreSQL; SQLite has one writer already).

    EXCLUSIVE still lets readers (and the console's suggestions) read the old rows meanwhile.
    """
    if uow.hl.dialect == "postgresql":
        for table in tables:
            uow.session.execute(text(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE'))


# ---------------------------------------------------------------------------------------- areas


def apply_areas(uow: UnitOfWork, report: Problems, rows: Sequence[AreaRow]) -> Counts:
    """Check ``rows`` against the database, then upsert them by code."""
    session = uow.session
    existing = {a.code: a for a in session.execute(select(Area)).scalars()}
    code_of = {a.id: a.code for a in existing.values()}
    # The tree as it will be once the file is in: code → (parent code, level).
    merged = {code: (code_of.get(a.parent_id), a.level) for code, a in existing.items()}
    in_file = {row.code: row for row in rows}
    merged.update({row.code: (row.parent_code, row.level) for row in rows})
    for row in rows:
        if row.parent_code is None:
            if _AREA_RANK[row.level] != 0:
                report.add(row.line, "missing_parent", level=row.level)
        elif row.parent_code not in merged:
            report.add(row.line, "unknown_parent", value=row.parent_code)
        elif _AREA_RANK[merged[row.parent_code][1]] >= _AREA_RANK[row.level]:
            # Levels strictly descend along every branch, which also rules out cycles.
            report.add(
                row.line,
                "parent_level",
                value=row.parent_code,
                parent_level=merged[row.parent_code][1],
                level=row.level,
            )
    for code, (parent, level) in merged.items():
        # An area the file leaves alone must still fit under a parent whose level it changes.
        if (
            code not in in_file
            and parent in in_file
            and (_AREA_RANK[in_file[parent].level] >= _AREA_RANK[level])
        ):
            report.add(in_file[parent].line, "child_level", child=code, level=level)
    report.check()

    ids = {code: a.id for code, a in existing.items()}
    created = updated = unchanged = 0
    # Parents before children, so that a new parent has its id when its children are written.
    for rank in range(len(AREA_LEVELS)):
        for row in (r for r in rows if _AREA_RANK[r.level] == rank):
            parent_id = ids[row.parent_code] if row.parent_code else None
            area = existing.get(row.code)
            if area is None:
                area = Area(
                    code=row.code,
                    name=row.name,
                    short_name=row.short_name or "",
                    parent_id=parent_id,
                    level=row.level,
                )
                session.add(area)
                existing[row.code] = area
                created += 1
                continue
            changes = {"name": row.name, "parent_id": parent_id, "level": row.level}
            if row.short_name is not None:
                changes["short_name"] = row.short_name
            if _assign(area, changes):
                updated += 1
            else:
                unchanged += 1
        session.flush()
        ids.update({code: a.id for code, a in existing.items()})
    return Counts(created, updated, unchanged)


def _ids(session: Session, key: str, row_id: int | None) -> dict[str, int]:
    """``key → id`` for a whole table (reference tables are small: thousands of rows at most)."""
    rows = session.execute(select(col(key), col(row_id)))
    return {str(k): int(i) for k, i in rows}


def _assign(row: object, values: dict[str, object]) -> bool:
    """Set the attributes that differ; whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


# ---------------------------------------------------------------------------------- departments


def apply_departments(uow: UnitOfWork, report: Problems, rows: Sequence[DeptRow]) -> Counts:
    """Check the departments' areas exist, then upsert them by code."""
    session = uow.session
    area_ids = _ids(session, Area.code, Area.id)
    for row in rows:
        if row.area_code is not None and row.area_code not in area_ids:
            report.add(row.line, "unknown_area", value=row.area_code)
    report.check()
    existing = {d.code: d for d in session.execute(select(Department)).scalars()}
    created = updated = unchanged = 0
    for row in rows:
        area_id = area_ids[row.area_code] if row.area_code else None
        dept = existing.get(row.code)
        if dept is None:
            session.add(
                Department(
                    code=row.code,
                    name=row.name,
                    short_name=row.short_name or "",
                    kind=row.kind,
                    area_id=area_id,
                )
            )
            created += 1
            continue
        changes: dict[str, object] = {"name": row.name, "kind": row.kind, "area_id": area_id}
        if row.short_name is not None:
            changes["short_name"] = row.short_name
        if _assign(dept, changes):
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return Counts(created, updated, unchanged)


# ----------------------------------------------------------------------------------- categories


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
            if _assign(row, changes):
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


# ------------------------------------------------------------------------------------ catalogue


def apply_catalogue(uow: UnitOfWork, report: Problems, rows: Sequence[RuleRow]) -> Counts:
    """Resolve each rule's category, area and department, then upsert by (category, area)."""
    session = uow.session
    cat_by_code = _ids(session, Category.code, Category.id)
    cat_by_path = _ids(session, Category.path, Category.id)
    area_ids = _ids(session, Area.code, Area.id)
    dept_ids = _ids(session, Department.code, Department.id)
    resolved: dict[tuple[int, int | None], tuple[RuleRow, int]] = {}
    for row in rows:
        # A category is named by its code, or by its name path when no code matches.
        category_id = None if row.as_path else cat_by_code.get(row.category)
        if category_id is None:
            category_id = cat_by_path.get(row.category)
        if category_id is None:
            report.add(row.line, "unknown_category", value=row.category)
            continue
        if row.area_code is not None and row.area_code not in area_ids:
            report.add(row.line, "unknown_area", value=row.area_code)
            continue
        if row.dept_code not in dept_ids:
            report.add(row.line, "unknown_dept", value=row.dept_code)
            continue
        key = (category_id, area_ids[row.area_code] if row.area_code else None)
        if key in resolved:
            report.add(row.line, "duplicate_rule", first_line=resolved[key][0].line)
            continue
        resolved[key] = (row, dept_ids[row.dept_code])
    report.check()
    rules = session.execute(select(CatalogueRule)).scalars()
    existing = {(rule.category_id, rule.area_id): rule for rule in rules}
    created = updated = unchanged = 0
    for (category_id, area_id), (_row, dept_id) in resolved.items():
        rule = existing.get((category_id, area_id))
        if rule is None:
            session.add(CatalogueRule(category_id=category_id, area_id=area_id, dept_id=dept_id))
            created += 1
        elif _assign(rule, {"dept_id": dept_id}):
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return Counts(created, updated, unchanged)
