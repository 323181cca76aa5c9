"""scheduler: its lease, its jobs' last runs, escalation steps, KPI snapshots

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 12:00:00

Hand-checked. New tables only: no existing table is altered (on SQLite the ``ticket`` table must
never be copied, which would drop its full-text triggers).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

import db.types  # noqa: F401

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kpi_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('taken_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_seq', sa.BigInteger(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('registered', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('dispatched', sa.Integer(), nullable=False),
    sa.Column('signed', sa.Integer(), nullable=False),
    sa.Column('signed_in_time', sa.Integer(), nullable=False),
    sa.Column('replied', sa.Integer(), nullable=False),
    sa.Column('replied_in_time', sa.Integer(), nullable=False),
    sa.Column('returns', sa.Integer(), nullable=False),
    sa.Column('returns_rejected', sa.Integer(), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('satisfied', sa.Integer(), nullable=False),
    sa.Column('basic', sa.Integer(), nullable=False),
    sa.Column('unsatisfied', sa.Integer(), nullable=False),
    sa.Column('resolved', sa.Integer(), nullable=False),
    sa.Column('partly', sa.Integer(), nullable=False),
    sa.Column('unresolved', sa.Integer(), nullable=False),
    sa.Column('closed', sa.Integer(), nullable=False),
    sa.Column('handovers', sa.Integer(), nullable=False),
    sa.Column('urged', sa.Integer(), nullable=False),
    sa.Column('supervised', sa.Integer(), nullable=False),
    sa.Column('overdue_open', sa.Integer(), nullable=False),
    sa.Column('sign_overdue_open', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_snapshot')),
    sa.UniqueConstraint('day', 'scope', name=op.f('uq_kpi_snapshot_day_scope'))
    )
    op.create_table('scheduler_job',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('as_of', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_job'))
    )
    op.create_table('scheduler_lease',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('token', sa.Integer(), nullable=False),
    sa.Column('acquired_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('renewed_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_lease'))
    )
    op.create_table('escalation_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('dept_id', sa.Integer(), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('deadline', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acted_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('supervision_id', sa.Integer(), nullable=True),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.CheckConstraint("step IN ('near_due', 'overdue', 'sign_overdue', 'visit_due', 'urge', 'supervise', 'notice')", name=op.f('ck_escalation_step_step')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_escalation_step_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['dept_id'], ['department.id'], name=op.f('fk_escalation_step_dept_id_department')),
    sa.ForeignKeyConstraint(['supervision_id'], ['supervision.id'], name=op.f('fk_escalation_step_supervision_id_supervision')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_escalation_step_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_step')),
    sa.UniqueConstraint('assignment_id', 'step', 'deadline', name=op.f('uq_escalation_step_assignment_id_step_deadline'))
    )
    op.create_index('ix_escalation_step_dept_id_seq', 'escalation_step', ['dept_id', 'seq'], unique=False)
    op.create_index('ix_escalation_step_seq', 'escalation_step', ['seq'], unique=False)
    op.create_index(op.f('ix_escalation_step_ticket_id'), 'escalation_step', ['ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_escalation_step_ticket_id'), table_name='escalation_step')
    op.drop_index('ix_escalation_step_seq', table_name='escalation_step')
    op.drop_index('ix_escalation_step_dept_id_seq', table_name='escalation_step')
    op.drop_table('escalation_step')
    op.drop_table('scheduler_lease')
    op.drop_table('scheduler_job')
    op.drop_table('kpi_snapshot')
