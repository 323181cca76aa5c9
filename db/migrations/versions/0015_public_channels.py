"""public channels: the channel role and the partner systems' API keys

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 00:00:00

Hand-written. ``user_account.role`` admits ``channel`` (the account a public channel acts as,
``hotline serve``), and the table ``api_key`` keeps the partner systems' keys of the Open311
API, hashed.

On SQLite a CHECK constraint cannot be altered, and copying ``user_account`` (what a batch
operation does) would drop a table every other table refers to. SQLite's documented way for a
change that leaves the stored rows valid ("ALTER TABLE", section 7: making other kinds of
schema changes) is used instead: the table's statement in ``sqlite_schema`` is rewritten under
``writable_schema`` and the schema version raised, so that every connection reloads it. Only
the list of roles changes; every stored row already satisfies the wider constraint.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

import db.types

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "role IN ('operator', 'dispatcher', 'handler', 'supervisor', 'admin')"
NEW = "role IN ('operator', 'dispatcher', 'handler', 'supervisor', 'admin', 'channel')"


def _set_roles(before: str, after: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_user_account_role'), 'user_account', type_='check')
        op.create_check_constraint(op.f('ck_user_account_role'), 'user_account', sa.text(after))
        return
    version = bind.exec_driver_sql('PRAGMA schema_version').scalar_one()
    bind.exec_driver_sql('PRAGMA writable_schema=ON')
    bind.exec_driver_sql(
        "UPDATE sqlite_schema SET sql = replace(sql, ?, ?)"
        " WHERE type = 'table' AND name = 'user_account'",
        (before, after),
    )
    bind.exec_driver_sql(f'PRAGMA schema_version={int(version) + 1}')
    bind.exec_driver_sql('PRAGMA writable_schema=OFF')


def upgrade() -> None:
    _set_roles(OLD, NEW)
    op.create_table('api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('revoked_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_api_key_created_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_key_key_hash')),
    sa.UniqueConstraint('partner', name=op.f('uq_api_key_partner'))
    )


def downgrade() -> None:
    op.drop_table('api_key')
    op.execute("DELETE FROM user_account WHERE role = 'channel'")
    _set_roles(NEW, OLD)
