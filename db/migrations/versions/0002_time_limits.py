"""time limits: holiday calendars, time-limit rules, the due-time inputs and partial indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 11:30:00

Hand-checked. On SQLite every change to the existing ``ticket`` and ``assignment`` tables is an
``ALTER TABLE … ADD COLUMN`` or a ``CREATE INDEX``: the batch blocks use ``recreate="never"``, so
a table is never copied (copying ``ticket`` would drop the full-text triggers). The downgrade
drops the columns with ``ALTER TABLE … DROP COLUMN`` (SQLite ≥ 3.35) for the same reason.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

import db.types  # noqa: F401

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLOCK_RUNNING = "state IN ('pending_sign', 'in_progress', 'return_review', 'extension_review')"
TO_SIGN = "state = 'pending_sign'"
TO_VISIT = "state = 'pending_visit'"
EVERY_CATEGORY = "category_id IS NULL"


def _where(condition: str) -> dict[str, sa.TextClause]:
    return {"sqlite_where": sa.text(condition), "postgresql_where": sa.text(condition)}


def upgrade() -> None:
    op.create_table('calendar_year',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('imported_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by'], ['user_account.id'], name=op.f('fk_calendar_year_imported_by_user_account')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_year'))
    )
    op.create_table('sla_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('urgency', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('dispatch', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('sign', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('return_window', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('complete', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('extension_max', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('visit', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('warn_fraction', sa.Float(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("request_type IN ('consult', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other', 'any')", name=op.f('ck_sla_rule_request_type')),
    sa.CheckConstraint("urgency IN ('normal', 'urgent', 'critical', 'any')", name=op.f('ck_sla_rule_urgency')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_sla_rule_category_id_category')),
    sa.ForeignKeyConstraint(['updated_by'], ['user_account.id'], name=op.f('fk_sla_rule_updated_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_rule')),
    sa.UniqueConstraint('request_type', 'category_id', 'urgency', name=op.f('uq_sla_rule_request_type_category_id_urgency'))
    )
    # NULL categories are distinct in a unique constraint: this index keeps "every category"
    # rules unique per (request type, urgency).
    op.create_index('uq_sla_rule_every_category', 'sla_rule', ['request_type', 'urgency'], unique=True, **_where(EVERY_CATEGORY))

    op.create_table('calendar_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.CheckConstraint("kind IN ('holiday', 'workday')", name=op.f('ck_calendar_day_kind')),
    sa.ForeignKeyConstraint(['year'], ['calendar_year.year'], name=op.f('fk_calendar_day_year_calendar_year')),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_day'))
    )
    op.create_index(op.f('ix_calendar_day_year'), 'calendar_day', ['year'], unique=False)

    with op.batch_alter_table('assignment', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('clock_started_at', db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('time_limit', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))
        batch_op.add_column(sa.Column('sign_limit', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))
        batch_op.add_column(sa.Column('paused_at', db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paused_seconds', sa.Integer(), server_default='0', nullable=False))
    op.create_index('ix_assignment_open_due', 'assignment', ['due_at', 'dept_id', 'warn_at', 'state'], unique=False, **_where(CLOCK_RUNNING))
    op.create_index('ix_assignment_sign_due', 'assignment', ['sign_due_at', 'dept_id', 'state'], unique=False, **_where(TO_SIGN))

    with op.batch_alter_table('ticket', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('dispatch_due_at', db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('visit_due_at', db.types.UTCDateTime(timezone=True), nullable=True))
    op.create_index('ix_ticket_visit_due', 'ticket', ['visit_due_at'], unique=False, **_where(TO_VISIT))


def downgrade() -> None:
    op.drop_index('ix_ticket_visit_due', table_name='ticket')
    for column in ('visit_due_at', 'dispatch_due_at'):
        op.drop_column('ticket', column)
    op.drop_index('ix_assignment_sign_due', table_name='assignment')
    op.drop_index('ix_assignment_open_due', table_name='assignment')
    for column in ('paused_seconds', 'paused_at', 'sign_limit', 'time_limit', 'clock_started_at'):
        op.drop_column('assignment', column)
    op.drop_index(op.f('ix_calendar_day_year'), table_name='calendar_day')
    op.drop_table('calendar_day')
    op.drop_index('uq_sla_rule_every_category', table_name='sla_rule')
    op.drop_table('sla_rule')
    op.drop_table('calendar_year')
