"""index supervisions by the part (assignment) they were given to

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 18:05:00

Hand-written. The queues look up each listed part's unanswered 督办 by ``assignment_id``, and
answering one finds it the same way; without an index both read every supervision ever given,
which grows with the years of orders. Only an index is added: no table is copied (on SQLite the
``ticket`` table must never be, which would drop its full-text triggers).
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f('ix_supervision_assignment_id'), 'supervision', ['assignment_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_supervision_assignment_id'), table_name='supervision')
