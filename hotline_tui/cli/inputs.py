"""What a command is given beyond its words: text files named by an option, bounded numbers.

- :func:`read_text_file` - a ``--body-file`` or ``--batch`` file: a folder, a missing or
  unreadable file, or bytes that are not UTF-8 become a
  :class:`~hotline_tui.domain.errors.ValidationError` naming the option's field (the CLI shows
  the option's flags), never an ``OSError`` or ``UnicodeDecodeError`` traceback;
- :data:`ID_MAX` - the bound of ids and versions typed as options.

Light on purpose (no database, no services): every command module imports it.
"""

from __future__ import annotations

from pathlib import Path

from hotline_tui.domain.errors import ValidationError

__all__ = ["ID_MAX", "read_text_file"]

ID_MAX = 2**31 - 1
"""The largest id or version a column holds (INTEGER: 32 bits on PostgreSQL, which refuses a
larger number even to compare with one); options that name an id or version stop there."""


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
