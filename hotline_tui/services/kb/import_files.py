"""Reading the files an article import takes into checked rows, before anything is written.

All or nothing: the whole file is read and checked (CSV syntax, columns, lengths, dates,
duplicate ids — the first bad line is named in an :class:`ImportFailed`); articles are keyed by
their place in the source (``csv:<id>``, ``md:<id or path>``).

CSV columns (a header row; UTF-8, a BOM tolerated): ``answer`` or ``body`` (required), and
optionally ``id``, ``question`` or ``title``, ``department`` (a code or a name), ``category``
(a code or a path ``a/b/c``), ``tags``, ``synonyms``, ``policy_refs`` (separated by , 、 or ;),
``effective_from``, ``expires_on`` (YYYY-MM-DD), ``owner``. A department the city does not know
becomes the article's free-text owner, with a warning; a row without an answer is skipped,
with a warning naming its line.

Markdown files (``*.md``, searched recursively) may start with front matter: ``id``, ``title``,
``category``, ``department``, ``owner``, ``tags``, ``synonyms``, ``policy_refs``,
``effective_from``, ``expires_on``, ``status``. Without a title, the first ``#`` heading is the
title (and leaves the body), else the file name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from hotline_tui.domain.errors import ImportFailed, ValidationError
from hotline_tui.domain.kb import ArticleInput, ArticleStatus, clean_article
from hotline_tui.domain.kb_markdown import FrontMatter, parse_front_matter
from hotline_tui.domain.states import values
from hotline_tui.domain.text import clean_text
from hotline_tui.services.reference.csv_rows import Problems, _read

__all__ = ["ImportNotice", "SourceRow", "read_csv", "read_markdown"]

_CSV_COLUMNS = (
    "id",
    "question",
    "title",
    "answer",
    "body",
    "department",
    "category",
    "tags",
    "synonyms",
    "policy_refs",
    "effective_from",
    "expires_on",
    "owner",
)
_CSV_ALIASES = {
    "问题": "question",
    "答案": "answer",
    "部门": "department",
    "分类": "category",
    "dept": "department",
}
_FRONT_KEYS = {
    "id",
    "title",
    "category",
    "department",
    "dept",
    "owner",
    "tags",
    "synonyms",
    "policy_refs",
    "policy",
    "effective_from",
    "expires_on",
    "status",
}
_LIST_SPLIT = re.compile(r"\s*[,，、;；|]\s*")
_KEY_MAX = 180


@dataclass(frozen=True)
class ImportNotice:
    """Something the import did on its own that the user should know (``code``: e.g.
    ``unknown_dept`` with ``value`` and ``rows``; ``empty_body`` with ``line``)."""

    code: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class SourceRow:
    line: int
    file: str
    key: str
    article: ArticleInput
    dept: str  # as written in the source: a code or a name
    category: str
    status: ArticleStatus | None


def _split(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else _LIST_SPLIT.split(value)
    return tuple(item.strip() for item in items if item and item.strip())


def _date(report: Problems, line: int, column: str, value: str | list[str] | None) -> date | None:
    text = value if isinstance(value, str) else ""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        report.fail(line, "bad_date", column=column, value=text.strip()[:40])


def _checked(report: Problems, line: int, article: ArticleInput) -> ArticleInput:
    """The article cleaned, or the import fails naming the line and what is wrong."""
    try:
        return clean_article(article)
    except ValidationError as exc:
        params = dict(exc.params)
        column = str(params.pop("field", ""))
        reason = {
            "validation.too_long": "too_long",
            "validation.kb_too_many": "too_many",
            "validation.kb_dates": "kb_dates",
            "validation.required": "required",
        }.get(exc.code, "invalid")
        report.fail(line, reason, column=column, **params)


# --- CSV ---------------------------------------------------------------------------------------


def _open_quote_line(path: Path) -> int | None:
    """The line where a quoted field that never closes begins (the CSV reader only notices
    at the end of the file, and would name the last line)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    quoted, opened, line, at_field_start = False, 0, 1, True
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char == '"':
            if quoted and index + 1 < size and text[index + 1] == '"':
                index += 2  # an escaped quote inside a quoted field
                continue
            if quoted:
                quoted = False
            elif at_field_start:
                quoted, opened = True, line
            at_field_start = False
        else:
            if char == "\n":
                line += 1
            if not quoted:
                at_field_start = char in ",\n\r"
        index += 1
    return opened if quoted else None


def read_csv(path: Path) -> tuple[str, list[SourceRow], list[ImportNotice]]:
    try:
        table, sha256 = _read(path, (), _CSV_COLUMNS, _CSV_ALIASES)
    except ImportFailed as exc:
        opened = _open_quote_line(path) if exc.params.get("reason") == "csv_syntax" else None
        if opened is None:
            raise
        raise ImportFailed(
            "import.failed", file=str(path), line=opened, reason="csv_syntax", error="引号未闭合"
        ) from exc
    report = table.report
    columns = table.columns
    body_column = "answer" if "answer" in columns else "body" if "body" in columns else None
    if body_column is None:
        report.fail(1, "missing_column", column="answer")
    title_column = "question" if "question" in columns else "title"
    rows: list[SourceRow] = []
    notices: list[ImportNotice] = []
    seen: dict[str, int] = {}
    for record in table.records:
        raw = record.values

        def get(name: str, values: Mapping[str, str] = raw) -> str:
            return values.get(name, "") if name in columns else ""

        body = clean_text(get(body_column))
        if not body:
            notices.append(ImportNotice("empty_body", {"line": record.line}))
            continue
        title = clean_text(get(title_column), multiline=False)
        source_id = clean_text(get("id"), multiline=False)
        key = f"csv:{source_id}" if source_id else "csv:" + _fingerprint(title or body)
        if len(key) > _KEY_MAX:
            report.fail(record.line, "too_long", column="id", max=_KEY_MAX - 4)
        if key in seen:
            report.fail(
                record.line, "duplicate_code", value=source_id or title[:30], first_line=seen[key]
            )
        seen[key] = record.line
        article = ArticleInput(
            title=title,
            body=body,
            tags=_split(get("tags")),
            synonyms=_split(get("synonyms")),
            owner=clean_text(get("owner"), multiline=False),
            policy_refs=_split(get("policy_refs")),
            effective_from=_date(report, record.line, "effective_from", get("effective_from")),
            expires_on=_date(report, record.line, "expires_on", get("expires_on")),
        )
        rows.append(
            SourceRow(
                record.line,
                str(path),
                key,
                _checked(report, record.line, article),
                clean_text(get("department"), multiline=False),
                clean_text(get("category"), multiline=False),
                None,
            )
        )
    return sha256, rows, notices


def _fingerprint(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


# --- Markdown ----------------------------------------------------------------------------------


def _heading_title(body: str) -> tuple[str, str]:
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# "):
            return line[2:].strip(), "\n".join(lines[index + 1 :]).strip()
        break
    return "", body


def _text(fields: FrontMatter, *names: str) -> str:
    for name in names:
        value = fields.get(name)
        text = clean_text(value, multiline=False) if isinstance(value, str) else ""
        if text:
            return text
    return ""


def _markdown_row(root: Path, path: Path) -> tuple[SourceRow, bytes]:
    data = path.read_bytes()
    report = Problems(str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.fail(data[: exc.start].count(b"\n") + 1, "encoding")
    try:
        fields, body, lines = parse_front_matter(text.replace("\r\n", "\n"))
    except ValidationError as exc:
        report.fail(
            int(exc.params.get("line", 1)), "front_matter", value=exc.params.get("text", "")
        )
    for key, line in lines.items():
        if key not in _FRONT_KEYS:
            report.fail(line, "unknown_column", column=key, allowed="、".join(sorted(_FRONT_KEYS)))
    title = _text(fields, "title")
    if not title:
        title, body = _heading_title(body)
    title = title or path.stem
    status_text = _text(fields, "status").lower()
    status = None
    if status_text:
        if status_text not in values(ArticleStatus):
            report.fail(
                lines.get("status", 1),
                "choice",
                field="status",
                value=status_text,
                allowed="、".join(values(ArticleStatus)),
            )
        status = ArticleStatus(status_text)
    source_id = _text(fields, "id")
    relative = path.relative_to(root).with_suffix("").as_posix()
    line = lines.get("title", 1)
    article = ArticleInput(
        title=title,
        body=body.strip(),
        tags=_split(fields.get("tags")),
        synonyms=_split(fields.get("synonyms")),
        owner=_text(fields, "owner"),
        policy_refs=_split(fields.get("policy_refs") or fields.get("policy")),
        effective_from=_date(
            report, lines.get("effective_from", 1), "effective_from", fields.get("effective_from")
        ),
        expires_on=_date(
            report, lines.get("expires_on", 1), "expires_on", fields.get("expires_on")
        ),
    )
    key = f"md:{source_id or relative}"
    if len(key) > _KEY_MAX:
        report.fail(lines.get("id", 1), "too_long", column="id", max=_KEY_MAX - 3)
    row = SourceRow(
        line,
        str(path),
        key,
        _checked(report, line, article),
        _text(fields, "department", "dept"),
        _text(fields, "category"),
        status,
    )
    return row, data


def read_markdown(folder: Path) -> tuple[str, list[SourceRow], list[ImportNotice]]:
    files = sorted(p for p in folder.rglob("*.md") if p.is_file())
    if not files:
        raise ImportFailed("import.failed", file=str(folder), line=0, reason="no_markdown")
    digest = hashlib.sha256()
    rows: list[SourceRow] = []
    seen: dict[str, str] = {}
    for path in files:
        row, data = _markdown_row(folder, path)
        if row.key in seen:
            Problems(str(path)).fail(
                row.line, "duplicate_code", value=row.key, first_line=seen[row.key]
            )
        seen[row.key] = str(path)
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0" + data)
        rows.append(row)
    return digest.hexdigest(), rows, []
