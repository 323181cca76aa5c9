"""Importing articles: the real Q&A pairs (unknown departments become free-text owners), a
malformed CSV (the line is named, nothing is imported), Markdown files with front matter."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import func, select

from db.models import KbArticle
from hotline_tui.domain.errors import ImportFailed
from hotline_tui.services.kb import articles as kb_articles
from hotline_tui.services.kb import importing as kb_import
from hotline_tui.services.kb import views as kb_views

QA_PAIRS = Path(__file__).resolve().parents[3].parent / "shared/data/kb/qa_pairs.csv"


def count(hl) -> int:
    with hl.reading() as session:
        return int(session.exec(select(func.count()).select_from(KbArticle)).one())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_real_pairs_import_with_free_text_owners_and_again_changes_nothing(hl, who):
    first = kb_import.import_articles(hl, who["adm"], QA_PAIRS)
    assert first.created == 2080 and first.skipped == 1  # one pair has no answer
    unknown = {
        n.params["value"]: n.params["rows"] for n in first.notices if n.code == "unknown_dept"
    }
    assert unknown["应急局"] == 336 and unknown["规划自然资源委"] == 303
    assert [n.params["line"] for n in first.notices if n.code == "empty_body"]
    article = kb_views.get_article(hl, who["adm"], 1)
    assert article.owner_is_free_text and article.status == "published"
    second = kb_import.import_articles(hl, who["adm"], QA_PAIRS)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2080)
    assert count(hl) == 2080


def test_known_departments_and_categories_are_linked(hl, who, tmp_path):
    path = write(
        tmp_path,
        "kb.csv",
        "id,question,answer,department,category,tags\n"
        "a1,如何补办营业执照？,登报声明后到窗口补领。,市监局,企业服务/登记注册/营业执照办理,执照、补办\n"
        "a2,社保怎么缴？,可在人社服务大厅缴纳。,M03,,\n",
    )
    result = kb_import.import_articles(hl, who["adm"], path, status="draft")
    assert (result.created, result.notices) == (2, ())
    rows = {a.title: a for a in kb_articles.list_articles(hl, who["adm"])}
    assert rows["如何补办营业执照？"].dept_code == "M01"
    assert rows["如何补办营业执照？"].category_path == "企业服务/登记注册/营业执照办理"
    assert rows["社保怎么缴？"].dept_code == "M03" and rows["社保怎么缴？"].status == "draft"


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ('id,question,answer\nq1,问一,答一\nq2,问二,"答二\nq3,问三,答三\n', 3, "csv_syntax"),
        ("id,question,answer\nq1,问一,答一\nq2,问二,答二,多余\n", 3, "field_count"),
        ("id,question,answer\nq1,问一,答一\nq1,问二,答二\n", 3, "duplicate_code"),
        ("id,question,answer,expires_on\nq1,问一,答一,\nq2,问二,答二,2026-13-01\n", 3, "bad_date"),
        ("id,question,colour\nq1,问一,红\n", 1, "unknown_column"),
        ("id,question\nq1,问一\n", 1, "missing_column"),
        ("id,question,answer\nq1," + "长" * 1001 + ",答一\n", 2, "too_long"),
    ],
)
def test_a_malformed_csv_names_its_line_and_imports_nothing(
    hl, who, tmp_path, content, line, reason
):
    path = write(tmp_path, "bad.csv", content)
    with pytest.raises(ImportFailed) as caught:
        kb_import.import_articles(hl, who["adm"], path)
    assert caught.value.params["line"] == line
    assert caught.value.params["reason"] == reason
    assert count(hl) == 0


def test_markdown_files_with_front_matter(hl, who, tmp_path):
    folder = tmp_path / "md"
    (folder / "sub").mkdir(parents=True)
    write(
        folder,
        "license.md",
        "---\nid: lic-1\ntitle: 营业执照遗失怎么办？\ndepartment: M01\ntags: [执照, 遗失]\n"
        "synonyms:\n  - 执照丢了\n  - 补办执照\nexpires_on: 2099-12-31\n---\n"
        "登报声明作废后，到[政务服务中心](https://example.invalid)申请补领。\n",
    )
    write(folder / "sub", "water.md", "# 停水了怎么办？\n\n请拨打供水服务热线查询停水原因。\n")
    result = kb_import.import_articles(hl, who["adm"], folder)
    assert result.created == 2
    rows = {a.title: a for a in kb_articles.list_articles(hl, who["adm"])}
    lic = kb_views.get_article(hl, who["adm"], rows["营业执照遗失怎么办？"].id)
    assert lic.synonyms == ("执照丢了", "补办执照") and lic.tags == ("执照", "遗失")
    assert lic.dept_code == "M01" and str(lic.expires_on) == "2099-12-31"
    assert lic.ext_key == "md:lic-1"
    water = kb_views.get_article(hl, who["adm"], rows["停水了怎么办？"].id)
    assert water.body == "请拨打供水服务热线查询停水原因。" and water.ext_key == "md:sub/water"
    again = kb_import.import_articles(hl, who["adm"], folder)
    assert again.unchanged == 2


def test_malformed_front_matter_names_the_file_and_line(hl, who, tmp_path):
    folder = tmp_path / "md"
    folder.mkdir()
    write(folder, "a.md", "---\ntitle: 好的\n---\n正文\n")
    bad = write(folder, "b.md", "---\ntitle: 坏的\n这一行不是键值\n---\n正文\n")
    with pytest.raises(ImportFailed) as caught:
        kb_import.import_articles(hl, who["adm"], folder)
    assert caught.value.params["file"] == str(bad) and caught.value.params["line"] == 3
    assert count(hl) == 0
