"""intake: call-back number, withdrawal requests; orders' search text gains character bigrams

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10 10:00:00

Hand-written. Adds, all nullable, to ``ticket``: ``callback_phone`` (回拨号码, beside the number
the caller called from) and the withdrawal request an operator leaves on a dispatched order for a
dispatcher to confirm (``withdraw_requested_at``/``_by``/``withdraw_note``, with a partial index
for the dispatcher's queue of them). Columns are added in place: the ``ticket`` table is never
copied (on SQLite that would drop its full-text triggers).

Then every order's ``search_text`` gets its character bigrams after its words
(``hotline_tui.domain.text.order_search_text``), so that ``ticket find 路灯`` finds 江滨路路灯不亮
(cut 路路 / 灯不亮). The stored words are kept as they are (they are jieba's words for the same
text): only the bigrams are computed, in batches, with the full-text index dropped meanwhile and
built again once at the end instead of being updated row by row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types
from db import search_index

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    op.add_column('ticket', sa.Column('callback_phone', sa.String(length=32), nullable=True))
    op.add_column(
        'ticket',
        sa.Column('withdraw_requested_at', db.types.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column('ticket', sa.Column('withdraw_requested_by', sa.Integer(), nullable=True))
    op.add_column('ticket', sa.Column('withdraw_note', sa.Text(), nullable=True))
    op.create_index(
        'ix_ticket_withdraw_requested',
        'ticket',
        ['withdraw_requested_at'],
        unique=False,
        sqlite_where=sa.text('withdraw_requested_at IS NOT NULL'),
        postgresql_where=sa.text('withdraw_requested_at IS NOT NULL'),
    )
    _rewrite_search_text(with_bigrams=True)


def downgrade() -> None:
    _rewrite_search_text(with_bigrams=False)
    op.drop_index('ix_ticket_withdraw_requested', table_name='ticket')
    op.drop_column('ticket', 'withdraw_note')
    op.drop_column('ticket', 'withdraw_requested_by')
    op.drop_column('ticket', 'withdraw_requested_at')
    op.drop_column('ticket', 'callback_phone')


def _rewrite_search_text(*, with_bigrams: bool) -> None:
    """Every order's ``search_text`` as ``order_search_text`` makes it (or, going down, the
    words alone), the full-text index rebuilt once at the end."""
    from hotline_tui.domain.text import order_search_text, segment_for_search

    bind = op.get_bind()
    search_index.drop(bind)
    ticket = sa.table(
        'ticket',
        sa.column('id', sa.Integer),
        sa.column('title', sa.String),
        sa.column('description', sa.Text),
        sa.column('search_text', sa.Text),
    )
    update = (
        sa.update(ticket)
        .where(ticket.c.id == sa.bindparam('row_id'))
        .values(search_text=sa.bindparam('text'))
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(ticket.c.id, ticket.c.title, ticket.c.description, ticket.c.search_text)
            .where(ticket.c.id > last)
            .order_by(ticket.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        changes = []
        for row_id, title, description, words in rows:
            body = f"{title} {description}"
            if with_bigrams:
                text = order_search_text(body, words)
            else:
                text = segment_for_search(body)
            changes.append({'row_id': row_id, 'text': text})
        bind.execute(update, changes)
        last = rows[-1][0]
    search_index.create(bind)
    search_index.rebuild(bind)
