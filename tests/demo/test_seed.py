"""The demo city seeded through the reference services' upserts, and the catalogue it gives."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import col

from db.models import Category, Department
from hotline_tui.demo import city
from hotline_tui.demo.seed import seed_city
from hotline_tui.services.reference import catalogue as reference
from tests.services.reference.test_catalogue import codes_by_path, snapshot


def test_seed_city_loads_the_demo_city_idempotently(hl, who):
    result = seed_city(hl, who["adm"])
    assert result.departments.created >= 30
    with hl.reading() as s:
        demo_roots = set(city.FIRST_LEVEL_NAMES)
        leaves = [
            p
            for p in s.execute(select(col(Category.path)).where(col(Category.level) == 3)).scalars()
            if p.split("/")[0] in demo_roots
            and tuple(p.split("/")) in {c.path for c in city.CATEGORIES}
        ]
        depts = s.execute(select(func.count()).select_from(Department)).scalar_one()
    assert len(leaves) == len(city.CATEGORIES) >= 150
    assert depts >= 30
    shorts = {c.path: c.short_name for c in reference.list_categories(hl, who["op"])}
    assert shorts["企业服务/市场准入/营业执照办理"] == "营业执照"
    assert shorts["住房公积金"] == "公积金"
    before = snapshot(hl)

    again = seed_city(hl, who["adm"])
    for counts in (again.areas, again.departments, again.categories, again.catalogue):
        assert (counts.created, counts.updated) == (0, 0)
        assert counts.unchanged > 0
    after = snapshot(hl)
    assert after["events"] == before["events"] + 1  # one audit event per seed
    assert {k: v for k, v in after.items() if k != "events"} == {
        k: v for k, v in before.items() if k != "events"
    }


def test_seeded_catalogue_suggests_what_the_demo_data_says(hl, who):
    seed_city(hl, who["adm"])
    codes = codes_by_path(hl)
    areas = [None, city.CITY_CODE, "QC01", "QC0102", "QC0401", "QC0603"]
    for spec in city.CATEGORIES[::4]:
        for area in areas:
            expected = city.lookup_lead(city.CATALOGUE, spec.path, area, city.AREA_PARENTS)
            dept = reference.suggest_lead(hl, who["op"], codes["/".join(spec.path)], area)
            assert dept is not None and expected is not None
            assert dept.code == expected.dept_code, (spec.path, area)
