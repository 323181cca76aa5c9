"""Time-limit tables: imported holiday calendars and the time-limit rules (限时规则).

``calendar_year`` + ``calendar_day`` hold the years an administrator imported; an imported year
overrides the built-in ``chinese-calendar`` data for that year. ``sla_rule`` holds the limits per
request type × category × urgency. ``"any"`` (not NULL) stands for every request type or urgency,
so the scope is really unique on both backends; a NULL category means every category, and a
partial unique index keeps those rules unique too. A NULL limit inherits from the next, less
specific rule, and finally from the built-in defaults.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import partial_index, utc_field
from db.types import one_of
from hotline_tui.domain.states import RequestType, Urgency, values

ANY = "any"
DAY_KINDS = ["holiday", "workday"]
LIMIT_MAX_LENGTH = 12


class CalendarYear(SQLModel, table=True):
    """One imported year of the State Council's holiday notice."""

    __tablename__ = "calendar_year"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    source: str = Field(default="", max_length=200)
    sha256: str = Field(max_length=64)
    imported_at: datetime = utc_field()
    imported_by: int = Field(foreign_key="user_account.id")
    version: int = 1


class CalendarDay(SQLModel, table=True):
    """A holiday (day off) or a make-up working day (调休上班) of an imported year."""

    __tablename__ = "calendar_day"
    __table_args__ = (one_of("kind", DAY_KINDS),)

    day: date = Field(primary_key=True)
    year: int = Field(foreign_key="calendar_year.year", index=True)
    kind: str = Field(max_length=8)


class SlaRule(SQLModel, table=True):
    """The limits for request type × category (and below) × urgency; NULL limits inherit."""

    __tablename__ = "sla_rule"
    __table_args__ = (
        one_of("request_type", [*values(RequestType), ANY]),
        one_of("urgency", [*values(Urgency), ANY]),
        UniqueConstraint("request_type", "category_id", "urgency"),
        partial_index(
            "uq_sla_rule_every_category",
            "request_type",
            "urgency",
            unique=True,
            where="category_id IS NULL",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_type: str = Field(max_length=16)
    category_id: int | None = Field(default=None, foreign_key="category.id")
    urgency: str = Field(default=ANY, max_length=16)
    dispatch: str | None = Field(default=None, max_length=LIMIT_MAX_LENGTH)
    sign: str | None = Field(default=None, max_length=LIMIT_MAX_LENGTH)
    return_window: str | None = Field(default=None, max_length=LIMIT_MAX_LENGTH)
    complete: str | None = Field(default=None, max_length=LIMIT_MAX_LENGTH)
    extension_max: str | None = Field(default=None, max_length=LIMIT_MAX_LENGTH)
    visit: str | None = Field(default=None, max_length=LIMIT_MAX_LENGTH)
    warn_fraction: float | None = None
    updated_by: int = Field(foreign_key="user_account.id")
    updated_at: datetime = utc_field()
    version: int = 1
