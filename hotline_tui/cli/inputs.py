"""Text files named by an option (``--body-file``, ``--batch``), read or refused in words.

A folder, a missing or unreadable file, or bytes that are not UTF-8 become a
:class:`~hotline_tui.domain.errors.ValidationError` naming the option's field (the CLI shows the
option's flags), never an ``OSError`` or ``UnicodeDecodeError`` traceback.
"""

from __future__ import annotations

from pathlib import Path

from hotline_tui.domain.errors import ValidationError

__all__ = ["read_text_file"]


def read_text_file(path: Path, *, field: str) -> str:
    """The file's text (UTF-8; a BOM is dropped); ``field`` names the option in an error."""
    try:
        data = path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ValidationError(
            "validation.file_unreadable", field=field, path=str(path), error=reason
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            "validation.file_encoding", field=field, path=str(path), line=line
        ) from None
