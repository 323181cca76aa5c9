"""the measures' roll-up: daily cells, each order's facts, the updater's mark

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-20 10:00:00

Hand-written. New tables only (db.models.stats): ``stats_daily`` (per local day × department
× category leaf × area × request type × channel × caller kind, the counts of every measure's
numerator and denominator and the hand-over histogram), ``stats_order`` (each order's facts, so a
changed order's old facts come out before its new ones go in) and ``stats_mark`` (the change
feed's number and the moment the roll-up is current to). They start empty; the scheduler's
``stats`` job or ``hotline stats rebuild`` fills them from the orders.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stats_daily',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('dept_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('request_type', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('caller_kind', sa.String(length=16), nullable=False),
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
    sa.PrimaryKeyConstraint(
        'day', 'dept_id', 'category_id', 'area_id', 'request_type', 'channel', 'caller_kind',
        name=op.f('pk_stats_daily'),
    ),
    )
    op.create_table('stats_order',
    sa.Column('ticket_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_stats_order')),
    )
    op.create_index('ix_stats_order_first_day', 'stats_order', ['first_day'], unique=False)
    op.create_table('stats_mark',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('as_of', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rebuilt_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_mark')),
    )


def downgrade() -> None:
    op.drop_table('stats_mark')
    op.drop_index('ix_stats_order_first_day', table_name='stats_order')
    op.drop_table('stats_order')
    op.drop_table('stats_daily')
