"""areas: an optional population, for hotspots per 10,000 residents

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-22 10:00:00

Hand-written. Adds ``area.population`` (nullable: an area without a known population shows no
rate). Added in place; nothing is copied or filled.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('area', sa.Column('population', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('area') as batch:
        batch.drop_column('population')
