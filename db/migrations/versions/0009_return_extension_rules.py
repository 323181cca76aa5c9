"""the department's own windows: return window end, late returns, extension cap and requests

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 16:00:00

Hand-written. New columns on ``assignment`` (added in place: no table is copied) hold what the
return window and the extension rules need (``hotline_tui.domain.part_limits``): the return
limit applied at dispatch and the window's end, whether the last return came after it, the
extension cap applied and the requests made so far. ``extension_requests`` of existing parts is
counted from their audit events; the limits of existing parts stay empty and are read from the
order's rule when they are needed. A partial index of the limit-change events lets the
departments' notices read them without a scan of the trail.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ('return_limit', 'return_due_at', 'return_late', 'extension_limit', 'extension_requests')


def upgrade() -> None:
    op.add_column(
        'assignment', sa.Column('return_limit', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True)
    )
    op.add_column('assignment', sa.Column('return_due_at', db.types.UTCDateTime(timezone=True), nullable=True))
    op.add_column(
        'assignment', sa.Column('return_late', sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        'assignment', sa.Column('extension_limit', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True)
    )
    op.add_column(
        'assignment', sa.Column('extension_requests', sa.Integer(), server_default='0', nullable=False)
    )
    op.execute(
        "UPDATE assignment SET extension_requests = ("
        " SELECT count(*) FROM audit_event"
        " WHERE audit_event.assignment_id = assignment.id"
        " AND audit_event.action = 'request_extension')"
        " WHERE extension_days_requested IS NOT NULL"
    )
    op.create_index(
        'ix_audit_event_limit_change',
        'audit_event',
        ['seq'],
        unique=False,
        sqlite_where=sa.text("action = 'limit_change'"),
        postgresql_where=sa.text("action = 'limit_change'"),
    )


def downgrade() -> None:
    op.drop_index('ix_audit_event_limit_change', table_name='audit_event')
    with op.batch_alter_table('assignment', schema=None, recreate='never') as batch_op:
        for column in reversed(_COLUMNS):
            batch_op.drop_column(column)
