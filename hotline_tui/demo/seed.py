"""The demo city 青川市 in the database: its areas, departments, category tree and catalogue.

Loaded through the reference services' own upserts
(:mod:`hotline_tui.services.reference.importing`), so the demo city obeys the same rules as an
imported file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from hotline_tui.demo import city
from hotline_tui.domain.permissions import require
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.reference.category_import import apply_categories
from hotline_tui.services.reference.csv_rows import AreaRow, CategoryRow, DeptRow, Problems, RuleRow
from hotline_tui.services.reference.importing import (
    Counts,
    apply_areas,
    apply_catalogue,
    apply_departments,
    lock_reference_tables,
)
from hotline_tui.services.uow import UnitOfWork


@dataclass(frozen=True)
class SeedResult:
    """What :func:`seed_city` did to each table."""

    areas: Counts
    departments: Counts
    categories: Counts
    catalogue: Counts


def _demo_rows() -> tuple[list[AreaRow], list[DeptRow], list[CategoryRow], list[RuleRow]]:
    """The demo city as import rows; ``line`` is the position in the demo tables."""
    areas = [
        AreaRow(i, a.code, a.name, a.short_name, a.parent_code, a.level, a.population, True)
        for i, a in enumerate(city.AREAS, start=1)
    ]
    depts = [
        DeptRow(i, d.code, d.name, d.short_name, d.kind, d.area_code)
        for i, d in enumerate(city.DEPARTMENTS, start=1)
    ]
    # Branches first (with their short names), then the leaves; codes derive from the paths.
    branches = [
        CategoryRow(0, path, None, short) for path, short in city.BRANCH_SHORT_NAMES.items()
    ]
    leaves = [CategoryRow(0, spec.path, None, spec.short_name) for spec in city.CATEGORIES]
    categories = [
        CategoryRow(i, row.path, row.code, row.short_name)
        for i, row in enumerate([*branches, *leaves], start=1)
    ]
    rules = [
        RuleRow(i, "/".join(rule.category_path), rule.area_code, rule.dept_code, True)
        for i, rule in enumerate(city.CATALOGUE, start=1)
    ]
    return areas, depts, categories, rules


def seed_city(hl: Hotline, actor: Actor) -> SeedResult:
    """Load the demo city 青川市 (areas, departments, categories, catalogue); idempotent.

    One transaction, one audit event with the counts. The demo catalogue's co-handlers are not
    stored: the catalogue table holds the lead only.
    """
    require(actor.role, "reference.import", username=actor.username)
    areas, depts, categories, rules = _demo_rows()

    def work(uow: UnitOfWork) -> SeedResult:
        lock_reference_tables(uow, "area", "department", "category", "catalogue_rule")
        result = SeedResult(
            apply_areas(uow, Problems("demo:areas"), areas),
            apply_departments(uow, Problems("demo:departments"), depts),
            apply_categories(uow, Problems("demo:categories"), categories),
            apply_catalogue(uow, Problems("demo:catalogue"), rules),
        )
        uow.record("reference.seed", entity="reference", note=city.CITY_NAME, data=asdict(result))
        return result

    return uow_module.write(hl, actor, work)
