"""Fixtures for the index package: a segmenter cache in the session's temporary directory and
small, project-written articles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from hotline_tui.domain.text import configure_segmenter
from kb_index import SCHEMA_VERSION, IndexDoc, IndexMeta, IndexReader, IndexWriter


@pytest.fixture(scope="session", autouse=True)
def _segmenter(tmp_path_factory: pytest.TempPathFactory) -> None:
    configure_segmenter(tmp_path_factory.mktemp("jieba"))


ARTICLES = [
    (
        1,
        "个体工商户营业执照如何办理？",
        "申请人可到区政务服务中心办理个体工商户营业执照，需携带身份证。",
        ("个体户",),
        ("办执照",),
        ("C1", "C0"),
        "M01",
    ),
    (
        2,
        "灵活就业人员如何缴纳社会保险？",
        "灵活就业人员可在人社服务大厅或App缴纳养老保险和医疗保险。",
        ("社保",),
        (),
        ("C2", "C0"),
        "M03",
    ),
    (
        3,
        "住房公积金租房提取需要哪些材料？",
        "提取住房公积金支付房租，需要身份证、租房合同。",
        ("公积金",),
        ("租房取公积金",),
        ("C3",),
        "M10",
    ),
    (
        4,
        "停电了怎么报修？",
        "请拨打供电服务热线，说明户号和停电地址。",
        (),
        ("家里没电",),
        (),
        "M25",
    ),
    (
        5,
        "夜间施工噪声扰民如何投诉？",
        "可向区生态环境分局反映施工单位、时间和地点。",
        ("噪音",),
        (),
        ("C5",),
        "M05",
    ),
]


def make_doc(
    article_id: int,
    title: str,
    body: str,
    tags: tuple[str, ...] = (),
    synonyms: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    dept: str | None = None,
    *,
    status: str = "published",
    version: int = 1,
    effective_from: date | None = None,
    expires_on: date | None = None,
) -> IndexDoc:
    return IndexDoc(
        article_id=article_id,
        title=title,
        body=body,
        status=status,
        version=version,
        tags=tags,
        synonyms=synonyms,
        category_codes=categories,
        category_path="/".join(categories),
        dept_code=dept,
        owner=dept or "",
        effective_from=effective_from,
        expires_on=expires_on,
    )


def sample_docs() -> list[IndexDoc]:
    return [make_doc(*row) for row in ARTICLES]


def index_of(tmp_path: Path, docs: list[IndexDoc]) -> IndexReader:
    """A reader of an index of ``docs`` built under ``tmp_path / "kb"`` (the lease released)."""
    root = tmp_path / "kb"
    writer = IndexWriter(root)
    assert writer.try_lead()
    writer.rebuild(docs, IndexMeta(schema=SCHEMA_VERSION))
    writer.release()
    return IndexReader(root)


@pytest.fixture
def built(tmp_path: Path) -> Iterator[tuple[Path, IndexWriter]]:
    """An index of the sample articles under ``tmp_path / "kb"`` and its writer (leading)."""
    root = tmp_path / "kb"
    writer = IndexWriter(root)
    assert writer.try_lead()
    writer.rebuild(sample_docs(), IndexMeta(schema=SCHEMA_VERSION, mark_seq=0))
    yield root, writer
    writer.release()
