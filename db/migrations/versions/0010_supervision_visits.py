"""supervisions get their parties and a due time; every return-visit attempt is kept

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10 10:00:00

Hand-checked. New tables ``supervision_party`` (whom a 催办/督办/提级/会商 is addressed to,
with the change-feed number of its notice) and ``visit_attempt`` (each 回访 call and its
outcome), and nullable columns ``supervision.due_at`` (when a 提级's or 会商's outcome is due)
and ``ticket.visit_unreachable_at`` (the last unreachable call, which the next one must wait
after). On SQLite the columns are ``ALTER TABLE … ADD COLUMN`` (``recreate="never"``): the
``ticket`` table is never copied, which would drop its full-text triggers; the downgrade drops
them with ``ALTER TABLE … DROP COLUMN``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

import db.types  # noqa: F401

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('supervision', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('due_at', db.types.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('ticket', schema=None, recreate='never') as batch_op:
        batch_op.add_column(
            sa.Column('visit_unreachable_at', db.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table('supervision_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supervision_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('dept_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['dept_id'], ['department.id'], name=op.f('fk_supervision_party_dept_id_department')),
    sa.ForeignKeyConstraint(['supervision_id'], ['supervision.id'], name=op.f('fk_supervision_party_supervision_id_supervision')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_supervision_party_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_supervision_party_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_party'))
    )
    op.create_index('ix_supervision_party_dept_id_seq', 'supervision_party', ['dept_id', 'seq'], unique=False)
    op.create_index(op.f('ix_supervision_party_seq'), 'supervision_party', ['seq'], unique=False)
    op.create_index(op.f('ix_supervision_party_supervision_id'), 'supervision_party', ['supervision_id'], unique=False)
    op.create_index('ix_supervision_party_ticket_id_dept_id', 'supervision_party', ['ticket_id', 'dept_id'], unique=False)
    op.create_table('visit_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('made_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('made_by', sa.Integer(), nullable=False),
    sa.Column('contact', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('resolution', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('satisfaction', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("contact IN ('reached', 'unreachable', 'declined')", name=op.f('ck_visit_attempt_contact')),
    sa.CheckConstraint("resolution IS NULL OR resolution IN ('resolved', 'partly', 'unresolved')", name=op.f('ck_visit_attempt_resolution')),
    sa.CheckConstraint("satisfaction IS NULL OR satisfaction IN ('satisfied', 'basic', 'unsatisfied')", name=op.f('ck_visit_attempt_satisfaction')),
    sa.ForeignKeyConstraint(['made_by'], ['user_account.id'], name=op.f('fk_visit_attempt_made_by_user_account')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_visit_attempt_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_attempt'))
    )
    op.create_index(op.f('ix_visit_attempt_ticket_id'), 'visit_attempt', ['ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_visit_attempt_ticket_id'), table_name='visit_attempt')
    op.drop_table('visit_attempt')
    op.drop_index('ix_supervision_party_ticket_id_dept_id', table_name='supervision_party')
    op.drop_index(op.f('ix_supervision_party_supervision_id'), table_name='supervision_party')
    op.drop_index(op.f('ix_supervision_party_seq'), table_name='supervision_party')
    op.drop_index('ix_supervision_party_dept_id_seq', table_name='supervision_party')
    op.drop_table('supervision_party')
    op.drop_column('ticket', 'visit_unreachable_at')
    op.drop_column('supervision', 'due_at')
