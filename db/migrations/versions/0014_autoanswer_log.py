"""knowledge base: the self-service channel's automatic answers; knowledge gaps of kind "auto"

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 00:30:00

Hand-written. Adds ``kb_autoanswer`` (one row per question answered automatically: the article
and version shown, the calibrated probability, the calibrator's version, the asker's outcome),
and lets ``kb_search_gap.kind`` hold ``auto`` (a self-service question left unanswered). The gap
table is small (one row per unanswered search): on SQLite its CHECK constraint is changed by
copying it, as SQLite cannot alter a constraint in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _gap_kinds(kinds: str) -> None:
    with op.batch_alter_table('kb_search_gap', recreate='auto') as batch:
        batch.drop_constraint(op.f('ck_kb_search_gap_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_kb_search_gap_kind'), sa.text(f'kind IN ({kinds})'))


def upgrade() -> None:
    op.create_table(
        'kb_autoanswer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('question', sa.String(length=500), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('article_version', sa.Integer(), nullable=False),
        sa.Column('probability', sa.Float(), nullable=False),
        sa.Column('calibrator_version', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.Column('outcome_at', db.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('helped', 'not_helped')",
            name=op.f('ck_kb_autoanswer_outcome'),
        ),
        sa.ForeignKeyConstraint(
            ['article_id'], ['kb_article.id'], name=op.f('fk_kb_autoanswer_article_id_kb_article')
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user_account.id'], name=op.f('fk_kb_autoanswer_user_id_user_account')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_autoanswer')),
    )
    op.create_index(op.f('ix_kb_autoanswer_at'), 'kb_autoanswer', ['at'], unique=False)
    op.create_index(
        op.f('ix_kb_autoanswer_article_id'), 'kb_autoanswer', ['article_id'], unique=False
    )
    _gap_kinds("'search', 'answer', 'auto'")


def downgrade() -> None:
    op.execute("DELETE FROM kb_search_gap WHERE kind = 'auto'")
    _gap_kinds("'search', 'answer'")
    op.drop_index(op.f('ix_kb_autoanswer_article_id'), table_name='kb_autoanswer')
    op.drop_index(op.f('ix_kb_autoanswer_at'), table_name='kb_autoanswer')
    op.drop_table('kb_autoanswer')
