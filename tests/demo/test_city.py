"""The demo city's areas, departments, category tree, catalogue and users hang together."""

from __future__ import annotations

import collections

import pytest

from hotline_tui.demo.categories import (
    BRANCH_SHORT_NAMES,
    CATEGORY_PHRASES,
    ENTERPRISE_ROOT,
    FIRST_LEVEL_NAMES,
    is_enterprise_category,
    short_name_of,
)
from hotline_tui.demo.city import (
    AREA_PARENTS,
    AREAS,
    CATALOGUE,
    CATEGORIES,
    DEMO_USERS,
    DEPARTMENTS,
    HOUSING_DEPT_CODE,
    MARKET_DEPT_CODE,
    CatalogueRule,
    area_chain,
    lookup_lead,
)

DEPT_BY_CODE = {d.code: d for d in DEPARTMENTS}
AREA_BY_CODE = {a.code: a for a in AREAS}
LEAF_PATHS = [c.path for c in CATEGORIES]

NAMED_BUREAUS = {
    "青川市市场监督管理局": "市监局",
    "青川市税务局": "市税务局",
    "青川市住房和城乡建设局": "市住建局",
    "青川市人力资源和社会保障局": "市人社局",
    "青川市生态环境局": "市环境局",
    "青川市消防救援支队": "市消防支队",
    "青川市自然资源和规划局": "市自规局",
    "青川市交通运输局": "市交通局",
    "青川市医疗保障局": "市医保局",
    "青川市住房公积金管理中心": "市公积金中心",
}


# ---------------------------------------------------------------------------------------- areas


def test_area_codes_unique_and_parents_exist():
    codes = [a.code for a in AREAS]
    assert len(codes) == len(set(codes))
    for area in AREAS:
        assert area.code.isascii()
        if area.level == "city":
            assert area.parent_code is None
        else:
            assert area.parent_code in AREA_BY_CODE
    assert [a.level for a in AREAS].count("city") == 1


def test_area_levels_and_shape():
    districts = [a for a in AREAS if a.level == "district"]
    assert len(districts) == 6
    for district in districts:
        assert AREA_BY_CODE[district.parent_code or ""].level == "city"
        streets = [a for a in AREAS if a.parent_code == district.code]
        assert 3 <= len(streets) <= 5
        assert all(s.level == "street" for s in streets)
        assert all(s.name.endswith(("街道", "镇")) for s in streets)
    assert {a.level for a in AREAS} == {"city", "district", "street"}
    assert len({a.name for a in AREAS}) == len(AREAS)


def test_area_chain_walks_to_the_city():
    street = next(a for a in AREAS if a.level == "street")
    chain = area_chain(street.code, AREA_PARENTS)
    assert chain == [street.code, street.parent_code, "QC", None]
    assert area_chain(None, AREA_PARENTS) == [None]
    assert area_chain("nowhere", AREA_PARENTS) == ["nowhere", None]


# ---------------------------------------------------------------------------------- departments


def test_at_least_thirty_departments_with_unique_codes():
    assert len(DEPARTMENTS) >= 30
    codes = [d.code for d in DEPARTMENTS]
    assert len(codes) == len(set(codes))
    assert all(code.isascii() and code.isalnum() for code in codes)
    assert len({d.name for d in DEPARTMENTS}) == len(DEPARTMENTS)


def test_named_bureaus_exist_with_their_short_names():
    by_name = {d.name: d for d in DEPARTMENTS}
    for name, short in NAMED_BUREAUS.items():
        assert name in by_name, name
        assert by_name[name].short_name == short
        assert by_name[name].kind == "municipal"


def test_market_and_housing_constants():
    assert DEPT_BY_CODE[MARKET_DEPT_CODE].name == "青川市市场监督管理局"
    assert DEPT_BY_CODE[HOUSING_DEPT_CODE].name == "青川市住房和城乡建设局"


def test_department_kinds_and_areas():
    for dept in DEPARTMENTS:
        assert dept.kind in ("municipal", "district", "street")
        assert dept.area_code is None or dept.area_code in AREA_BY_CODE
        if dept.kind == "street":
            assert AREA_BY_CODE[dept.area_code or ""].level == "street"
        if dept.kind == "district":
            assert AREA_BY_CODE[dept.area_code or ""].level == "district"
    kinds = collections.Counter(d.kind for d in DEPARTMENTS)
    assert kinds["municipal"] >= 20
    assert kinds["district"] >= 6
    streets = [a.code for a in AREAS if a.level == "street"]
    assert sorted(d.area_code or "" for d in DEPARTMENTS if d.kind == "street") == sorted(streets)


# ----------------------------------------------------------------------------------- categories


def test_category_tree_size_and_shape():
    assert len(CATEGORIES) >= 150
    assert len(LEAF_PATHS) == len(set(LEAF_PATHS))
    assert 12 <= len(FIRST_LEVEL_NAMES) <= 16
    seconds = collections.Counter(p[:2] for p in LEAF_PATHS)
    firsts = collections.Counter(second[0] for second in seconds)
    assert all(2 <= n <= 5 for n in firsts.values()), firsts
    assert all(3 <= n <= 6 for n in seconds.values()), seconds
    assert all(len(p) == 3 and all(p) for p in LEAF_PATHS)


def test_enterprise_branch_has_the_usual_topics():
    leaves = {p[2] for p in LEAF_PATHS if is_enterprise_category(p)}
    assert {"营业执照办理", "工程建设许可", "税费办理"} <= leaves
    assert ENTERPRISE_ROOT in FIRST_LEVEL_NAMES
    assert not is_enterprise_category(("市场监管",))


def test_short_names():
    assert any(c.short_name for c in CATEGORIES)
    assert short_name_of((ENTERPRISE_ROOT, "市场准入", "营业执照办理")) == "营业执照"
    assert short_name_of(("住房公积金",)) == "公积金"
    assert short_name_of(("教育",)) == "教育"
    prefixes = {p[:1] for p in LEAF_PATHS} | {p[:2] for p in LEAF_PATHS}
    assert set(BRANCH_SHORT_NAMES) <= prefixes


def test_every_first_level_has_caller_phrases_for_every_branch():
    for first, second in {p[:2] for p in LEAF_PATHS}:
        phrases = CATEGORY_PHRASES[first].for_branch(second)
        assert phrases.actors and phrases.situations and phrases.questions, (first, second)


# ------------------------------------------------------------------------------------ catalogue


def test_catalogue_rules_refer_to_real_things():
    prefixes = {p[:n] for p in LEAF_PATHS for n in (1, 2, 3)}
    for rule in CATALOGUE:
        assert rule.category_path in prefixes, rule
        assert rule.area_code is None or rule.area_code in AREA_BY_CODE
        assert rule.dept_code in DEPT_BY_CODE
        assert all(code in DEPT_BY_CODE for code in rule.co_dept_codes)
        assert rule.dept_code not in rule.co_dept_codes


def test_every_first_level_has_an_area_less_municipal_lead():
    for first in FIRST_LEVEL_NAMES:
        rule = next(r for r in CATALOGUE if r.category_path == (first,) and r.area_code is None)
        assert DEPT_BY_CODE[rule.dept_code].kind == "municipal"


@pytest.mark.parametrize("area_code", [None, *(a.code for a in AREAS)])
def test_every_leaf_has_a_lead_in_every_area(area_code):
    for path in LEAF_PATHS:
        rule = lookup_lead(CATALOGUE, path, area_code, AREA_PARENTS)
        assert rule is not None, (path, area_code)
        assert path[: len(rule.category_path)] == rule.category_path
        assert rule.area_code in area_chain(area_code, AREA_PARENTS)


def test_district_and_street_overrides():
    street = "QC0102"  # 望江街道, 东湖区 (which has its own bureaus)
    rule = lookup_lead(CATALOGUE, ("城市管理", "市容环境", "占道经营"), street, AREA_PARENTS)
    assert rule is not None and rule.dept_code == "D0103"
    rule = lookup_lead(CATALOGUE, ("城市管理", "违法建设", "违建拆除"), street, AREA_PARENTS)
    assert rule is not None and rule.dept_code == "S0102"
    rule = lookup_lead(CATALOGUE, ("城乡建设", "物业管理", "物业费收取"), street, AREA_PARENTS)
    assert rule is not None and rule.dept_code == "S0102" and rule.co_dept_codes == ("D0102",)
    rule = lookup_lead(CATALOGUE, ("城市管理", "市容环境", "占道经营"), "QC0401", AREA_PARENTS)
    assert rule is not None and rule.dept_code == "M14"
    rule = lookup_lead(CATALOGUE, ("城市管理", "市容环境", "占道经营"), None, AREA_PARENTS)
    assert rule is not None and rule.dept_code == "M14"
    rule = lookup_lead(CATALOGUE, (ENTERPRISE_ROOT, "市场准入", "营业执照办理"), None, AREA_PARENTS)
    assert rule is not None and rule.dept_code == MARKET_DEPT_CODE


def test_lookup_precedence():
    parents = {"C": None, "D": "C", "S": "D", "X": None}
    rules = [
        CatalogueRule(("a",), None, "general"),
        CatalogueRule(("a",), "D", "district"),
        CatalogueRule(("a",), "C", "city"),
        CatalogueRule(("a", "b"), None, "branch"),
        CatalogueRule(("a", "c"), "S", "street-branch"),
        CatalogueRule(("a", "c"), "D", "district-branch"),
    ]

    def lead(path, area):
        rule = lookup_lead(rules, path, area, parents)
        return rule.dept_code if rule else None

    assert lead(("a", "x", "y"), None) == "general"
    assert lead(("a", "x", "y"), "X") == "general"
    assert lead(("a", "x", "y"), "C") == "city"
    assert lead(("a", "x", "y"), "S") == "district"  # nearest ancestor wins
    assert lead(("a", "b", "y"), "S") == "branch"  # longer prefix beats area
    assert lead(("a", "c", "y"), "S") == "street-branch"
    assert lead(("a", "c", "y"), "D") == "district-branch"
    assert lead(("a", "c", "y"), "C") == "city"
    assert lead(("z", "c", "y"), "S") is None
    # ties go to the rule listed first
    twins = [CatalogueRule(("a",), None, "first"), CatalogueRule(("a",), None, "second")]
    rule = lookup_lead(twins, ("a", "b", "c"), None, parents)
    assert rule is not None and rule.dept_code == "first"


# ---------------------------------------------------------------------------------------- users


def test_demo_users():
    by_name = {u.username: u for u in DEMO_USERS}
    assert len(by_name) == len(DEMO_USERS)
    expected = {
        "op1": "operator",
        "op2": "operator",
        "op3": "operator",
        "op4": "operator",
        "disp1": "dispatcher",
        "dept1": "handler",
        "dept2": "handler",
        "sup1": "supervisor",
        "admin1": "admin",
    }
    for username, role in expected.items():
        assert by_name[username].role == role
    assert by_name["dept1"].dept_code == MARKET_DEPT_CODE
    assert by_name["dept2"].dept_code == HOUSING_DEPT_CODE
    for dept in DEPARTMENTS:
        if dept.kind == "municipal":
            handler = by_name[f"h_{dept.code}"]
            assert handler.role == "handler" and handler.dept_code == dept.code
    for user in DEMO_USERS:
        assert user.role in ("operator", "dispatcher", "handler", "supervisor", "admin")
        assert (user.dept_code is not None) == (user.role == "handler")
        assert user.dept_code is None or user.dept_code in DEPT_BY_CODE
        assert all("\u4e00" <= ch <= "\u9fff" for ch in user.display_name)
