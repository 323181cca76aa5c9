"""Reading a time-limit rules CSV file (``hotline sla import``) into rows by line, checking
its encoding, syntax and columns before any row is looked at."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from hotline_tui.domain.errors import ImportFailed
from hotline_tui.domain.limits import LIMIT_FIELDS
from hotline_tui.domain.text import clean_text
from hotline_tui.services.reference.csv_rows import Problems

__all__ = ["COLUMNS", "read_rule_rows"]

COLUMNS = ("request_type", "category", "urgency", *LIMIT_FIELDS, "warn_fraction")


def read_rule_rows(path: Path) -> tuple[Problems, str, list[tuple[int, dict[str, str]]]]:
    """The file's rows by line number (header names lower-cased), its SHA-256, and the
    problems found so far (the caller adds its own and fails on any)."""
    report = Problems(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(
            "import.unreadable", file=str(path), error=exc.strerror or str(exc)
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.fail(data[: exc.start].count(b"\n") + 1, "encoding")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for raw in reader:
            # Cleaned like every imported text (a NUL or an ESC sequence is dropped here, the
            # same on both backends), before a cell is checked, looked up or echoed.
            cells = [clean_text(cell, multiline=False) for cell in raw]
            if not any(cells):
                continue
            if header is None:
                header = [c.lower() for c in cells]
                for column in header:
                    if column not in COLUMNS:
                        report.fail(
                            reader.line_num, "unknown_column", column=column, allowed=list(COLUMNS)
                        )
                if "request_type" not in header:
                    report.fail(reader.line_num, "missing_column", column="request_type")
            elif len(cells) != len(header):
                report.fail(reader.line_num, "field_count", expected=len(header), found=len(cells))
            else:
                rows.append((reader.line_num, dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        report.fail(reader.line_num, "csv_syntax", error=str(exc))
    if header is None:
        report.fail(1, "missing_header")
    return report, hashlib.sha256(data).hexdigest(), rows
