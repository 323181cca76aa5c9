"""``hotline area|dept|category|catalogue``: import, list, suggest — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

# The shared evaluation data lies beside the checkout (../shared), as on CI.
TEDDY = Path(__file__).resolve().parents[2].parent / "shared/data/teddy2020c/category_tree.csv"


def write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_import_and_list_every_kind(cli, tmp_path):
    areas = write(
        tmp_path,
        "areas.csv",
        "code,name,short_name,parent_code,level\nD3,丙区,丙,C1,district\nS3,三街道,,D3,street\n",
    )
    result = cli.json("area", "import", areas)
    assert (result["entity"], result["created"], result["updated"]) == ("area", 2, 0)
    listed = {a["code"]: a for a in cli.json("area", "list")}
    assert listed["S3"] == {
        "code": "S3",
        "name": "三街道",
        "short_name": "",
        "parent_code": "D3",
        "level": "street",
    }

    depts = write(
        tmp_path,
        "depts.csv",
        "code,name,short_name,kind,area_code\nD301,丙区城市管理局,[b]丙城管[/b],district,D3\n",
    )
    cli("dept", "import", depts)
    listed = {d["code"]: d for d in cli.json("dept", "list", user="op")}
    assert listed["D301"]["area_code"] == "D3" and listed["D301"]["kind"] == "district"
    # Stored text that looks like markup is printed as it is, never interpreted.
    assert "[b]丙城管[/b]" in cli("dept", "list").stdout

    result = cli.json("category", "import", str(TEDDY))
    assert result["created"] >= 600 and result["updated"] == 0
    again = cli.json("category", "import", str(TEDDY))
    assert (again["created"], again["updated"]) == (0, 0)
    assert again["sha256"] == result["sha256"]
    level3 = cli.json("category", "list", "--level", "3")
    assert len(level3) >= 517 and {c["level"] for c in level3} == {3}

    tree = cli("category", "list", "--tree", "--level", "2", user="op").stdout.splitlines()
    assert any(row.startswith("城乡建设") for row in tree)
    assert any(row.startswith("  安全生产") for row in tree)
    assert not any(row.startswith("    ") for row in tree)  # nothing below level 2

    catalogue = write(
        tmp_path,
        "catalogue.csv",
        "category,area_code,dept_code\n城乡建设,,M02\n城乡建设/安全生产,D3,D301\n",
    )
    cli("catalogue", "import", catalogue)
    rules = cli.json("catalogue", "list")
    assert {(r["category_path"], r["area_code"], r["dept_code"]) for r in rules} >= {
        ("城乡建设", None, "M02"),
        ("城乡建设/安全生产", "D3", "D301"),
    }
    leaf = next(c["code"] for c in level3 if c["path"] == "城乡建设/安全生产/事故处理")
    suggested = cli.json("catalogue", "suggest", "--category", leaf, "--area", "S3", user="op")
    assert suggested["code"] == "D301"
    suggested = cli.json("catalogue", "suggest", "--category", leaf, "--area", "D1", user="op")
    assert suggested["code"] == "M02"
    words = cli("catalogue", "suggest", "--category", leaf, user="op").stdout
    assert "建议主办单位" in words and "M02" in words


def test_human_output_of_an_import(cli, tmp_path):
    areas = write(tmp_path, "areas.csv", "code,name,parent_code,level\nD3,丙区,C1,district\n")
    out = cli("area", "import", areas).stdout
    assert "导入完成" in out and "新增 1" in out
    out = cli("area", "import", areas).stdout
    assert "新增 0" in out and "未变 1" in out


def test_a_bad_file_fails_in_chinese_and_changes_nothing(cli, tmp_path):
    before = cli.json("dept", "list")
    bad = write(
        tmp_path,
        "depts.csv",
        "code,name,kind,area_code\nM09,某局,municipal,C1\nM10,某委,bureau,C1\n",
    )
    result = cli("dept", "import", bad, ok=False)
    assert result.exit_code == 10
    message = result.stderr.replace("\n", "")  # the error console wraps long lines
    assert "第 3 行" in message and "单位类型「bureau」无效" in message
    assert "import.failed" in message
    assert cli.json("dept", "list") == before

    result = cli("area", "import", str(tmp_path / "missing.csv"), ok=False)
    assert result.exit_code == 10 and "import.unreadable" in result.stderr.replace("\n", "")


def test_operators_cannot_import(cli, tmp_path):
    areas = write(tmp_path, "areas.csv", "code,name,parent_code,level\nD3,丙区,C1,district\n")
    result = cli("area", "import", areas, user="op", ok=False)
    assert result.exit_code == 4
    assert "D3" not in {a["code"] for a in cli.json("area", "list")}


def test_suggest_without_a_rule_and_for_an_unknown_category(cli):
    listed = cli.json("category", "list", "--level", "3")
    social = next(c["code"] for c in listed if c["name"] == "社保缴费")
    assert cli.json("catalogue", "suggest", "--category", social) is None
    assert "没有适用的规则" in cli("catalogue", "suggest", "--category", social).stdout
    result = cli("catalogue", "suggest", "--category", "NOPE", ok=False)
    assert result.exit_code == 3 and "找不到分类 NOPE" in result.stderr.replace("\n", "")
