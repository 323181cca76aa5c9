"""Reference data services: CSV imports, lists and the dispatch suggestion."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlmodel import col

from db.models import Area, AuditEvent, CatalogueRule, Category, Department
from hotline_tui.demo.seed import seed_city
from hotline_tui.domain.catalogue import category_code
from hotline_tui.domain.errors import ImportFailed, NotFound, PermissionDenied
from hotline_tui.services.reference import catalogue as reference
from tests.world import leaf_code

# The shared evaluation data lies beside the checkout (../shared), as on CI.
TEDDY = Path(__file__).resolve().parents[3].parent / "shared/data/teddy2020c/category_tree.csv"


def write(tmp_path: Path, name: str, content: str, *, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + content.encode("utf-8"))
    return path


def snapshot(hl) -> dict[str, Any]:
    """Everything an import may change: the reference rows and the audit trail's length."""
    with hl.reading() as s:
        return {
            "areas": sorted(
                s.execute(
                    select(col(Area.code), col(Area.name), col(Area.parent_id), col(Area.level))
                )
            ),
            "depts": sorted(
                s.execute(select(col(Department.code), col(Department.name), col(Department.kind)))
            ),
            "cats": sorted(
                s.execute(select(col(Category.code), col(Category.path), col(Category.short_name)))
            ),
            "rules": sorted(
                s.execute(
                    select(
                        col(CatalogueRule.category_id),
                        col(CatalogueRule.area_id),
                        col(CatalogueRule.dept_id),
                    )
                ),
                key=str,
            ),
            "events": s.execute(select(func.count()).select_from(AuditEvent)).scalar_one(),
        }


def import_events(hl) -> list[dict[str, Any]]:
    with hl.reading() as s:
        rows = s.execute(
            select(col(AuditEvent.entity), col(AuditEvent.data))
            .where(col(AuditEvent.action) == "reference.import")
            .order_by(col(AuditEvent.seq))
        ).all()
    return [{"entity": entity, **json.loads(data)} for entity, data in rows]


def codes_by_path(hl) -> dict[str, str]:
    with hl.reading() as s:
        return {
            path: code for path, code in s.execute(select(col(Category.path), col(Category.code)))
        }


# ----------------------------------------------------------------------------- category tree


def test_import_the_real_category_tree_twice(hl, who):
    with TEDDY.open(encoding="utf-8-sig", newline="") as handle:
        leaves = [tuple(row) for row in list(csv.reader(handle))[1:]]
    nodes = {"/".join(leaf[:n]) for leaf in leaves for n in (1, 2, 3)}
    assert len(leaves) == 517
    before = codes_by_path(hl)

    first = reference.import_categories(hl, who["adm"], TEDDY)
    assert first.entity == "category"
    assert first.created + first.unchanged == len(nodes)
    assert first.updated == 0
    assert first.unchanged == len(nodes & set(before))  # "城乡建设" was already in the world

    after = codes_by_path(hl)
    with hl.reading() as s:
        level3 = (
            s.execute(select(col(Category.path)).where(col(Category.level) == 3)).scalars().all()
        )
    assert len([p for p in level3 if p in nodes]) == 517
    assert {p.count("/") for p in nodes} == {0, 1, 2}
    # Known paths keep their code; new ones get the code derived from the path.
    for path in nodes:
        expected = before.get(path) or category_code(path.split("/"))
        assert after[path] == expected

    second = reference.import_categories(hl, who["adm"], TEDDY)
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(nodes))
    assert codes_by_path(hl) == after

    events = import_events(hl)
    assert len(events) == 2  # one per import, not one per row
    digest = hashlib.sha256(TEDDY.read_bytes()).hexdigest()
    assert all(e["sha256"] == digest and e["entity"] == "category" for e in events)
    assert (events[0]["created"], events[1]["unchanged"]) == (first.created, len(nodes))


def test_english_shape_with_codes_short_names_and_a_bom(hl, who, tmp_path):
    content = (
        "level1,level2,level3,code,short_name\n"
        "公共服务,,,PS,公服\n"
        "公共服务,供水,,PS01,\n"
        '公共服务,供水,"停水,水压",PS0101,停水\n'
        "公共服务,供电,停电,,\n"
    )
    path = write(tmp_path, "cats.csv", content, bom=True)
    result = reference.import_categories(hl, who["adm"], path)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    views = {c.path: c for c in reference.list_categories(hl, who["op"])}
    assert views["公共服务"].code == "PS" and views["公共服务"].short_name == "公服"
    assert views["公共服务/供水/停水,水压"].code == "PS0101"
    assert views["公共服务/供水/停水,水压"].parent_code == "PS01"
    assert views["公共服务/供水/停水,水压"].short_name == "停水"
    assert views["公共服务/供电"].code == category_code(("公共服务", "供电"))
    assert views["公共服务/供电/停电"].level == 3

    again = reference.import_categories(hl, who["adm"], path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)

    # A new name under a kept code renames the node and moves its whole subtree with it.
    renamed = write(tmp_path, "renamed.csv", "level1,level2,level3,code\n公共服务,自来水,,PS01\n")
    result = reference.import_categories(hl, who["adm"], renamed)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    views = {c.code: c for c in reference.list_categories(hl, who["op"])}
    assert views["PS01"].path == "公共服务/自来水"
    assert views["PS0101"].path == "公共服务/自来水/停水,水压"
    assert "公共服务/供水" not in {v.path for v in views.values()}


def test_list_categories_by_level_in_tree_order(hl, who):
    level1 = reference.list_categories(hl, who["h1"], level=1)
    assert {c.level for c in level1} == {1}
    everything = reference.list_categories(hl, who["h1"])
    seen: set[str] = set()
    for node in everything:  # parents come before their children
        assert node.parent_code is None or node.parent_code in seen
        seen.add(node.code)


# --------------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("importer", "content", "line", "reason"),
    [
        (
            "import_areas",
            "code,name,short_name,parent_code,level\nD3,丙区,丙,C1,district\nS9,九街道,,D9,street\n",
            3,
            "unknown_parent",
        ),
        (
            "import_areas",
            "code,name,short_name,parent_code,level\nD3,丙区,,C1,district\nD3,丁区,,C1,district\n",
            3,
            "duplicate_code",
        ),
        (
            "import_areas",
            "code,name,short_name,parent_code,level\nD3,丙区,,C1,district\nX1,某地,,D3,village\n",
            3,
            "bad_level",
        ),
        (
            "import_areas",
            "code,name,short_name,parent_code,level\nD3,丙区,,C1,district\nS3,三街道,,S1,street\n",
            3,
            "parent_level",
        ),
        ("import_areas", "code,name,level\nD3,丙区,district\n", 1, "missing_column"),
        (
            "import_departments",
            "code,name,short_name,kind,area_code\nM09,某局,,municipal,C1\nM10,某委,,bureau,C1\n",
            3,
            "bad_kind",
        ),
        (
            "import_departments",
            "code,name,kind,area_code\nM09,某局,municipal,C1\nM09,某委,municipal,\n",
            3,
            "duplicate_code",
        ),
        (
            "import_departments",
            "code,name,kind,area_code\nM09,某局,municipal,C1\nM10,某委,municipal,Z9\n",
            3,
            "unknown_area",
        ),
        ("import_departments", "code,name,kind\nM09,某局,municipal,extra\n", 2, "field_count"),
        ("import_departments", "code,name,kind\nM 9,某局,municipal\n", 2, "bad_code"),
        ("import_categories", "level1,level2,level3\n甲,乙,丙\n甲,,丁\n", 3, "path_gap"),
        ("import_categories", "level1,level2,level3,code\n甲,,,X1\n乙,,,X1\n", 3, "duplicate_code"),
        (
            "import_categories",
            "level1,level2,level3,code\n甲,,,X2\n企业服务,,,X1\n",
            3,
            "path_taken",
        ),
        ("import_categories", "一级分类,二级分类,三级分类\n甲,乙,丙\n甲,乙/丁,戊\n", 3, "bad_name"),
        (
            "import_catalogue",
            "category,area_code,dept_code\n企业服务,,M02\n企业服务,D1,M99\n",
            3,
            "unknown_dept",
        ),
        (
            "import_catalogue",
            "category,area_code,dept_code\n企业服务,,M02\n无此分类,,M02\n",
            3,
            "unknown_category",
        ),
        (
            "import_catalogue",
            "category,area_code,dept_code\nT001,,M02\n企业服务,,M03\n",
            3,
            "duplicate_rule",
        ),
    ],
)
def test_a_bad_file_changes_nothing_and_names_the_line(
    hl, who, tmp_path, importer, content, line, reason
):
    path = write(tmp_path, "bad.csv", content)
    before = snapshot(hl)
    with pytest.raises(ImportFailed) as caught:
        getattr(reference, importer)(hl, who["adm"], path)
    assert caught.value.code == "import.failed"
    assert caught.value.params["line"] == line
    assert caught.value.params["reason"] == reason
    assert caught.value.params["file"] == str(path)
    assert snapshot(hl) == before


def test_the_first_bad_line_is_named(hl, who, tmp_path):
    # Line 2 is only found wrong against the database, line 3 by itself: line 2 is still named.
    path = write(
        tmp_path, "areas.csv", "code,name,parent_code,level\nS3,三街道,D9,street\nS4,,D1,street\n"
    )
    with pytest.raises(ImportFailed) as caught:
        reference.import_areas(hl, who["adm"], path)
    assert (caught.value.params["line"], caught.value.params["reason"]) == (3, "required")
    path = write(
        tmp_path,
        "areas2.csv",
        "code,name,parent_code,level\nS3,三街道,D9,street\nS4,四街道,D8,street\n",
    )
    with pytest.raises(ImportFailed) as caught:
        reference.import_areas(hl, who["adm"], path)
    assert (caught.value.params["line"], caught.value.params["value"]) == (2, "D9")


def test_unreadable_and_undecodable_files(hl, who, tmp_path):
    with pytest.raises(ImportFailed) as caught:
        reference.import_areas(hl, who["adm"], tmp_path / "missing.csv")
    assert caught.value.code == "import.unreadable"
    path = tmp_path / "gbk.csv"
    path.write_bytes(b"code,name,parent_code,level\n" + "D3,丙区,C1,district\n".encode("gbk"))
    with pytest.raises(ImportFailed) as caught:
        reference.import_areas(hl, who["adm"], path)
    assert (caught.value.params["line"], caught.value.params["reason"]) == (2, "encoding")


# ----------------------------------------------------------------------- areas, departments


def test_areas_and_departments_upsert_by_code(hl, who, tmp_path):
    # Children before parents on purpose: the order of the file does not matter.
    areas = write(
        tmp_path,
        "areas.csv",
        "code,name,short_name,parent_code,level\n"
        "S3,三街道,三街,D3,street\nD3,丙区,丙,C1,district\nD1,甲区,甲,C1,district\n",
        bom=True,
    )
    result = reference.import_areas(hl, who["adm"], areas)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)  # D1 got a short name
    again = reference.import_areas(hl, who["adm"], areas)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    views = {a.code: a for a in reference.list_areas(hl, who["op"])}
    assert views["S3"].parent_code == "D3" and views["S3"].level == "street"
    assert views["D1"].short_name == "甲"

    depts = write(
        tmp_path,
        "depts.csv",
        "code,name,short_name,kind,area_code\n"
        'D301,"丙区市场监督管理局,分局",丙市监,district,D3\nM01,测试市市场监督管理局,市监局,municipal,\n',
    )
    result = reference.import_departments(hl, who["adm"], depts)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)
    dept_views = {d.code: d for d in reference.list_departments(hl, who["h1"])}
    assert dept_views["D301"].name == "丙区市场监督管理局,分局"
    assert dept_views["D301"].area_code == "D3" and dept_views["D301"].kind == "district"
    events = import_events(hl)
    assert [e["entity"] for e in events] == ["area", "area", "department"]
    assert events[1]["unchanged"] == 3


def test_operators_may_read_but_not_import(hl, who, tmp_path):
    path = write(tmp_path, "areas.csv", "code,name,parent_code,level\nD3,丙区,C1,district\n")
    before = snapshot(hl)
    for importer in (
        reference.import_areas,
        reference.import_departments,
        reference.import_categories,
        reference.import_catalogue,
    ):
        with pytest.raises(PermissionDenied):
            importer(hl, who["op"], path)
    with pytest.raises(PermissionDenied):
        seed_city(hl, who["disp"])
    assert snapshot(hl) == before
    assert reference.list_areas(hl, who["op"])
    assert reference.list_catalogue(hl, who["op"])


# ------------------------------------------------------------------------ catalogue, suggest


def test_catalogue_import_and_suggest_lead_precedence(hl, who, tmp_path):
    licence, rename, prop, social = (
        leaf_code(hl, n) for n in ("营业执照办理", "名称变更", "物业管理", "社保缴费")
    )
    path = write(
        tmp_path,
        "catalogue.csv",
        "category,area_code,dept_code\n"
        "企业服务/登记注册,,M02\n"
        f"{licence},D1,M03\n"
        "城乡建设,,M02\n"
        "城乡建设, D1 ,S01\n",
    )
    result = reference.import_catalogue(hl, who["adm"], path)
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)

    def lead(category, area=None):
        dept = reference.suggest_lead(hl, who["op"], category, area)
        return dept.code if dept else None

    assert lead(rename) == "M02"  # the branch rule beats the class rule (企业服务 → M01)
    assert lead(licence, "S1") == "M03"  # the leaf's district rule applies to its street
    assert lead(licence, "D2") == "M02"  # another district: fall back to the branch
    assert lead(licence) == "M02"
    assert lead(prop) == "M02"  # category-only rule on the first-level ancestor
    assert lead(prop, "S1") == "S01"  # area-specific override found through the district
    assert lead(prop, "C1") == "M02"
    assert lead(social, "S1") is None
    with pytest.raises(NotFound):
        reference.suggest_lead(hl, who["op"], "NOPE", None)
    with pytest.raises(NotFound):
        reference.suggest_lead(hl, who["op"], licence, "NOWHERE")

    # A rule whose department no longer takes orders gives way to the next rule.
    with hl.engines.write.begin() as conn:
        conn.execute(update(Department).where(col(Department.code) == "M03").values(active=False))
    assert lead(licence, "S1") == "M02"

    listed = reference.list_catalogue(hl, who["op"])
    assert ("城乡建设", "D1", "S01") in {
        (r.category_path, r.area_code, r.dept_code) for r in listed
    }

    changed = write(
        tmp_path,
        "catalogue2.csv",
        "category,area_code,dept_code\n企业服务/登记注册,,M01\n城乡建设,,M02\n",
    )
    result = reference.import_catalogue(hl, who["adm"], changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert lead(rename) == "M01"


def test_tree_rules_that_need_the_database(hl, who, tmp_path):
    # D1 has the street S1 below it: D1 cannot become a street itself.
    path = write(tmp_path, "areas.csv", "code,name,parent_code,level\nD1,甲区,C1,street\n")
    with pytest.raises(ImportFailed) as caught:
        reference.import_areas(hl, who["adm"], path)
    assert caught.value.params["reason"] == "child_level"
    assert caught.value.params["child"] == "S1"
    # Moving 住房 (with its leaf 物业管理) down a level would make 物业管理 a fourth level.
    housing = codes_by_path(hl)["城乡建设/住房"]
    deep = write(
        tmp_path, "deep.csv", f"level1,level2,level3,code\n企业服务,登记注册,新,{housing}\n"
    )
    before = snapshot(hl)
    with pytest.raises(ImportFailed) as caught:
        reference.import_categories(hl, who["adm"], deep)
    assert (caught.value.params["line"], caught.value.params["reason"]) == (2, "too_deep")
    assert snapshot(hl) == before


def test_two_categories_can_swap_names(hl, who, tmp_path):
    codes = codes_by_path(hl)
    first, second = codes["企业服务/登记注册/营业执照办理"], codes["企业服务/登记注册/名称变更"]
    path = write(
        tmp_path,
        "swap.csv",
        "level1,level2,level3,code\n"
        f"企业服务,登记注册,名称变更,{first}\n企业服务,登记注册,营业执照办理,{second}\n",
    )
    result = reference.import_categories(hl, who["adm"], path)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 2)
    swapped = codes_by_path(hl)
    assert swapped["企业服务/登记注册/名称变更"] == first
    assert swapped["企业服务/登记注册/营业执照办理"] == second
