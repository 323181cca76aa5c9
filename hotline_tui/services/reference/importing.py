"""Importing reference data: areas, departments, the category tree and the dispatch catalogue.

Every import is all-or-nothing. The file is read and checked row by row first (columns, codes,
vocabularies, duplicates); then, inside the write transaction, the rows are checked against the
database merged with the file (parents, references, the shape of the trees); only then is
anything written. The first bad line is named in an :class:`ImportFailed` error whose ``reason``
is a stable code (``unknown_parent``, ``bad_kind``…) that front ends put into words.

Rows are upserted by code: re-importing a file changes nothing and says so in its counts. The
``apply_*`` functions here (and the category tree's in
:mod:`hotline_tui.services.reference.category_import`) run inside a unit of work; the file
importers and the demo seed in :mod:`hotline_tui.services.reference.catalogue` call them, so
the demo and the files obey the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlmodel import Session, col

from db.models import Area, CatalogueRule, Category, Department
from db.models.reference import AREA_LEVELS
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
    "apply_departments",
    "assign_changes",
    "lock_reference_tables",
]

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
                    population=row.population,
                )
                session.add(area)
                existing[row.code] = area
                created += 1
                continue
            changes = {"name": row.name, "parent_id": parent_id, "level": row.level}
            if row.short_name is not None:
                changes["short_name"] = row.short_name
            if row.has_population:
                changes["population"] = row.population
            if assign_changes(area, changes):
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


def assign_changes(row: object, values: dict[str, object]) -> bool:
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
        if assign_changes(dept, changes):
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return Counts(created, updated, unchanged)


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
        elif assign_changes(rule, {"dept_id": dept_id}):
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return Counts(created, updated, unchanged)
