"""mark a database as a copy (drills may run it as of another time)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 14:00:00

Hand-written. A new table only: no existing table is altered (on SQLite the ``ticket`` table must
never be copied, which would drop its full-text triggers).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

import db.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('database_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('marked_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('marked_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_database_mark'))
    )


def downgrade() -> None:
    op.drop_table('database_mark')
