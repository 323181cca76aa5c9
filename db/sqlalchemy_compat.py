"""The one place that relies on how SQLAlchemy converts values for the driver.

The demo's bulk writer (:mod:`hotline_tui.demo.bulk_store`) sends rows straight to the driver
(``executemany``, PostgreSQL's ``COPY``) and must convert every value exactly as SQLAlchemy
would when it executes an ``INSERT``: the column type's bind processor *for the dialect*. For a
``TypeDecorator`` such as :class:`db.types.UTCDateTime` that is the decorator's own conversion
followed by the dialect's (SQLite's datetime text); the type's public ``bind_processor`` alone
would skip the dialect's part. :func:`bind_processor` asks the dialect's implementation of the
type, as SQLAlchemy's compiler does through its private ``TypeEngine._cached_bind_processor``.

Written for SQLAlchemy :data:`WRITTEN_FOR` (the series pyproject.toml allows). With another
series :func:`bind_processor` refuses rather than write values SQLAlchemy might write
differently; ``tests/db/test_sqlalchemy_compat.py`` fails on an upgrade until the conversions
are checked again (it compares them with SQLAlchemy's own, value by value and through a real
``INSERT``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

__all__ = ["WRITTEN_FOR", "IncompatibleSQLAlchemy", "bind_processor", "require_supported"]

WRITTEN_FOR = ("2.0", "2.1")
"""The SQLAlchemy release series (major.minor) whose bind processing this module was checked on."""


class IncompatibleSQLAlchemy(RuntimeError):
    """The installed SQLAlchemy is not one this module was checked on."""


def require_supported(version: str = sqlalchemy.__version__) -> None:
    """Refuse a SQLAlchemy series this module was not checked on."""
    series = ".".join(version.split(".")[:2])
    if series not in WRITTEN_FOR:
        raise IncompatibleSQLAlchemy(
            f"SQLAlchemy {version} is not one of {', '.join(WRITTEN_FOR)}: check that "
            "db/sqlalchemy_compat.py still converts values as SQLAlchemy does "
            "(tests/db/test_sqlalchemy_compat.py), then add the series to WRITTEN_FOR"
        )


def bind_processor(type_: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """The conversion SQLAlchemy applies to a value of ``type_`` bound for ``dialect`` (None:
    the value goes to the driver as it is)."""
    require_supported()
    return type_.dialect_impl(dialect).bind_processor(dialect)
