"""meeting.minutes_written, backfilled, and the held meetings without minutes indexed by end
(the work queue's minutes overdue)

Revision ID: 0119
Revises: 0118
Create Date: 2026-12-05 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0119"
down_revision: str | None = "0118"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNMINUTED = "status = 'held' AND NOT minutes_written"


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(
            sa.Column("minutes_written", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        "UPDATE meeting SET minutes_written = true"
        " WHERE id IN (SELECT meeting_id FROM minutes_version)"
    )
    op.create_index(
        "ix_meeting_held_unminuted",
        "meeting",
        ["ends_at"],
        unique=False,
        sqlite_where=sa.text(UNMINUTED),
        postgresql_where=sa.text(UNMINUTED),
    )


def downgrade() -> None:
    op.drop_index("ix_meeting_held_unminuted", table_name="meeting")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("minutes_written")
