"""Importing articles: a CSV of questions and answers, or a folder of Markdown files.

All or nothing, like the reference imports: the whole file is read and checked first (CSV
syntax, columns, lengths, dates, duplicate ids — the first bad line is named in an
:class:`ImportFailed`), then written in one transaction. Articles are matched by their key in
the source (``csv:<id>``, ``md:<id or path>``), so importing the same file again changes
nothing and says so.

The file formats are :mod:`hotline_tui.services.kb.import_files`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlmodel import col, select

from db.models import Category, Department, KbArticle
from hotline_tui.domain.errors import ImportFailed, ValidationError
from hotline_tui.domain.kb import ArticleStatus, kb_require
from hotline_tui.domain.states import values
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.articles import write_article_op
from hotline_tui.services.kb.import_files import ImportNotice, read_csv, read_markdown
from hotline_tui.services.uow import UnitOfWork

__all__ = ["ImportNotice", "KbImportResult", "import_articles"]


@dataclass(frozen=True)
class KbImportResult:
    file: str
    sha256: str
    created: int
    updated: int
    unchanged: int
    skipped: int
    notices: tuple[ImportNotice, ...] = field(default_factory=tuple)


# --- writing -----------------------------------------------------------------------------------


def _departments(uow: UnitOfWork) -> dict[str, str]:
    """Every way a source may name a department (code, name, short name) → its code."""
    names: dict[str, str] = {}
    for dept in uow.session.exec(select(Department)).all():
        for name in (dept.short_name, dept.name, dept.code):
            if name:
                names[name] = dept.code
    return names


def _categories(uow: UnitOfWork) -> dict[str, str]:
    names: dict[str, str] = {}
    for category in uow.session.exec(select(Category)).all():
        names[category.path] = category.code
        names[category.code] = category.code
    return names


def _existing(uow: UnitOfWork, keys: Iterable[str]) -> dict[str, KbArticle]:
    wanted = list(keys)
    found: dict[str, KbArticle] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for article in uow.session.exec(select(KbArticle).where(col(KbArticle.ext_key).in_(chunk))):
            found[article.ext_key or ""] = article
    return found


def import_articles(
    hl: Hotline, actor: Actor, path: Path, *, status: str = ArticleStatus.PUBLISHED.value
) -> KbImportResult:
    """Import a CSV file or a folder of Markdown files; new articles get ``status`` (unless a
    Markdown file names its own), existing ones keep theirs."""
    kb_require(actor.role, "kb.import", username=actor.username)
    if status not in values(ArticleStatus):
        raise ValidationError(
            "validation.choice", field="status", value=status, allowed=values(ArticleStatus)
        )
    if not path.exists():
        raise ImportFailed("import.unreadable", file=str(path), error="No such file or directory")
    sha256, rows, notices = read_markdown(path) if path.is_dir() else read_csv(path)
    default_status = ArticleStatus(status)

    def work(uow: UnitOfWork) -> KbImportResult:
        depts = _departments(uow)
        categories = _categories(uow)
        existing = _existing(uow, (row.key for row in rows))
        unknown_depts: Counter[str] = Counter()
        unknown_categories: Counter[str] = Counter()
        created = updated = unchanged = 0
        for row in rows:
            dept_code = depts.get(row.dept) if row.dept else None
            if row.dept and dept_code is None:
                unknown_depts[row.dept] += 1
            category_path = "/".join(part.strip() for part in row.category.split("/"))
            category = categories.get(category_path) if category_path else None
            if category_path and category is None:
                unknown_categories[category_path] += 1
            article = replace(
                row.article,
                dept=dept_code,
                owner=row.article.owner or ("" if dept_code else row.dept),
                category=category,
            )
            current = existing.get(row.key)
            _, changed = write_article_op(
                uow,
                article,
                existing=current,
                status=row.status or default_status,
                ext_key=row.key,
                action="import" if current is None else "edit",
                note=f"import {Path(row.file).name}",
            )
            if current is None:
                created += 1
            elif changed:
                updated += 1
            else:
                unchanged += 1
        found = list(notices)
        found += [
            ImportNotice("unknown_dept", {"value": v, "rows": n})
            for v, n in unknown_depts.most_common()
        ]
        found += [
            ImportNotice("unknown_category", {"value": v, "rows": n})
            for v, n in unknown_categories.most_common()
        ]
        uow.record(
            "kb.import_file",
            entity="kb_import",
            data={
                "file": str(path),
                "sha256": sha256,
                "created": created,
                "updated": updated,
                "unchanged": unchanged,
            },
        )
        skipped = sum(1 for n in notices if n.code == "empty_body")
        return KbImportResult(str(path), sha256, created, updated, unchanged, skipped, tuple(found))

    return uow_module.write(hl, actor, work)
