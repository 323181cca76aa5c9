"""Reference tables: areas (行政区划), organisation units, categories, the dispatch catalogue."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.types import one_of

AREA_LEVELS = ["city", "district", "street", "community"]
DEPT_KINDS = ["municipal", "district", "street", "utility", "other"]


class Area(SQLModel, table=True):
    """A node of the administrative area tree: city → district → street/community."""

    __tablename__ = "area"
    __table_args__ = (one_of("level", AREA_LEVELS),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    short_name: str = Field(default="", max_length=50)
    parent_id: int | None = Field(default=None, foreign_key="area.id", index=True)
    level: str = Field(max_length=16)
    population: int | None = None  # residents, when known (hotspots per 10,000)


class Department(SQLModel, table=True):
    """An organisation unit that handles orders: a bureau, a district bureau, a street office."""

    __tablename__ = "department"
    __table_args__ = (one_of("kind", DEPT_KINDS),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    short_name: str = Field(default="", max_length=50)
    kind: str = Field(max_length=16)
    area_id: int | None = Field(default=None, foreign_key="area.id")
    active: bool = True


class Category(SQLModel, table=True):
    """A node of the three-level request category tree; ``path`` is the names joined by '/'."""

    __tablename__ = "category"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    short_name: str = Field(default="", max_length=50)
    parent_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    level: int
    path: str = Field(max_length=400, unique=True)


class CatalogueRule(SQLModel, table=True):
    """派单目录: a category (any level) in an area (or anywhere) goes to a lead department."""

    __tablename__ = "catalogue_rule"
    __table_args__ = (UniqueConstraint("category_id", "area_id"),)

    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="category.id")
    area_id: int | None = Field(default=None, foreign_key="area.id")
    dept_id: int = Field(foreign_key="department.id")
