"""the department days: the daily cells added up per local day and department

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 02:00:00

Hand-written. One new table (db.models.stats): ``stats_dept_day``, per local day × department
the sums of ``stats_daily``'s counts, which the measures of the whole city or of a department
(by department or by period) read instead of the cells. Filled here from ``stats_daily`` in
the same migration, so an install that has its roll-up already has its department days at
once; from then on every write to the cells writes them too, in the same transaction. And an
index on ``stats_daily`` (category, day): the excluded categories' cells (满意率's exclusions),
taken out of the department days' sums, are read without scanning the period's cells.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The count columns as of this revision (not imported: a later one may add to them).
COUNTS = (
    'registered',
    'registered_valid',
    'answered',
    'dispatches',
    'sign_due',
    'sign_on_time',
    'reply_due',
    'reply_on_time',
    'reply_late',
    'returns',
    'returns_rejected',
    'visit_due',
    'visited',
    'valid_visits',
    'resolved',
    'partly',
    'satisfied',
    'basic',
    'closed',
    'handovers',
    'dispatched_orders',
    'responded',
    'ho_0',
    'ho_1',
    'ho_2',
    'ho_3',
    'ho_4',
    'ho_5',
    'ho_6',
    'ho_7',
    'ho_8',
    'ho_9',
    'ho_10',
)


def upgrade() -> None:
    op.create_table('stats_dept_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('dept_id', sa.Integer(), nullable=False),
    sa.Column('registered', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('registered_valid', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('answered', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('dispatches', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('sign_due', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('sign_on_time', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('reply_due', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('reply_on_time', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('reply_late', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('returns', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('returns_rejected', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('visit_due', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('visited', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('valid_visits', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('resolved', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('partly', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('satisfied', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('basic', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('closed', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('handovers', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('dispatched_orders', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('responded', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_0', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_1', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_2', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_3', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_4', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_5', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_6', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_7', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_8', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_9', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('ho_10', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('day', 'dept_id', name=op.f('pk_stats_dept_day')),
    )
    op.create_index(
        'ix_stats_daily_category_day', 'stats_daily', ['category_id', 'day'], unique=False
    )
    names = ', '.join(COUNTS)
    sums = ', '.join(f'SUM({name})' for name in COUNTS)
    op.execute(
        f'INSERT INTO stats_dept_day (day, dept_id, {names})'
        f' SELECT day, dept_id, {sums} FROM stats_daily GROUP BY day, dept_id'
    )


def downgrade() -> None:
    op.drop_index('ix_stats_daily_category_day', table_name='stats_daily')
    op.drop_table('stats_dept_day')
