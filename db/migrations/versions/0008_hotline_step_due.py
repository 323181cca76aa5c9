"""due times of the hotline's own steps, and their escalation to the supervisors

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 15:10:00

Hand-written. The hotline is measured too (domain.hotline_steps): an order waiting for dispatch
gets the warning time beside its stored dispatch due time, a department's part waiting for the
hotline's decision on its return or extension request gets that decision's due and warning
times, and ``hotline_step_late`` records each late step escalated to the supervisors (the same
claim as ``escalation_step``). New nullable columns, two partial indexes (few rows: the orders
waiting for dispatch, the parts under review) and a new table: no table is copied (on SQLite
the ``ticket`` table must never be, which would drop its full-text triggers).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

import db.types

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TO_DISPATCH = "state = 'pending_dispatch'"
IN_REVIEW = "state IN ('return_review', 'extension_review')"


def upgrade() -> None:
    op.create_table('hotline_step_late',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('dept_id', sa.Integer(), nullable=True),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('deadline', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acted_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.CheckConstraint("step IN ('dispatch_late', 'extension_late', 'return_review_late')", name=op.f('ck_hotline_step_late_step')),
    sa.ForeignKeyConstraint(['dept_id'], ['department.id'], name=op.f('fk_hotline_step_late_dept_id_department')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_hotline_step_late_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_step_late')),
    sa.UniqueConstraint('ticket_id', 'part_id', 'step', 'deadline', name=op.f('uq_hotline_step_late_ticket_id_part_id_step_deadline'))
    )
    op.create_index('ix_hotline_step_late_seq', 'hotline_step_late', ['seq'], unique=False)
    op.add_column('assignment', sa.Column('review_due_at', db.types.UTCDateTime(timezone=True), nullable=True))
    op.add_column('assignment', sa.Column('review_warn_at', db.types.UTCDateTime(timezone=True), nullable=True))
    op.create_index(
        'ix_assignment_review_due',
        'assignment',
        ['review_due_at', 'review_warn_at', 'state'],
        unique=False,
        sqlite_where=sa.text(IN_REVIEW),
        postgresql_where=sa.text(IN_REVIEW),
    )
    op.add_column('ticket', sa.Column('dispatch_warn_at', db.types.UTCDateTime(timezone=True), nullable=True))
    op.create_index(
        'ix_ticket_dispatch_due',
        'ticket',
        ['dispatch_due_at', 'dispatch_warn_at'],
        unique=False,
        sqlite_where=sa.text(TO_DISPATCH),
        postgresql_where=sa.text(TO_DISPATCH),
    )


def downgrade() -> None:
    op.drop_index('ix_ticket_dispatch_due', table_name='ticket')
    op.drop_column('ticket', 'dispatch_warn_at')
    op.drop_index('ix_assignment_review_due', table_name='assignment')
    op.drop_column('assignment', 'review_warn_at')
    op.drop_column('assignment', 'review_due_at')
    op.drop_index('ix_hotline_step_late_seq', table_name='hotline_step_late')
    op.drop_table('hotline_step_late')
