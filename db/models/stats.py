"""The measures' roll-up (:mod:`hotline_tui.domain.kpi_facts`), rebuildable from the orders.

- ``stats_daily``: per cell (local day × department × category leaf × area × request type ×
  channel × caller kind) the sum of every order's facts, one column per fact
  (:data:`~hotline_tui.domain.kpi_facts.COLUMNS`). A cell whose counts are all zero is deleted.
- ``stats_dept_day``: the same sums per local day × department only (the cells of a day and
  department added up), kept in the same transactions as ``stats_daily``: the measures of the
  whole city or of one department, by department or by period, read a row per department and
  day instead of one per cell (a cell holds about one order).
- ``stats_order``: per order, the facts it added (JSON) and their first and last day, so that a
  changed order's old facts come out before its new ones go in, and ``hotline kpi --orders``
  finds the orders behind a number.
- ``stats_mark``: one row, the change feed's sequence number and the moment the roll-up is
  current to (the updater's mark, written in the same transaction as the counts).

Core tables (their columns follow ``COLUMNS``), on the same metadata as the models.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, Integer, String, Table, Text
from sqlmodel import SQLModel

from db.types import UTCDateTime
from hotline_tui.domain.kpi_facts import COLUMNS

CELL_COLUMNS = (
    "day",
    "dept_id",
    "category_id",
    "area_id",
    "request_type",
    "channel",
    "caller_kind",
)

stats_daily = Table(
    "stats_daily",
    SQLModel.metadata,
    Column("day", Date, primary_key=True),
    Column("dept_id", Integer, primary_key=True),
    Column("category_id", Integer, primary_key=True),
    Column("area_id", Integer, primary_key=True),
    Column("request_type", String(16), primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("caller_kind", String(16), primary_key=True),
    *(Column(name, BigInteger, nullable=False, server_default="0") for name in COLUMNS),
    # The cells of a few categories over a range of days: the excluded categories' share
    # taken out of the department days' sums.
    Index("ix_stats_daily_category_day", "category_id", "day"),
)

DEPT_DAY_COLUMNS = ("day", "dept_id")

stats_dept_day = Table(
    "stats_dept_day",
    SQLModel.metadata,
    Column("day", Date, primary_key=True),
    Column("dept_id", Integer, primary_key=True),
    *(Column(name, BigInteger, nullable=False, server_default="0") for name in COLUMNS),
)

stats_order = Table(
    "stats_order",
    SQLModel.metadata,
    Column("ticket_id", Integer, primary_key=True, autoincrement=False),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
    Column("facts", Text, nullable=False),
    Index("ix_stats_order_first_day", "first_day"),
)

stats_mark = Table(
    "stats_mark",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False, server_default="0"),
    Column("as_of", UTCDateTime(), nullable=True),
    Column("rebuilt_at", UTCDateTime(), nullable=True),
)
