"""the intake suggestions' log: what was suggested per order and task, and what was registered

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 01:00:00

Hand-written. One new table (db.models.nlp_log): ``nlp_suggestion_log``, a row per registered
order and task (request type, category, lead department) with the suggested label, its
probability, whether it filled the field in, and the registered value. It starts empty; the
intake writes it in the registration's transaction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('nlp_suggestion_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('task', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('suggested', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('auto_filled', sa.Boolean(), nullable=False),
    sa.Column('final', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
    sa.CheckConstraint(
        "task IN ('request_type', 'category', 'department')",
        name=op.f('ck_nlp_suggestion_log_task'),
    ),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_nlp_suggestion_log_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_nlp_suggestion_log_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nlp_suggestion_log'))
    )
    op.create_index(op.f('ix_nlp_suggestion_log_at'), 'nlp_suggestion_log', ['at'], unique=False)
    op.create_index(op.f('ix_nlp_suggestion_log_ticket_id'), 'nlp_suggestion_log', ['ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_nlp_suggestion_log_ticket_id'), table_name='nlp_suggestion_log')
    op.drop_index(op.f('ix_nlp_suggestion_log_at'), table_name='nlp_suggestion_log')
    op.drop_table('nlp_suggestion_log')
