"""index the registration events: every order has one, and audit verify checks it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 13:00:00

Hand-written. ``audit verify`` reports orders without their registration event (and
registration events without their order) with two anti-joins; a partial index of the
registration events alone (one entry per order) keeps that to index probes instead of a scan of
the whole trail. Only an index is added: no table is copied.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_audit_event_register',
        'audit_event',
        ['ticket_id'],
        unique=False,
        sqlite_where=sa.text("action = 'register'"),
        postgresql_where=sa.text("action = 'register'"),
    )


def downgrade() -> None:
    op.drop_index('ix_audit_event_register', table_name='audit_event')
