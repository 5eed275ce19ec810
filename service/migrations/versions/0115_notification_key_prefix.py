"""indexes for the pages at 1000x: outbox keys by prefix (text_pattern_ops on PostgreSQL),
late submissions, minutes in review, meetings postponed without a day (partial)

Revision ID: 0115
Revises: 0111
Create Date: 2026-12-05 18:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0115'
down_revision: str | None = '0111'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


PARTIAL = (
    ('ix_submission_late', 'submission', ['call_id'], "status = 'late'"),
    ('ix_minutes_version_in_review', 'minutes_version', ['review_deadline'], "status = 'in_review'"),
    (
        'ix_meeting_postponed_without_day',
        'meeting',
        ['group_id'],
        "status = 'postponed' AND starts_at IS NULL",
    ),
)


def upgrade() -> None:
    op.create_index(
        'ix_notification_key_prefix',
        'notification',
        ['idempotency_key'],
        unique=False,
        postgresql_ops={'idempotency_key': 'text_pattern_ops'},
    )
    for name, table, columns, where in PARTIAL:
        op.create_index(
            name,
            table,
            columns,
            unique=False,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def downgrade() -> None:
    for name, table, _columns, _where in reversed(PARTIAL):
        op.drop_index(name, table_name=table)
    op.drop_index('ix_notification_key_prefix', table_name='notification')
