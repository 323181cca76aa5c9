"""knowledge base: articles, their versions, feedback, search gaps, synonym groups

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 12:20:25

Hand-checked. New tables only: no existing table is altered (on SQLite the ``ticket`` table must
never be copied, which would drop its full-text triggers). ``ticket.kb_article_id`` already
exists and stays without a foreign key for that reason.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

import db.types  # noqa: F401

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kb_article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ext_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('synonyms', sa.Text(), nullable=False),
    sa.Column('policy_refs', sa.Text(), nullable=False),
    sa.Column('owner_dept_id', sa.Integer(), nullable=True),
    sa.Column('owner_text', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('usage_count', sa.Integer(), nullable=False),
    sa.Column('helpful_count', sa.Integer(), nullable=False),
    sa.Column('outdated_count', sa.Integer(), nullable=False),
    sa.Column('wrong_count', sa.Integer(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.Column('published_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expiry_flagged_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'review', 'published', 'retired')", name=op.f('ck_kb_article_status')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_kb_article_category_id_category')),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_kb_article_created_by_user_account')),
    sa.ForeignKeyConstraint(['owner_dept_id'], ['department.id'], name=op.f('fk_kb_article_owner_dept_id_department')),
    sa.ForeignKeyConstraint(['updated_by'], ['user_account.id'], name=op.f('fk_kb_article_updated_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_article')),
    sa.UniqueConstraint('ext_key', name=op.f('uq_kb_article_ext_key'))
    )
    op.create_index(op.f('ix_kb_article_category_id'), 'kb_article', ['category_id'], unique=False)
    op.create_index(op.f('ix_kb_article_owner_dept_id'), 'kb_article', ['owner_dept_id'], unique=False)
    op.create_index('ix_kb_article_status_expires_on', 'kb_article', ['status', 'expires_on'], unique=False)

    op.create_table('kb_search_gap',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('query', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('terms', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('search', 'answer')", name=op.f('ck_kb_search_gap_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_kb_search_gap_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_search_gap'))
    )
    op.create_index(op.f('ix_kb_search_gap_at'), 'kb_search_gap', ['at'], unique=False)

    op.create_table('kb_synonym_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by'], ['user_account.id'], name=op.f('fk_kb_synonym_group_updated_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_synonym_group'))
    )
    op.create_table('kb_article_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('changed_fields', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('synonyms', sa.Text(), nullable=False),
    sa.Column('policy_refs', sa.Text(), nullable=False),
    sa.Column('owner_dept_id', sa.Integer(), nullable=True),
    sa.Column('owner_text', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('changed_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('changed_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['kb_article.id'], name=op.f('fk_kb_article_version_article_id_kb_article')),
    sa.ForeignKeyConstraint(['changed_by'], ['user_account.id'], name=op.f('fk_kb_article_version_changed_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_article_version')),
    sa.UniqueConstraint('article_id', 'version', name=op.f('uq_kb_article_version_article_id_version'))
    )
    op.create_table('kb_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('article_version', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('helpful', 'outdated', 'wrong')", name=op.f('ck_kb_feedback_kind')),
    sa.ForeignKeyConstraint(['article_id'], ['kb_article.id'], name=op.f('fk_kb_feedback_article_id_kb_article')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_kb_feedback_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_kb_feedback_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_feedback'))
    )
    op.create_index(op.f('ix_kb_feedback_article_id'), 'kb_feedback', ['article_id'], unique=False)



def downgrade() -> None:
    op.drop_index(op.f('ix_kb_feedback_article_id'), table_name='kb_feedback')

    op.drop_table('kb_feedback')
    op.drop_table('kb_article_version')
    op.drop_table('kb_synonym_group')
    op.drop_index(op.f('ix_kb_search_gap_at'), table_name='kb_search_gap')

    op.drop_table('kb_search_gap')
    op.drop_index('ix_kb_article_status_expires_on', table_name='kb_article')
    op.drop_index(op.f('ix_kb_article_owner_dept_id'), table_name='kb_article')
    op.drop_index(op.f('ix_kb_article_category_id'), table_name='kb_article')

    op.drop_table('kb_article')
