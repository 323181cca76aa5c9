"""What may reach the database: the same refusal on SQLite and PostgreSQL for values neither
should be given.

Text that people write is cleaned where it comes in (:func:`hotline_tui.domain.text.clean_text`
drops NUL, other control characters and lone surrogates). What is not free text - a number, a
code or a user name to look up, a value a path forgot to clean - reaches SQL as given, and there
the backends part ways: SQLite stores a NUL and PostgreSQL's driver raises; a lone surrogate (a
byte that was not UTF-8 on the command line) and an integer beyond 64 bits make either driver
raise. :func:`guard_engines` makes every statement refuse such a parameter first, as a
:class:`~hotline_tui.domain.errors.ValidationError` (``validation.nul``, ``validation.not_utf8``,
``validation.number_range``): nothing stored can hold one, so a lookup could never match it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import event

from db.engine import Engines
from hotline_tui.domain.errors import ValidationError

__all__ = ["check_parameters", "guard_engines"]

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError("validation.nul")
        if not value.isascii() and _SURROGATE.search(value):
            raise ValidationError("validation.not_utf8")
    elif isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
        raise ValidationError("validation.number_range", value=str(value), max=str(INT_MAX))


def check_parameters(parameters: Any) -> None:
    """Raise ValidationError for the first parameter no backend can take.

    ``parameters`` is what the driver gets: a mapping or a sequence of values, or a sequence of
    those (``executemany``, and batched inserts, which pass a flat list with the flag set).
    """
    rows: Iterable[Any] = (
        parameters.values() if isinstance(parameters, Mapping) else parameters or ()
    )
    for row in rows:
        if isinstance(row, Mapping):
            for value in row.values():
                _check(value)
        elif isinstance(row, list | tuple):
            for value in row:
                _check(value)
        else:
            _check(row)


def _before_execute(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> tuple[str, Any]:
    check_parameters(parameters)
    return statement, parameters


def guard_engines(engines: Engines) -> None:
    """Check every statement's parameters on ``engines`` (the write view shares the listener)."""
    engine = engines.read
    if not event.contains(engine, "before_cursor_execute", _before_execute):
        event.listen(engine, "before_cursor_execute", _before_execute, retval=True)
