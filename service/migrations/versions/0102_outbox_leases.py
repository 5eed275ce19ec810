"""outbox leases: the delivery run holding a row, and urgent rows first

Revision ID: 0102
Revises: 0101
Create Date: 2026-12-05 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0102'
down_revision: str | None = '0101'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('priority', sa.Integer(), server_default='1', nullable=False)
        )
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=120), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_notification_priority_known'), 'priority IN (0, 1)'
        )
        batch_op.drop_index('ix_notification_pending')
        batch_op.create_index(
            'ix_notification_due', ['status', 'priority', 'next_attempt_at'], unique=False
        )
        batch_op.create_index(
            'ix_notification_claimed_by',
            ['claimed_by'],
            unique=False,
            postgresql_where=sa.text('claimed_by IS NOT NULL'),
            sqlite_where=sa.text('claimed_by IS NOT NULL'),
        )
    # Urgent kinds already waiting go first too.
    op.execute(
        "UPDATE notification SET priority = 0"
        " WHERE status = 'pending' AND kind IN ('sign_in', 'meeting_cancellation')"
    )


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_claimed_by')
        batch_op.drop_index('ix_notification_due')
        batch_op.create_index('ix_notification_pending', ['status', 'next_attempt_at'], unique=False)
        batch_op.drop_constraint(batch_op.f('ck_notification_priority_known'), type_='check')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('priority')
