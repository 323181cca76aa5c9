"""Reference data: areas, departments, the category tree and the dispatch catalogue.

Reading is open to every logged-in role (intake needs categories and areas, handlers see
departments). Changing needs ``reference.import``: the ``import_*`` functions read a CSV file
(:mod:`hotline_tui.services.reference.csv_rows`) and upsert it in one transaction with one audit
event carrying the counts and the file's SHA-256 (:mod:`hotline_tui.services.reference.importing`,
whose upserts the demo's city seed uses too). :func:`suggest_lead` applies the dispatch-catalogue
precedence of :func:`hotline_tui.domain.catalogue.pick_rule` to the rules stored in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlmodel import Session, col

from db.models import Area, CatalogueRule, Category, Department
from hotline_tui.domain.catalogue import pick_rule
from hotline_tui.domain.errors import NotFound
from hotline_tui.domain.permissions import require
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.reference.category_import import apply_categories
from hotline_tui.services.reference.csv_rows import (
    Problems,
    parse_areas,
    parse_catalogue,
    parse_categories,
    parse_departments,
)
from hotline_tui.services.reference.importing import (
    Counts,
    ImportResult,
    apply_areas,
    apply_catalogue,
    apply_departments,
    lock_reference_tables,
)
from hotline_tui.services.uow import UnitOfWork

__all__ = [
    "AreaView",
    "CatalogueView",
    "CategoryView",
    "DeptView",
    "ImportResult",
    "import_areas",
    "import_catalogue",
    "import_categories",
    "import_departments",
    "list_areas",
    "list_catalogue",
    "list_categories",
    "list_departments",
    "suggest_lead",
]

N = TypeVar("N")
R = TypeVar("R")
_MAX_DEPTH = 16  # far deeper than any real tree: only a corrupted parent loop gets this far


@dataclass(frozen=True)
class AreaView:
    code: str
    name: str
    short_name: str
    parent_code: str | None
    level: str


@dataclass(frozen=True)
class DeptView:
    code: str
    name: str
    short_name: str
    kind: str
    area_code: str | None
    active: bool


@dataclass(frozen=True)
class CategoryView:
    code: str
    name: str
    short_name: str
    parent_code: str | None
    level: int
    path: str


@dataclass(frozen=True)
class CatalogueView:
    """One rule: orders in ``category`` (and below) in ``area`` (or anywhere) go to ``dept``."""

    category_code: str
    category_path: str
    area_code: str | None
    dept_code: str
    dept_name: str


# ---------------------------------------------------------------------------------------- lists


def _tree_order(
    items: Iterable[N], key: Callable[[N], int], parent: Callable[[N], int | None]
) -> list[N]:
    """Parents before their children, siblings in the order they were created (by id).

    Sorting by the chain of ids gives the same order on every backend, unlike a collation.
    """
    by_id = {key(item): item for item in items}

    def chain(item: N) -> tuple[int, ...]:
        ids = [key(item)]
        up = parent(item)
        while up is not None and up in by_id and len(ids) < _MAX_DEPTH:
            ids.append(up)
            up = parent(by_id[up])
        return tuple(reversed(ids))

    return sorted(by_id.values(), key=chain)


def list_areas(hl: Hotline, actor: Actor) -> list[AreaView]:
    """Every area, in tree order."""
    del actor  # every logged-in role may read reference data
    with hl.reading() as session:
        areas = list(session.execute(select(Area)).scalars())
    code_of = {a.id: a.code for a in areas}
    ordered = _tree_order(areas, lambda a: a.id or 0, lambda a: a.parent_id)
    return [
        AreaView(a.code, a.name, a.short_name, code_of.get(a.parent_id), a.level) for a in ordered
    ]


def list_departments(hl: Hotline, actor: Actor) -> list[DeptView]:
    """Every department (active or not), by code (code-point order on every backend)."""
    del actor
    with hl.reading() as session:
        rows = session.execute(
            select(Department, col(Area.code)).join(
                Area, col(Area.id) == col(Department.area_id), isouter=True
            )
        )
        views = [_dept_view(dept, area_code) for dept, area_code in rows]
    return sorted(views, key=lambda view: view.code)


def _dept_view(dept: Department, area_code: str | None) -> DeptView:
    return DeptView(dept.code, dept.name, dept.short_name, dept.kind, area_code, dept.active)


def list_categories(hl: Hotline, actor: Actor, *, level: int | None = None) -> list[CategoryView]:
    """The category tree in tree order; ``level`` keeps only the nodes of that level."""
    del actor
    with hl.reading() as session:
        nodes = list(session.execute(select(Category)).scalars())
    code_of = {c.id: c.code for c in nodes}
    ordered = _tree_order(nodes, lambda c: c.id or 0, lambda c: c.parent_id)
    return [
        CategoryView(c.code, c.name, c.short_name, code_of.get(c.parent_id), c.level, c.path)
        for c in ordered
        if level is None or c.level == level
    ]


def list_catalogue(hl: Hotline, actor: Actor) -> list[CatalogueView]:
    """Every dispatch rule, by category path, area-less rules first."""
    del actor
    with hl.reading() as session:
        rows = session.execute(
            select(
                col(Category.code),
                col(Category.path),
                col(Area.code),
                col(Department.code),
                col(Department.name),
            )
            .select_from(CatalogueRule)
            .join(Category, col(Category.id) == col(CatalogueRule.category_id))
            .join(Department, col(Department.id) == col(CatalogueRule.dept_id))
            .join(Area, col(Area.id) == col(CatalogueRule.area_id), isouter=True)
        ).all()
    views = [CatalogueView(*row) for row in rows]
    # Sorted here, not in SQL: code-point order is the same on SQLite and PostgreSQL.
    return sorted(
        views, key=lambda v: (v.category_path, v.area_code is not None, v.area_code or "")
    )


# ------------------------------------------------------------------------------------ suggestion


def _chain(session: Session, model: type[Any], code: str, missing: str) -> list[Any]:
    """The row with ``code`` followed by its ancestors (one small query per level)."""
    row = session.execute(select(model).where(model.code == code)).scalar_one_or_none()
    if row is None:
        raise NotFound(missing, code=code)
    chain = [row]
    while row.parent_id is not None and len(chain) < _MAX_DEPTH:
        row = session.get(model, row.parent_id)
        if row is None or row in chain:
            break
        chain.append(row)
    return chain


def suggest_lead(
    hl: Hotline, actor: Actor, category_code: str, area_code: str | None = None
) -> DeptView | None:
    """The lead department the dispatch catalogue names for a category in an area, if any.

    Only the rules of the category's ancestor chain and the area's ancestor chain are loaded.
    Rules naming a department that is no longer active are skipped, so that a more general rule
    takes over instead of suggesting a unit that cannot take orders.
    """
    del actor  # operators see the suggestion while the caller waits: every role may ask
    with hl.reading() as session:
        categories: list[Category] = _chain(session, Category, category_code, "not_found.category")
        areas: list[Area] = _chain(session, Area, area_code, "not_found.area") if area_code else []
        category_of = {c.id: c.code for c in categories}
        area_of = {a.id: a.code for a in areas}
        rule_area = col(CatalogueRule.area_id)
        rows = session.execute(
            select(col(CatalogueRule.category_id), rule_area, Department)
            .join(Department, col(Department.id) == col(CatalogueRule.dept_id))
            .where(col(CatalogueRule.category_id).in_(list(category_of)))
            .where(or_(rule_area.is_(None), rule_area.in_(list(area_of))))
            .where(col(Department.active))
        ).all()
        rules = {
            (category_of[cat_id], area_of.get(area_id) if area_id else None): dept
            for cat_id, area_id, dept in rows
        }
        dept = pick_rule(rules, [c.code for c in categories], [a.code for a in areas])
        if dept is None:
            return None
        dept_area = session.get(Area, dept.area_id) if dept.area_id is not None else None
        return _dept_view(dept, dept_area.code if dept_area else None)


# -------------------------------------------------------------------------------- file imports


def _import(
    hl: Hotline,
    actor: Actor,
    path: Path,
    entity: str,
    table: str,
    parse: Callable[[Path], tuple[Problems, str, Sequence[R]]],
    apply: Callable[[UnitOfWork, Problems, Sequence[R]], Counts],
) -> ImportResult:
    require(actor.role, "reference.import", username=actor.username)
    # Read and check the file before the transaction: a bad file never takes the write lock.
    report, sha256, rows = parse(path)

    def work(uow: UnitOfWork) -> ImportResult:
        lock_reference_tables(uow, table)
        counts = apply(uow, report, rows)
        result = ImportResult(
            entity, str(path), sha256, counts.created, counts.updated, counts.unchanged
        )
        uow.record(
            "reference.import",
            entity=entity,
            data={
                "file": str(path),
                "sha256": sha256,
                "rows": len(rows),
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
            },
        )
        return result

    return uow_module.write(hl, actor, work)


def import_areas(hl: Hotline, actor: Actor, path: Path) -> ImportResult:
    """Areas from CSV: ``code,name,short_name,parent_code,level`` (short_name optional)."""
    return _import(hl, actor, path, "area", "area", parse_areas, apply_areas)


def import_departments(hl: Hotline, actor: Actor, path: Path) -> ImportResult:
    """Departments from CSV: ``code,name,short_name,kind,area_code`` (the last two optional)."""
    return _import(
        hl, actor, path, "department", "department", parse_departments, apply_departments
    )


def import_categories(hl: Hotline, actor: Actor, path: Path) -> ImportResult:
    """The category tree from CSV: ``一级分类,二级分类,三级分类`` or
    ``level1,level2,level3[,code][,short_name]``; missing codes are derived from the path."""
    return _import(hl, actor, path, "category", "category", parse_categories, apply_categories)


def import_catalogue(hl: Hotline, actor: Actor, path: Path) -> ImportResult:
    """Dispatch rules from CSV: ``category,area_code,dept_code`` (empty area = any area)."""
    return _import(hl, actor, path, "catalogue", "catalogue_rule", parse_catalogue, apply_catalogue)
