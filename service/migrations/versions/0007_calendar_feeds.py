"""calendar feeds: the slot a postponed meeting had, a feed's served ETag and change time

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-22 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = '0007'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('meeting_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('old_ends_at', models.base.UtcDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('feed_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('content_changed_at', models.base.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feed_token', schema=None) as batch_op:
        batch_op.drop_column('content_changed_at')
        batch_op.drop_column('etag')
    with op.batch_alter_table('meeting_change', schema=None) as batch_op:
        batch_op.drop_column('old_ends_at')
