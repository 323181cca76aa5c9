"""Reading reference-data CSV files into checked rows, before anything touches the database.

Files are UTF-8 (a BOM, as spreadsheet programs write, is tolerated) with RFC 4180 quoting and a
header row naming the columns. Each parser checks what a single row can tell — required values,
code syntax, vocabularies, lengths, duplicates within the file — and stops at the first bad line
with :class:`ImportFailed` (``reason`` is a stable code; the extra parameters say which value).
Checks against the database come later, in :mod:`hotline_tui.services.reference.importing`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from db.models.reference import AREA_LEVELS, DEPT_KINDS
from hotline_tui.domain.errors import ImportFailed
from hotline_tui.domain.text import clean_text

__all__ = [
    "AreaRow",
    "CategoryRow",
    "DeptRow",
    "Problems",
    "RuleRow",
    "parse_areas",
    "parse_catalogue",
    "parse_categories",
    "parse_departments",
]

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
"""Codes are short ASCII identifiers (the width of the code columns), safe in any terminal."""
NAME_MAX = 100
SHORT_NAME_MAX = 50

# The teddy-cup category file names its columns in Chinese; they mean the English ones.
_CATEGORY_ALIASES = {"一级分类": "level1", "二级分类": "level2", "三级分类": "level3"}
_CATEGORY_LEVELS = ("level1", "level2", "level3")


class Problems:
    """Collects what is wrong with an import, to name the first bad line of the file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[tuple[int, str, dict[str, Any]]] = []

    def fail(self, line: int, reason: str, **params: Any) -> NoReturn:
        raise ImportFailed("import.failed", file=self.file, line=line, reason=reason, **params)

    def add(self, line: int, reason: str, **params: Any) -> None:
        self.found.append((line, reason, params))

    def check(self) -> None:
        """Raise for the earliest line found so far (the first one reported on a tie)."""
        if self.found:
            line, reason, params = min(self.found, key=lambda problem: problem[0])
            self.fail(line, reason, **params)


@dataclass(frozen=True)
class AreaRow:
    line: int
    code: str
    name: str
    short_name: str | None  # None: keep the stored short name (the column is absent)
    parent_code: str | None
    level: str
    population: int | None = None  # residents; None: unknown
    has_population: bool = False  # False: the column is absent (keep the stored population)


@dataclass(frozen=True)
class DeptRow:
    line: int
    code: str
    name: str
    short_name: str | None
    kind: str
    area_code: str | None


@dataclass(frozen=True)
class CategoryRow:
    """A node of the tree named by its path; ``code`` None: keep or derive it."""

    line: int
    path: tuple[str, ...]
    code: str | None
    short_name: str | None


@dataclass(frozen=True)
class RuleRow:
    """A catalogue rule; ``category`` is a code or a name path (``as_path``: only a path)."""

    line: int
    category: str
    area_code: str | None
    dept_code: str
    as_path: bool = False


@dataclass(frozen=True)
class _Record:
    line: int
    values: dict[str, str]


class _Table:
    """A parsed CSV file: its header's columns and the non-blank records after it."""

    def __init__(self, report: Problems, columns: list[str], records: list[_Record]) -> None:
        self.report = report
        self.columns = columns
        self.records = records

    def text(self, record: _Record, column: str, max_length: int = NAME_MAX) -> str | None:
        """The cleaned value, ``None`` when the column is absent from the file."""
        if column not in self.columns:
            return None
        value = clean_text(record.values[column], multiline=False)
        if len(value) > max_length:
            self.report.fail(record.line, "too_long", column=column, max=max_length)
        return value

    def required(self, record: _Record, column: str, max_length: int = NAME_MAX) -> str:
        value = self.text(record, column, max_length)
        if not value:
            self.report.fail(record.line, "required", column=column)
        return value

    def code(self, record: _Record, column: str, *, required: bool = True) -> str | None:
        value = self.text(record, column, 64)
        if not value:
            if required:
                self.report.fail(record.line, "required", column=column)
            return None
        if not CODE.match(value):
            self.report.fail(record.line, "bad_code", column=column, value=value)
        return value

    def count(self, record: _Record, column: str) -> int | None:
        """A non-negative whole number; ``None`` when the column is absent or the cell empty."""
        value = self.text(record, column, 12)
        if not value:
            return None
        if not value.isascii() or not value.isdigit():
            self.report.fail(record.line, "bad_count", column=column, value=value)
            return None
        return int(value)

    def choice(self, record: _Record, column: str, allowed: list[str], reason: str) -> str:
        value = self.required(record, column).lower()
        if value not in allowed:
            self.report.fail(record.line, reason, value=value, allowed=allowed)
        return value


def _read(
    path: Path,
    required: Collection[str],
    optional: Collection[str],
    aliases: Mapping[str, str] | None = None,
) -> tuple[_Table, str]:
    """Read and split the file; check its encoding, quoting, header and field counts."""
    report = Problems(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(
            "import.unreadable", file=str(path), error=exc.strerror or str(exc)
        ) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.fail(data[: exc.start].count(b"\n") + 1, "encoding")
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    header: list[str] | None = None
    records: list[_Record] = []
    while True:
        start = reader.line_num + 1  # a quoted field may span lines: name the record's first
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.fail(reader.line_num, "csv_syntax", error=str(exc))
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (and rows of empty cells, as spreadsheets export) are skipped
        if header is None:
            header = _columns(report, start, cells, required, optional, aliases or {})
        elif len(cells) != len(header):
            report.fail(start, "field_count", expected=len(header), found=len(cells))
        else:
            records.append(_Record(start, dict(zip(header, cells, strict=True))))
    if header is None:
        report.fail(1, "missing_header")
    return _Table(report, header, records), sha256


def _columns(
    report: Problems,
    line: int,
    cells: list[str],
    required: Collection[str],
    optional: Collection[str],
    aliases: Mapping[str, str],
) -> list[str]:
    columns: list[str] = []
    for cell in cells:
        # Cleaned even here: an unknown column's name is echoed back to a terminal.
        label = clean_text(cell, multiline=False)
        name = aliases.get(label, label.lower())
        if not name:
            columns.append(name)  # spreadsheets export trailing unnamed columns: ignored
            continue
        if name not in required and name not in optional:
            report.fail(line, "unknown_column", column=label, allowed=[*required, *optional])
        if name in columns:
            report.fail(line, "duplicate_column", column=name)
        columns.append(name)
    for name in required:
        if name not in columns:
            report.fail(line, "missing_column", column=name)
    return columns


def _first_seen(
    table: _Table, seen: dict[str, int], record: _Record, key: str, reason: str
) -> None:
    if key in seen:
        table.report.fail(record.line, reason, value=key, first_line=seen[key])
    seen[key] = record.line


def parse_areas(path: Path) -> tuple[Problems, str, list[AreaRow]]:
    """``code,name,parent_code,level`` and optionally ``short_name``, ``population`` (residents,
    empty: unknown); codes unique in the file."""
    table, sha256 = _read(
        path, ("code", "name", "parent_code", "level"), ("short_name", "population")
    )
    rows: list[AreaRow] = []
    seen: dict[str, int] = {}
    for record in table.records:
        code = table.code(record, "code") or ""
        _first_seen(table, seen, record, code, "duplicate_code")
        rows.append(
            AreaRow(
                record.line,
                code,
                table.required(record, "name"),
                table.text(record, "short_name", SHORT_NAME_MAX),
                table.code(record, "parent_code", required=False),
                table.choice(record, "level", AREA_LEVELS, "bad_level"),
                table.count(record, "population"),
                "population" in table.columns,
            )
        )
    return table.report, sha256, rows


def parse_departments(path: Path) -> tuple[Problems, str, list[DeptRow]]:
    """``code,name,kind`` and optionally ``short_name``, ``area_code`` (empty: no area)."""
    table, sha256 = _read(path, ("code", "name", "kind"), ("short_name", "area_code"))
    rows: list[DeptRow] = []
    seen: dict[str, int] = {}
    for record in table.records:
        code = table.code(record, "code") or ""
        _first_seen(table, seen, record, code, "duplicate_code")
        rows.append(
            DeptRow(
                record.line,
                code,
                table.required(record, "name"),
                table.text(record, "short_name", SHORT_NAME_MAX),
                table.choice(record, "kind", DEPT_KINDS, "bad_kind"),
                table.code(record, "area_code", required=False),
            )
        )
    return table.report, sha256, rows


def parse_categories(path: Path) -> tuple[Problems, str, list[CategoryRow]]:
    """One node per row, named by its path (``一级分类,二级分类,三级分类`` or ``level1..3``),
    optionally with ``code`` and ``short_name``; a row defines its deepest non-empty level."""
    table, sha256 = _read(path, _CATEGORY_LEVELS, ("code", "short_name"), _CATEGORY_ALIASES)
    rows: list[CategoryRow] = []
    seen: dict[str, int] = {}
    codes: dict[str, int] = {}
    for record in table.records:
        names = [table.text(record, column) or "" for column in _CATEGORY_LEVELS]
        depth = len(names) - next((i for i, n in enumerate(reversed(names)) if n), len(names))
        if depth == 0:
            table.report.fail(record.line, "required", column="level1")
        if not all(names[:depth]):
            table.report.fail(record.line, "path_gap", column=_CATEGORY_LEVELS[names.index("")])
        if any("/" in name for name in names):
            # "/" separates the levels of a stored path; inside a name it would split it.
            table.report.fail(record.line, "bad_name", value=next(n for n in names if "/" in n))
        path_names = tuple(names[:depth])
        _first_seen(table, seen, record, "/".join(path_names), "duplicate_path")
        code = table.code(record, "code", required=False)
        if code is not None:
            _first_seen(table, codes, record, code, "duplicate_code")
        rows.append(
            CategoryRow(
                record.line, path_names, code, table.text(record, "short_name", SHORT_NAME_MAX)
            )
        )
    return table.report, sha256, rows


def parse_catalogue(path: Path) -> tuple[Problems, str, list[RuleRow]]:
    """``category,dept_code`` and optionally ``area_code``; the category is a code or a path."""
    table, sha256 = _read(path, ("category", "dept_code"), ("area_code",))
    rows: list[RuleRow] = []
    for record in table.records:
        category = table.required(record, "category", 400)
        rows.append(
            RuleRow(
                record.line,
                "/".join(p.strip() for p in category.split("/")),
                table.code(record, "area_code", required=False),
                table.code(record, "dept_code") or "",
            )
        )
    return table.report, sha256, rows
